// @vitest-environment node
/**
 * The scanner's readers and the dom engine, on archives written by the test from fixture pages
 * (WARC, WARC.gz, WACZ, saved HTML), on a WARC written by another tool, and on broken archives.
 */
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync,
  statSync,
  mkdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive, recordAt } from '../../scripts/scan/archive';
import { expandInputs } from '../../scripts/scan/inputs';
import { recordsOf, ScanRecord, SCAN_RECORD_FIELDS, type Format } from '../../scripts/scan/records';
import { runScan, type ScanOptions, type Summary } from '../../scripts/scan/run';
import { fixturePages, writeWacz, writeWarc, type FixturePage } from '../../scripts/scan/write-archive';

const dir = mkdtempSync(join(tmpdir(), 'lensa-scan-'));
const REAL_WARC = join(import.meta.dirname, '../fixtures-archives/webrecorder-warcio/example.warc.gz');

/** A few pages of every platform, shopping and not. */
const pages: FixturePage[] = fixturePages()
  .filter((p, i, all) => all.findIndex((q) => q.url === p.url) === i)
  .filter((_, i) => i % 9 === 0);

async function scan(
  paths: string[],
  more: Partial<ScanOptions> = {},
): Promise<{ summary: Summary; records: ScanRecord[]; text: string }> {
  const out = more.out ?? join(dir, `out-${Math.random().toString(36).slice(2)}.${more.format ?? 'ndjson'}`);
  const { inputs } = expandInputs(paths);
  const summary = await runScan({
    inputs,
    engine: 'dom',
    dom: 'linkedom',
    jobs: 1,
    shard: null,
    format: 'ndjson' as Format,
    resume: false,
    urlMode: 'path',
    packFiles: [],
    url: null,
    log: null,
    ...more,
    out,
  });
  const text = readFileSync(out, 'utf8');
  const records =
    (more.format ?? 'ndjson') === 'ndjson'
      ? text
          .split('\n')
          .filter((l) => l.startsWith('{"id"'))
          .map((l) => JSON.parse(l) as ScanRecord)
      : [];
  return { summary, records, text };
}

/** Rule ids found per page URL. */
function byUrl(records: ScanRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) (out[r.url] ??= []).push(r.ruleId);
  for (const list of Object.values(out)) list.sort();
  return out;
}

