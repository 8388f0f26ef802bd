/**
 * Evidence is about features, never about people. Checkout, cart and order pages full of a
 * buyer's personal data, on every platform that has such pages: the transaction features are
 * found, and none of the buyer's data appears in `detections:get`, the popup's text or any of its
 * link targets, the research log's records and its three exports, or the audit JSON and PDF.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { categoryOf, type TabReport } from '../../rules/schema';
import { personalDataIn } from '../helpers/personal-data';
import { expect, test, type Extension, type RoutedPage } from './fixtures';
import { PopupPage } from './popup-page';

async function scanned(extension: Extension, openFixture: (f: RoutedPage) => Promise<Page>, fixture: RoutedPage) {
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  const want = JSON.stringify(fixture.expect);
  const report = await extension.waitForReport(
    tabId,
    (r) => r.url === fixture.url && JSON.stringify(r.detections.map((d) => d.ruleId).sort()) === want,
  );
  return { page, tabId, report };
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await file.path())!, 'utf8');
}

async function pdfText(page: Page): Promise<string> {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: true, verbosity: 0 }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ') + '\n';
  }
  await doc.destroy();
  return text;
}

test('no personal data from checkout, cart and order pages in any output', async ({
  pages,
  extension,
  openFixture,
}) => {
  test.setTimeout(180_000);
  const fixtures = pages.filter((p) => p.file.includes('/fixtures/') && p.file.includes('personal-data'));
  const platforms = new Set(fixtures.map((f) => f.file.split('/fixtures/')[1].split('/')[0]));
  expect([...platforms].sort()).toEqual(['facebook', 'instagram', 'tiktok', 'whatsapp']);
  expect(fixtures.some((f) => f.url.startsWith('https://shop-id.tokopedia.com/'))).toBe(true);

  // The research log records everything below.
  const research = await extension.context.newPage();
  await research.goto(`chrome-extension://${extension.id}/research.html`);
  await research.locator('.rl__consent .rl__button--primary').click();
  await expect(research.locator('.rl__state--on')).toBeVisible();

  const reports: TabReport[] = [];
  for (const fixture of fixtures) {
    const where = fixture.file.split('/fixtures/')[1];
    const { page, tabId, report } = await scanned(extension, openFixture, fixture);
    reports.push(report);
    // The transaction features are still found…
    expect(
      report.detections.some((d) => categoryOf(d.feature) === 'transaction'),
      where,
    ).toBe(true);
    // …and detections:get carries none of the buyer's data.
    expect(personalDataIn(JSON.stringify(report)), `${where}: detections:get`).toEqual([]);
    for (const d of report.detections) expect(d.evidence, where).not.toMatch(/[{}"]|\\u/);

    // The popup: its text, every finding unfolded, and every link target.
    const popup = await PopupPage.openFor(extension, tabId);
    await popup.expandAll();
    expect(personalDataIn(await popup.text()), `${where}: popup text`).toEqual([]);
    const hrefs = await popup.page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(personalDataIn(hrefs.map((h) => decodeURIComponent(h)).join('\n')), `${where}: popup links`).toEqual([]);
    // A marketplace search is only ever for a product name read from product data.
    const products = report.detections.flatMap((d) => (d.product ? [encodeURIComponent(d.product)] : []));
    for (const h of hrefs.filter((h) => /[?&](q|keyword|k)=|\/cari\//.test(h))) {
      expect(
        products.some((p) => h.includes(p)),
        `${where}: search ${h}`,
      ).toBe(true);
    }
    await popup.page.close();

    // The audit report: page, JSON download and printed PDF.
    const audit = await extension.context.newPage();
    await audit.goto(`chrome-extension://${extension.id}/report.html?tabId=${tabId}`);
    await audit.locator('tbody[data-rule-id]').first().waitFor();
    expect(personalDataIn(await audit.locator('body').innerText()), `${where}: report page`).toEqual([]);
    const json = await downloaded(audit, () => audit.locator('button', { hasText: /JSON/ }).first().click());
    expect(JSON.parse(json).findings.length).toBe(report.detections.length);
    expect(personalDataIn(json), `${where}: audit JSON`).toEqual([]);
    expect(personalDataIn(await pdfText(audit)), `${where}: audit PDF`).toEqual([]);
    await audit.close();
    await page.close();
  }

  // The research log: every detection recorded, and no personal data in any export.
  const total = reports.reduce((n, r) => n + r.detections.length, 0);
  await expect(async () => {
    await research.getByRole('button', { name: /^(Refresh|Muat ulang)$/ }).click();
    await expect(research.locator('.rl__table tbody tr')).toHaveCount(total, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  expect(personalDataIn(await research.locator('body').innerText()), 'research page').toEqual([]);
  for (const format of ['ndjson', 'csv', 'json'] as const) {
    const text = await downloaded(research, () => research.locator(`button[data-format="${format}"]`).click());
    expect(text.length).toBeGreaterThan(100);
    for (const r of reports) for (const d of r.detections) expect(text, format).toContain(d.ruleId);
    expect(personalDataIn(text), `research ${format}`).toEqual([]);
  }
  await research.close();
});
