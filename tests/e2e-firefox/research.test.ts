/**
 * The research log in Firefox (IndexedDB in the extension's pages and its event page): nothing is
 * recorded without consent; with it, five fixture pages end up in the table and in the NDJSON,
 * CSV and JSON exports; delete all; the JSON export imports back and a broken one is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { TabReport } from '../../rules/schema';
import type { RoutedPage } from '../../scripts/fixture-pages';
import { demoPages, RESEARCH_DB, RESEARCH_EMPTY, RESEARCH_SCHEMA } from '../helpers/e2e-expectations';
import { FirefoxSession, clickByText, until } from './firefox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function visit(ff: FirefoxSession, fixture: RoutedPage): Promise<TabReport | null> {
  const page = await ff.openFixture(fixture);
  const tabId = await ff.tabIdOf(page);
  const report = await ff
    .waitForReport(tabId, (r) => r.url === fixture.url && r.detections.length > 0, 5_000)
    .catch(() => null);
  await sleep(300); // late matches of the same route
  const settled = await ff.report(tabId);
  await page.close();
  return report && settled.detections.length >= report.detections.length ? settled : report;
}

const rowCount = (page: Page) => page.$$eval('.rl__table tbody tr', (rows) => rows.length);
const countText = (page: Page) => page.$eval('[data-testid="records-count"]', (el) => (el as HTMLElement).innerText);
const exportMessage = (page: Page) =>
  page.$eval('[data-testid="export-message"]', (el) => (el as HTMLElement).innerText).catch(() => '');

async function importFile(ff: FirefoxSession, page: Page, name: string, body: unknown): Promise<void> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const file = join(ff.downloads, `upload-${name}`);
  writeFileSync(file, JSON.stringify(body));
  const input = await page.$('input[type="file"]');
  await input!.uploadFile(file);
}

describe('research log in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch();
  });
  afterAll(() => ff?.close());

  test('nothing is recorded without consent', async () => {
    for (const fixture of demoPages(ff.pages, 2)) await visit(ff, fixture);
    await sleep(1_500); // past the writer's batch delay
    // Asked from another extension page (same origin) before research.html, which opens it to read.
    const control = await ff.control();
    expect(await control.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain(
      RESEARCH_DB,
    );
    const page = await ff.openExtensionPage('research.html');
    await page.waitForSelector('#rl-consent');
    expect(await countText(page)).toMatch(RESEARCH_EMPTY);
    await page.close();
  });

  test('consent, five pages, table, three exports, delete all, import back, refuse a broken file', async () => {
    const page = await ff.openExtensionPage('research.html');
    await page.waitForSelector('#rl-consent');
    await (await page.$('.rl__consent .rl__button--primary'))!.click();
    await page.waitForSelector('.rl__state--on');

    const expected: string[] = [];
    let visited = 0;
    for (const fixture of demoPages(ff.pages, 15)) {
      if (visited === 5) break;
      const report = await visit(ff, fixture);
      if (!report) continue;
      visited++;
      for (const d of report.detections) expected.push(`${fixture.url.split(/[?#]/)[0]} ${d.ruleId}`);
    }
    expect(visited).toBe(5);
    const want = expected.sort();

    await until(
      async () => {
        await clickByText(page, 'button', /^(Refresh|Muat ulang)$/);
        await sleep(200);
        return rowCount(page);
      },
      (n) => n === want.length,
      10_000,
    );
    const rows = await page.$$eval('.rl__table tbody tr', (trs) =>
      trs.map((tr) => `${tr.querySelector('.rl__url')!.textContent} ${tr.getAttribute('data-rule')}`),
    );
    expect(rows.sort()).toEqual(want);

    const click = (format: string) => () => page.click(`button[data-format="${format}"]`);
    const ndjson = await ff.download(click('ndjson'));
    expect(ndjson.name).toMatch(/^lensa-niaga-detections-\d{8}-\d{6}\.ndjson$/);
    const [header, ...records] = ndjson.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ schema: RESEARCH_SCHEMA, version: 1, count: want.length });
    expect(records.map((r: { url: string; ruleId: string }) => `${r.url} ${r.ruleId}`).sort()).toEqual(want);
    const csv = await ff.download(click('csv'));
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toContain(`schema=${RESEARCH_SCHEMA}; version=1`);
    expect(lines.length).toBe(want.length + 2);
    const json = JSON.parse((await ff.download(click('json'))).text);
    expect(json).toMatchObject({ schema: RESEARCH_SCHEMA, version: 1, count: want.length });

    // Delete all, with the confirmation.
    await page.click('.rl__danger .rl__button--danger');
    await page.waitForSelector('.rl__danger [role="alert"] .rl__button--danger');
    await page.click('.rl__danger [role="alert"] .rl__button--danger');
    await until(
      () => rowCount(page),
      (n) => n === 0,
    );
    expect(await countText(page)).toMatch(RESEARCH_EMPTY);

    // The JSON export imports back; a file with one bad record imports nothing.
    await importFile(ff, page, 'back.json', json);
    await until(
      () => exportMessage(page),
      (t) => t.includes(String(want.length)),
    );
    await until(
      () => rowCount(page),
      (n) => n === want.length,
    );
    const broken = { ...json, records: [{ ...json.records[0], platform: 'myspace' }, ...json.records.slice(1)] };
    await importFile(ff, page, 'broken.json', broken);
    await until(
      () => exportMessage(page),
      (t) => t.includes('$.records[0].platform'),
    );
    expect(await rowCount(page)).toBe(want.length);
    await page.close();
  });
});
