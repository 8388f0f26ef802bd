/**
 * Importing a research-log JSON export of any size: read as a stream, checked in slices that
 * hand the event loop back, cancellable, all or nothing, and a write that fails halfway leaves
 * the log exactly as it was.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { openResearchDb } from '@/utils/research-log/db';
import { exportMeta, parseImport, serialize, toExported } from '@/utils/research-log/export';
import { readJsonExport, type ReadOptions } from '@/utils/research-log/import-stream';
import { SCHEMA_NAME, SCHEMA_VERSION } from '@/utils/research-log/types';
import { makeRecord, T0 } from '../helpers/research-records';

const versions = { extensionVersion: '0.1.0', rulePacks: ['tiktok@1.0.0'] };
const NOW = T0 + 10 * 86_400_000;
/** Keeps everything a test file holds (the widest retention the settings allow). */
const KEEP_ALL = { maxRecords: 1_000_000, maxAgeDays: 3650 };

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const read = (text: string, size = 4096, over: Partial<ReadOptions> = {}) =>
  readJsonExport(chunksOf(text, size), { file: 'x.json', retention: KEEP_ALL, now: NOW, ...over });

/**
 * A JSON export of `n` records made on the fly, in chunks of about 64 kB, the way a file's stream
 * delivers it; `bad(i)` may replace record i's JSON.
 */