function expected(list: FixturePage[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of list) if (p.expect.length > 0) out[p.url.split('?')[0].split('#')[0]] = [...p.expect];
  return out;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let warc: string, warcGz: string, wacz: string;
beforeAll(async () => {
  // Fixture URLs are unique among the chosen pages, so records can be compared by URL.
  expect(new Set(pages.map((p) => p.url)).size).toBe(pages.length);
  warc = await writeWarc(join(dir, 'pages.warc'), pages);
  warcGz = await writeWarc(join(dir, 'pages.warc.gz'), pages);
  wacz = await writeWacz(join(dir, 'pages.wacz'), pages);
});

describe('readers', () => {
  it.each([
    ['WARC', () => warc],
    ['WARC.gz', () => warcGz],
    ['WACZ', () => wacz],
  ])('%s: every page is one capture and its records are the fixture’s rules', async (_, path) => {
    const { summary, records } = await scan([path()]);
    expect(summary.captures).toBe(pages.length);
    expect(summary.archiveErrors).toEqual([]);
    expect(byUrl(records)).toEqual(expected(pages));
    for (const r of records) {
      expect(ScanRecord.safeParse(r).success).toBe(true);
      expect(r.engine).toBe('dom');
      expect(r.time).toMatch(/^2023-09-01T00:00:\d\d\.000Z$/);
      expect(r.id).toBe(`${r.visitId}:${r.ruleId}`);
    }
  });

  it('records name the WARC record they came from, and reading at that offset finds it', async () => {
    const { records } = await scan([wacz]);
    const archive = await openArchive(wacz);
    try {
      for (const r of records.slice(0, 5)) {
        expect(r.archive).toBe(wacz);
        expect(r.archiveMember).toBe('archive/data.warc.gz');
        const source = archive.sources.find((s) => s.member === r.archiveMember)!;
        const record = await recordAt(source, r.recordOffset!);
        expect(record?.warcTargetURI?.split('?')[0]).toBe(r.url);
        expect(record?.warcHeader('WARC-Record-ID')).toBe(r.warcRecordId);
        expect(record?.warcPayloadDigest).toBe(r.payloadDigest);
      }
    } finally {
      archive.close();
    }
  });

  it('a WACZ scans only the pages its pages.jsonl lists (frames are skipped)', async () => {
    const listed = pages.slice(0, 3);
    const path = await writeWacz(join(dir, 'listed.wacz'), pages, listed);
    const { summary, records } = await scan([path]);
    expect(summary.captures).toBe(3);
    expect(Object.values(summary.skipped).reduce((a, b) => a + b, 0)).toBe(pages.length - 3);
    expect(byUrl(records)).toEqual(expected(listed));
  });

  it('saved HTML: the URL from --url, a "saved from" comment or the canonical link; none is a skip', async () => {
    const page = pages.find((p) => p.expect.length > 0)!;
    const html = join(dir, 'html');
    mkdirSync(html, { recursive: true });
    const body = page.html.replace(/^\s*<!--[\s\S]*?-->/, '');
    writeFileSync(
      join(html, 'a.html'),
      `<!-- saved from url=(${page.url.length.toString().padStart(4, '0')})${page.url} -->\n${body}`,
    );
    writeFileSync(
      join(html, 'b.html'),
      `<html><head><link rel="canonical" href="${page.url}"></head><body>${body}</body></html>`,
    );
    writeFileSync(join(html, 'c.html'), '<p>no address</p>');
    const { summary, records } = await scan([html]);
    expect(summary.captures).toBe(2);
    expect(byUrl(records)).toEqual({ [page.url.split('?')[0]]: [...page.expect, ...page.expect].sort() });
    expect(summary.skipped).toEqual({ 'no URL: pass --url, or save the page with its address': 1 });
    for (const r of records) expect(page.expect).toContain(r.ruleId);
    const given = await scan([join(html, 'c.html')], { url: 'https://www.tiktok.com/@toko' });
    expect(given.summary.captures).toBe(1);
  });

  it('a WARC written by another tool: a non-platform site, its revisit resolved, nothing found', async () => {
    const { summary, records } = await scan([REAL_WARC]);
    expect(summary.captures).toBe(2);
    expect(summary.pagesPerPlatform).toEqual({ 'other-site': 2 });
    expect(records).toEqual([]);
    expect(summary.archiveErrors).toEqual([]);
  });

  it('non-HTML records are not pages, and an error status is a skip', async () => {
    const path = await writeWarc(join(dir, 'mixed.warc.gz'), [
      { url: 'https://www.tiktok.com/static/app.css', html: 'a{}', contentType: 'text/css' },
      { url: 'https://www.tiktok.com/logo.png', html: '\u0089PNG', contentType: 'image/png' },
      { url: 'https://www.tiktok.com/@gone', html: '<p>not found</p>', status: 404 },
      pages[0],
    ]);
    const { summary } = await scan([path]);
    expect(summary.captures).toBe(1);
    expect(summary.skipped).toEqual({ 'HTTP status 404': 1 });
  });
});

describe('broken archives', () => {
  it.each([
    ['a truncated WARC', 'cut.warc', (p: string) => truncateSync(p, Math.floor(statSync(p).size * 0.6))],
    ['a truncated WARC.gz', 'cut.warc.gz', (p: string) => truncateSync(p, Math.floor(statSync(p).size * 0.6))],
    [
      'a corrupt gzip member',
      'corrupt.warc.gz',
      (p: string) => {
        const data = readFileSync(p);
        data.fill(0, Math.floor(data.length * 0.5), Math.floor(data.length * 0.5) + 40);
        writeFileSync(p, data);
      },
    ],
  ])('%s: a clear error naming the file and offset; the records before it are kept', async (_, name, breakIt) => {
    const path = await writeWarc(join(dir, name), pages);
    breakIt(path);
    const { summary, records } = await scan([path, warcGz]);
    expect(summary.archiveErrors).toHaveLength(1);
    expect(summary.archiveErrors[0]).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at offset \\d+: `),
    );
    const broken = records.filter((r) => r.archive === path);
    const whole = records.filter((r) => r.archive === warcGz);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.length).toBeLessThan(whole.length);
    // What was read before the break is exactly what the whole archive has for those pages.
    for (const r of broken)
      expect(whole.some((w) => w.url === r.url && w.ruleId === r.ruleId && w.count === r.count)).toBe(true);
    // The next input is scanned in full.
    expect(byUrl(whole)).toEqual(expected(pages));
  });

  it('a file that is not a zip, named .wacz, is an error and the run goes on', async () => {
    const path = join(dir, 'not.wacz');
    writeFileSync(path, 'not a zip');
    const { summary } = await scan([path, warc]);
    expect(summary.archiveErrors[0]).toMatch(/not\.wacz at offset 0: not a readable zip/);
    expect(summary.captures).toBe(pages.length);
  });
});

describe('output', () => {
  it('CSV has the header comment, the columns and the research log’s escaping', async () => {
    const path = await writeWarc(join(dir, 'formula.warc'), [
      {
        url: 'https://www.tiktok.com/@toko/video/7300000000000000009',
        html: '<div data-e2e="product-anchor"><a href="https://shop-id.tokopedia.com/view/product/1">=HYPERLINK("x")</a></div>',
      },
      ...pages,
    ]);
    const { text } = await scan([path], { format: 'csv' });
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^# schema=lensa-niaga\.detections; version=2; kind=scan; /);
    expect(lines[1]).toBe(SCAN_RECORD_FIELDS.join(','));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(2)) expect(line).not.toMatch(/,=/);
  });

  it('the NDJSON header names the schema, the engine, the packs and the inputs', async () => {
    const { text } = await scan([warc]);
    const header = JSON.parse(text.split('\n')[0]);
    expect(header).toMatchObject({
      schema: 'lensa-niaga.detections',
      version: 2,
      kind: 'scan',
      engine: 'dom',
      inputs: [warc],
    });
    expect(header.rulePacks.length).toBe(7);
  });

  it('--url-mode full keeps the query string; path drops it', async () => {
    const path = await writeWarc(join(dir, 'query.warc'), [
      { ...pages.find((p) => p.expect.length > 0)!, url: pages.find((p) => p.expect.length > 0)!.url + '?utm=x' },
    ]);
    const full = await scan([path], { urlMode: 'full' });
    const short = await scan([path]);
    expect(full.records[0].url).toMatch(/\?utm=x$/);
    expect(short.records[0].url).not.toMatch(/\?/);
  });
});

describe('evidence', () => {
  it('passes the gate the background applies: personal data never reaches a record', () => {
    const capture = {
      id: 'scan-1',
      url: 'https://www.tiktok.com/checkout',
      capturedAt: '2023-09-01T00:00:00.000Z',
      archive: 'a.warc',
      member: null,
      offset: 0,
      recordId: null,
      digest: null,
      html: '',
      resources: null,
    };
    const [record] = recordsOf(
      capture,
      [
        {
          ruleId: 'tiktok.checkout',
          platform: 'tiktok',
          feature: 'checkout',
          category: 'transaction',
          regulationIds: [],
          count: 1,
          evidence: 'Bayar sekarang · Penerima: Budi Santoso, 0812-3456-7890, budi@example.com',
          firstSeen: 0,
          lastSeen: 0,
        },
      ],
      { engine: 'dom', extensionVersion: '0.1.0', rulePacks: [], urlMode: 'path' },
    );
    expect(record.evidence).toContain('Bayar sekarang');
    expect(record.evidence).not.toMatch(/Budi|0812|example\.com/);
  });
});

describe('resume and appending', () => {
  it('a half-written last line is cut and done captures are not scanned again', async () => {
    const out = join(dir, 'resume.ndjson');
    const first = await scan([warc], { out });
    appendFileSync(out, '{"id":"scan-half');
    const again = await scan([warc], { out, resume: true });
    expect(again.summary.resumed).toBe(pages.length);
    expect(again.summary.captures).toBe(0);
    expect(again.records).toEqual(first.records);
  });
});
