/**
 * Research log exports: NDJSON, CSV and JSON name the schema and versions; CSV cells
 * that a spreadsheet would run as formulas are defused; a JSON export imports back to the same
 * records; a malformed file is rejected with a clear message and imports nothing.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { openResearchDb } from '@/utils/research-log/db';
import {
  escapeCsvCell,
  FORMULA_START,
  exportFileName,
  exportFromDb,
  exportMeta,
  parseImport,
  serialize,
} from '@/utils/research-log/export';
import { RECORD_FIELDS, SCHEMA_NAME, SCHEMA_VERSION, type ResearchRecord } from '@/utils/research-log/types';
import { makeRecord } from '../helpers/research-records';

const versions = { extensionVersion: '0.1.0', rulePacks: ['tiktok@1.0.0', 'youtube@1.0.0'] };
const NOW = Date.UTC(2026, 10, 23, 10, 15);

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('CSV escaping', () => {
  it('defuses cells that start with =, +, -, @, tab or CR', () => {
    expect(escapeCsvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = escapeCsvCell(`${start}1+1`);
      expect(cell.startsWith(`"'${start}`)).toBe(true);
    }
    // Leading white space that a spreadsheet trims, and full-width forms it may fold to ASCII.
    for (const text of [
      ' =1+1',
      '  +SUM(A1)',
      '\u00a0-2+3',
      '\u3000@cmd',
      '＝1+1',
      '＋1',
      '－1',
      '＠SUM(A1)',
      ' ＝1',
      '\t=1',
      '\r\n=1',
    ]) {
      const cell = escapeCsvCell(text);
      expect(cell.startsWith(`"'`), JSON.stringify(text)).toBe(true);
    }
    // Text that merely contains them, or starts with other white space before ordinary text, stays as it is.
    expect(escapeCsvCell('Diskon -20% = hemat')).toBe('Diskon -20% = hemat');
    expect(escapeCsvCell(' Keranjang')).toBe(' Keranjang');
    expect(escapeCsvCell('Beli sekarang')).toBe('Beli sekarang');
    expect(escapeCsvCell('a,b')).toBe('"a,b"');
    expect(escapeCsvCell(3)).toBe('3');
  });

  it('never lets a cell start with a formula character, and reads back to the text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '=',
            '+',
            '-',
            '@',
            '＝',
            '＋',
            '－',
            '＠',
            '\t',
            '\r',
            '\n',
            '"',
            ',',
            'a',
            ' ',
            '\u3000',
            'é',
          ),
        }),
        (text) => {
          const cell = escapeCsvCell(text);
          const [[read]] = readCsv(`${cell}\r\n`).length ? readCsv(`${cell}\r\n`) : [['']];
          // What a spreadsheet sees after trimming leading white space never starts a formula.
          expect(/^[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/.test(read.replace(/^[ \u00a0\u3000]+/, ''))).toBe(false);
          expect(read).toBe(FORMULA_START.test(text) ? `'${text}` : text);
        },
      ),
    );
  });
});

describe('export formats', () => {
  const records: ResearchRecord[] = [
    makeRecord(1, { evidence: '=cmd|"/c calc"!A1', url: 'https://www.tiktok.com/@a?x=1,2' }),
    makeRecord(2, { evidence: 'Keranjang, "Beli"\nsekarang' }),
  ];
  const meta = exportMeta(versions, records.length, NOW);

  it('NDJSON: a header line naming the schema, then one record per line', () => {
    const lines = serialize('ndjson', meta, records)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      schema: SCHEMA_NAME,
      version: SCHEMA_VERSION,
      exportedAt: '2026-11-23T10:15:00.000Z',
      ...versions,
      count: 2,
    });
    expect(lines.slice(1).map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(Object.keys(lines[1])).toEqual([...RECORD_FIELDS]);
    expect(lines[1].time).toBe(new Date(records[0].time).toISOString());
  });

  it('CSV: a schema line, the column names, one row per record, formulas defused', () => {
    const rows = readCsv(serialize('csv', meta, records));
    expect(rows[0][0]).toBe(
      `# schema=${SCHEMA_NAME}; version=1; exportedAt=2026-11-23T10:15:00.000Z; extensionVersion=0.1.0; rulePacks=tiktok@1.0.0 youtube@1.0.0; count=2`,
    );
    expect(rows[1]).toEqual([...RECORD_FIELDS]);
    expect(rows).toHaveLength(4);
    const evidence = RECORD_FIELDS.indexOf('evidence');
    expect(rows[2][evidence]).toBe(`'=cmd|"/c calc"!A1`);
    expect(rows[3][evidence]).toBe('Keranjang, "Beli"\nsekarang');
    expect(rows[2][RECORD_FIELDS.indexOf('url')]).toBe('https://www.tiktok.com/@a?x=1,2');
    expect(rows[2][RECORD_FIELDS.indexOf('rulePacks')]).toBe('tiktok@1.0.0');
  });

  it('JSON: an envelope with the schema, versions, count and records', () => {
    const doc = JSON.parse(serialize('json', meta, records));
    expect(doc).toMatchObject({ schema: SCHEMA_NAME, version: 1, count: 2, ...versions });
    expect(doc.records).toHaveLength(2);
    expect(JSON.parse(serialize('json', exportMeta(versions, 0, NOW), []))).toMatchObject({ count: 0, records: [] });
  });

  it('names files by format and time', () => {
    expect(exportFileName('csv', NOW)).toBe('lensa-niaga-detections-20261123-101500.csv');
  });
});

describe('export and import round trip', () => {
  it('exports from the database in chunks, and the JSON imports back to the same records', async () => {
    const db = await openResearchDb();
    const records = Array.from({ length: 2_345 }, (_, i) => makeRecord(i));
    await db.upsert(records);
    for (const format of ['ndjson', 'csv', 'json'] as const) {
      const { blob, count } = await exportFromDb(db, format, {}, versions, NOW);
      expect(count).toBe(records.length);
      const text = await blob.text();
      if (format === 'ndjson') expect(text.trimEnd().split('\n')).toHaveLength(records.length + 1);
      if (format === 'csv') expect(readCsv(text)).toHaveLength(records.length + 2);
    }
    const filtered = await exportFromDb(db, 'ndjson', { platform: 'youtube' }, versions, NOW);
    expect(filtered.count).toBe(records.filter((r) => r.platform === 'youtube').length);

    const json = await (await exportFromDb(db, 'json', {}, versions, NOW)).blob.text();
    await db.clear();
    const parsed = parseImport(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(await db.importRecords(parsed.records)).toEqual({ added: records.length, replaced: 0 });
    const back = (await db.page({}, 10_000)).records.sort((a, b) => a.time - b.time);
    expect(back).toEqual([...records].sort((a, b) => a.time - b.time));
    // Importing the same file again replaces, never duplicates.
    expect(await db.importRecords(parsed.records)).toEqual({ added: 0, replaced: records.length });
    expect(await db.countAll()).toBe(records.length);
  }, 30_000);

  it('rejects malformed files with a message naming the problem, and imports nothing', async () => {
    const good = JSON.parse(serialize('json', exportMeta(versions, 2, NOW), [makeRecord(1), makeRecord(2)]));
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"schema": ', /not JSON/],
      ['NDJSON', serialize('ndjson', exportMeta(versions, 2, NOW), [makeRecord(1), makeRecord(2)]), /NDJSON/],
      ['other schema', JSON.stringify({ ...good, schema: 'something.else' }), /not a "lensa-niaga.detections" export/],
      ['newer version', JSON.stringify({ ...good, version: 2 }), /version 2 is not supported/],
      [
        'bad platform',
        JSON.stringify({ ...good, records: [good.records[0], { ...good.records[1], platform: 'myspace' }] }),
        /\$\.records\[1\]\.platform/,
      ],
      [
        'bad time',
        JSON.stringify({ ...good, records: [{ ...good.records[0], time: 'yesterday' }, good.records[1]] }),
        /\$\.records\[0\]\.time/,
      ],
      [
        'extra field',
        JSON.stringify({ ...good, records: [{ ...good.records[0], html: '<b>' }, good.records[1]] }),
        /\$\.records\[0\]/,
      ],
      ['wrong count', JSON.stringify({ ...good, count: 3 }), /count does not match/],
      ['duplicate id', JSON.stringify({ ...good, records: [good.records[0], good.records[0]] }), /duplicate record id/],
    ];
    const db = await openResearchDb();
    for (const [name, text, message] of cases) {
      const result = parseImport(text, 'x.json');
      expect([name, result.ok]).toEqual([name, false]);
      if (!result.ok) expect([name, result.errors.join('\n')]).toEqual([name, expect.stringMatching(message)]);
    }
    expect(await db.countAll()).toBe(0);
    expect(parseImport(JSON.stringify(good)).ok).toBe(true);
  });
});