async function* generated(n: number, bad: (i: number) => string | null = () => null): AsyncGenerator<string> {
  const header = { schema: SCHEMA_NAME, version: SCHEMA_VERSION, exportedAt: new Date(NOW).toISOString(), ...versions };
  let buf = `${JSON.stringify({ ...header, count: n }).slice(0, -1)},"records":[\n`;
  for (let i = 0; i < n; i++) {
    buf += (i ? ',\n' : '') + (bad(i) ?? JSON.stringify(toExported(makeRecord(i, { time: T0 + i, lastSeen: T0 + i }))));
    if (buf.length > 65_536) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}\n]}`;
}

describe('readJsonExport', () => {
  it('reads what parseImport reads, whatever the chunk size', async () => {
    const records = Array.from({ length: 40 }, (_, i) =>
      makeRecord(i, { evidence: i % 2 ? 'kurung ] dan { kurawal } "kutip" \\ garis' : `e${i}` }),
    );
    const text = serialize('json', exportMeta(versions, records.length, NOW), records);
    const whole = parseImport(text);
    expect(whole.ok).toBe(true);
    for (const size of [1, 7, 100, 1_000_000]) {
      const result = await read(text, size);
      expect(result).toMatchObject({ ok: true, total: 40, dropped: 0 });
      if (result.ok && whole.ok) {
        const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
        expect([...result.records].sort(byId)).toEqual([...whole.records].sort(byId));
      }
    }
  });

  it('refuses what parseImport refuses, naming the place', async () => {
    const good = JSON.parse(serialize('json', exportMeta(versions, 2, NOW), [makeRecord(1), makeRecord(2)]));
    const cases: [string, RegExp][] = [
      ['{"schema": ', /ends too early|not JSON/],
      [JSON.stringify({ ...good, schema: 'x' }), /not a "lensa-niaga.detections" export/],
      [JSON.stringify({ ...good, version: 2 }), /version 2 is not supported/],
      [
        JSON.stringify({ ...good, records: [good.records[0], { ...good.records[1], platform: 'myspace' }] }),
        /\$\.records\[1\]\.platform/,
      ],
      [
        JSON.stringify({ ...good, records: [{ ...good.records[0], html: '<b>' }, good.records[1]] }),
        /\$\.records\[0\]/,
      ],
      [JSON.stringify({ ...good, records: [good.records[0], 5] }), /\$\.records\[1\]: not an object/],
      [JSON.stringify({ ...good, records: 'none' }), /\$\.records: not an array/],
      [JSON.stringify({ ...good, count: 3 }), /count does not match/],
      [JSON.stringify({ ...good, records: [good.records[0], good.records[0]] }), /duplicate record id/],
    ];
    for (const [text, message] of cases) {
      const result = await read(text, 13);
      expect([text.slice(0, 40), result.ok]).toEqual([text.slice(0, 40), false]);
      if (!result.ok) expect(result.errors.join('\n')).toMatch(message);
    }
  });

  it('holds only what the retention would keep: the newest records, none too old', async () => {
    const records = Array.from({ length: 50 }, (_, i) => makeRecord(i));
    const text = serialize('json', exportMeta(versions, 50, NOW), records);
    const result = await read(text, 500, { retention: { maxRecords: 10, maxAgeDays: 3650 } });
    expect(result).toMatchObject({ ok: true, total: 50, dropped: 40 });
    if (result.ok)
      expect(result.records.map((r) => r.id).sort()).toEqual(
        records
          .slice(40)
          .map((r) => r.id)
          .sort(),
      );
    // makeRecord(i) is T0 + i minutes; with NOW 10 days later every record is older than 1 day.
    const young = await read(text, 500, { retention: { maxRecords: 100, maxAgeDays: 1 } });
    expect(young).toMatchObject({ ok: true, total: 50, dropped: 50, records: [] });
  });

  it('reads a million records in slices that hand the event loop back, with progress', async () => {
    let pauses = 0;
    let longest = 0;
    let last = performance.now();
    const progress: number[] = [];
    const started = performance.now();
    const result = await readJsonExport(generated(1_000_000), {
      retention: { maxRecords: 100_000, maxAgeDays: 3650 },
      now: NOW,
      onProgress: (p) => progress.push(p.records),
      pause: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            pauses++;
            const t = performance.now();
            longest = Math.max(longest, t - last);
            last = t;
            resolve();
          }, 0),
        ),
    });
    const ms = performance.now() - started;
    expect(result).toMatchObject({ ok: true, total: 1_000_000, dropped: 900_000 });
    if (result.ok) {
      expect(result.records).toHaveLength(100_000);
      // The newest 100,000: records 900,000 to 999,999.
      expect(Math.min(...result.records.map((r) => r.time))).toBe(T0 + 900_000);
    }
    expect(pauses).toBeGreaterThan(100);
    // Between two pauses the reader ran at most a slice and a batch (8 ms and 500 records); a
    // loose bound, for a shared machine and garbage collection.
    expect(longest).toBeLessThan(500);
    expect(progress.at(-1)).toBe(1_000_000);
    expect(progress.length).toBeGreaterThan(100);
    expect(ms).toBeLessThan(150_000);
  }, 180_000);

  it('a bad record 150,000 records into 200,000: refused with its place, nothing held', async () => {
    const result = await readJsonExport(
      generated(200_000, (i) => (i === 150_000 ? '{"id":"x","platform":"myspace"}' : null)),
      { retention: KEEP_ALL, now: NOW },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/\$\.records\[150000\]/);
  }, 180_000);

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const result = await readJsonExport(generated(1_000_000), {
      retention: KEEP_ALL,
      now: NOW,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.records > 20_000) controller.abort();
      },
    });
    expect(result).toEqual({ ok: false, cancelled: true, errors: [] });
  }, 60_000);
});

describe('importing into the log', () => {
  it('a write that fails halfway leaves the records already kept exactly as they were', async () => {
    const db = await openResearchDb();
    const kept = Array.from({ length: 30 }, (_, i) => makeRecord(i));
    await db.upsert(kept);
    const before = (await db.page({}, 1000)).records;

    // Records 0-9 would replace kept ones, 100-139 are new; record 20 has no id (a key the store refuses).
    const incoming = [
      ...Array.from({ length: 10 }, (_, i) => makeRecord(i, { evidence: 'replaced' })),
      ...Array.from({ length: 40 }, (_, i) => makeRecord(100 + i)),
    ];
    incoming[20] = { ...incoming[20], id: undefined as unknown as string };
    await expect(db.importRecords(incoming)).rejects.toThrow();
    expect(await db.countAll()).toBe(30);
    expect((await db.page({}, 1000)).records).toEqual(before);

    // And the log still takes a good import afterwards.
    incoming[20] = makeRecord(500);
    expect(await db.importRecords(incoming)).toEqual({ added: 40, replaced: 10 });
    db.close();
  });
});
