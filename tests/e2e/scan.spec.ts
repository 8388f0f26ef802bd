/**
 * The archive scanner's browser engine against the extension used live: the same fixture pages,
 * archived in a WACZ and replayed, give the same detections, rule for rule and count for count,
 * as the pages opened in a browser tab. A page built by an archived script shows what replaying
 * subresources from the archive adds over the dom engine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TabReport } from '../../rules/schema';
import { expandInputs } from '../../scripts/scan/inputs';
import type { ScanRecord } from '../../scripts/scan/records';
import { runScan, type ScanOptions } from '../../scripts/scan/run';
import { writeWacz, type ArchivePage } from '../../scripts/scan/write-archive';
import { expect, test } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'lensa-scan-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scanWith(engine: 'browser' | 'dom', path: string): Promise<ScanRecord[]> {
  const out = join(dir, `${engine}.ndjson`);
  const options: ScanOptions = {
    inputs: expandInputs([path]).inputs,
    engine,
    dom: 'linkedom',
    // The dom engine's worker threads load TypeScript through tsx, which this test runner is not:
    // one thread here (tests/unit/scan-runs.test.ts runs the threads through the CLI).
    jobs: engine === 'dom' ? 1 : 2,
    shard: null,
    format: 'ndjson',
    out,
    resume: false,
    urlMode: 'full',
    packFiles: [],
    url: null,
    log: null,
  };
  return runScan(options).then(() =>
    readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"id"'))
      .map((l) => JSON.parse(l) as ScanRecord),
  );
}

const key = (d: { ruleId: string; count: number; evidence: string }) => `${d.ruleId} ×${d.count} ${d.evidence}`;

function byUrl(records: ScanRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) (out[r.url] ??= []).push(key(r));
  for (const list of Object.values(out)) list.sort();
  return out;
}

test('browser-engine records equal the live extension’s report for the same pages', async ({
  pages,
  extension,
  openFixture,
}) => {
  test.setTimeout(120_000);
  const chosen = pages
    .filter((p) => p.file.includes('/fixtures/'))
    .filter((p, i, all) => all.findIndex((q) => q.url === p.url) === i)
    .filter((_, i) => i % 12 === 0);
  expect(new Set(chosen.map((p) => p.url)).size).toBe(chosen.length);
  const wacz = await writeWacz(join(dir, 'live.wacz'), chosen);

  const live: Record<string, string[]> = {};
  for (const fixture of chosen) {
    const page = await openFixture(fixture);
    const tabId = await extension.tabIdOf(page);
    const want = JSON.stringify(fixture.expect);
    const report = await extension.waitForReport(
      tabId,
      (r: TabReport) => r.url === fixture.url && JSON.stringify(r.detections.map((d) => d.ruleId).sort()) === want,
    );
    await page.waitForTimeout(300);
    const settled = await extension.report(tabId);
    expect(settled.detections.map(key).sort()).toEqual(report.detections.map(key).sort());
    if (settled.detections.length > 0) live[fixture.url] = settled.detections.map(key).sort();
    await page.close();
  }

  const browser = await scanWith('browser', wacz);
  expect(byUrl(browser)).toEqual(live);
  for (const r of browser) expect(r.engine).toBe('browser');
  // The fixtures have no scripts: the dom engine agrees with both.
  expect(byUrl(await scanWith('dom', wacz))).toEqual(live);
});

test('the browser engine serves a page’s archived script; the dom engine does not run it', async () => {
  test.setTimeout(60_000);
  const url = 'https://www.tiktok.com/@toko/video/7300000000000000077';
  const script = 'https://www.tiktok.com/static/app.js';
  const anchor =
    '<div data-e2e="product-anchor"><a href="https://shop-id.tokopedia.com/view/product/1729">Kaos batik</a></div>';
  const archived: ArchivePage[] = [
    {
      url,
      html: `<!doctype html><html><head><script src="${script}"></script></head><body><p>video</p></body></html>`,
    },
    {
      url: script,
      contentType: 'application/javascript',
      html: `addEventListener('DOMContentLoaded', () => { const t = document.createElement('template'); t.innerHTML = ${JSON.stringify(anchor)}; document.body.append(t.content); });`,
    },
  ];
  const wacz = await writeWacz(join(dir, 'scripted.wacz'), archived, [archived[0]]);
  const browser = await scanWith('browser', wacz);
  const dom = await scanWith('dom', wacz);
  expect(browser.map((r) => r.feature)).toContain('product-tag');
  expect(dom).toEqual([]);
});
