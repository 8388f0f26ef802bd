/**
 * The seller audit report in real Chromium: opened from the popup for a TikTok
 * storefront, directly for a clean page and for a Shop | Tokopedia product page with in-app
 * transaction features. Each checks the findings against what the background reported, the JSON
 * download against the `lensa-niaga.audit` v1 schema, and the PDF Chromium prints (A4, the header
 * on every page, the findings' text) read back with pdfjs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Download, Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { categoryOf, type TabReport } from '../../rules/schema';
import { AuditReport } from '../../lib/audit-document';
import {
  citationOf,
  cleanTiktokFixture,
  featureKey,
  featureOf,
  needsAdvice,
  packs,
  storefrontFixture,
  tiktokFixture,
  uiMessages,
} from '../helpers/e2e-expectations';
import { EXTENSION_PATH, expect, test, type Extension, type RoutedPage } from './fixtures';
import { PopupPage } from './popup-page';

const msg = uiMessages(EXTENSION_PATH);

/** Open the fixture and wait until the background reports exactly its expected rules. */
async function scanned(extension: Extension, open: (url: string) => Promise<Page>, fixture: RoutedPage) {
  const page = await open(fixture.url);
  const tabId = await extension.tabIdOf(page);
  const want = JSON.stringify(fixture.expect);
  const report = await extension.waitForReport(
    tabId,
    (r) => r.url === fixture.url && JSON.stringify(r.detections.map((d) => d.ruleId).sort()) === want,
  );
  if (fixture.expect.length === 0) await page.waitForTimeout(300); // late work on a negative page
  return { page, tabId, report };
}

async function openReport(extension: Extension, tabId: number): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.id}/report.html?tabId=${tabId}`);
  await page.locator('h1').first().waitFor();
  return page;
}

async function downloadJson(page: Page, lang: 'id' | 'en'): Promise<{ doc: AuditReport; download: Download }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: msg(lang, 'report.actions.json') }).click(),
  ]);
  const text = readFileSync((await download.path())!, 'utf8');
  return { doc: AuditReport.parse(JSON.parse(text)), download };
}

/** Print the page to PDF as Chromium does for "Save as PDF", and read back each page's text. */
async function printedPages(page: Page, name: string): Promise<{ texts: string[]; sizes: number[][] }> {
  const path = test.info().outputPath(`${name}.pdf`);
  const pdf = await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  await test.info().attach(name, { path, contentType: 'application/pdf' });
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: true, verbosity: 0 }).promise;
  const texts: string[] = [];
  const sizes: number[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const p = await doc.getPage(i);
    sizes.push(p.view.map((n) => Math.round(n)));
    const content = await p.getTextContent();
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return { texts, sizes };
}

/** Text compared without whitespace: the PDF breaks lines (and long ids) where the layout wraps. */
const squash = (s: string) => s.replace(/\s+/g, '');

/** The report's table holds each finding of the background report with its text. */
async function expectFindings(page: Page, report: TabReport, lang: 'id' | 'en') {
  const shown = await page
    .locator('tbody[data-rule-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id')));
  expect([...shown].sort()).toEqual(report.detections.map((d) => d.ruleId).sort());
  // Grouped by category, transaction first.
  const order = ['transaction', 'offer', 'link-out'];
  const cats = shown.map((id) => order.indexOf(categoryOf(featureOf.get(id!)!)));
  expect(cats).toEqual([...cats].sort((a, b) => a - b));
  for (const d of report.detections) {
    const row = page.locator(`tbody[data-rule-id="${d.ruleId}"]`);
    const text = await row.innerText();
    expect(text).toContain(msg(lang, featureKey(d.feature)));
    expect(await row.locator('td.report__num').first().innerText()).toBe(String(d.count));
    expect(await row.locator('.report-finding__evidence').innerText()).toContain(d.evidence);
    for (const id of d.regulationIds) {
      const citation = citationOf.get(id);
      if (citation && id.startsWith('permendag')) expect(text).toContain(citation);
    }
    expect(await row.locator('.report-advice').count()).toBe(needsAdvice(d.ruleId) ? 1 : 0);
  }
}

test.describe('seller audit report', () => {
  test('TikTok storefront, opened from the popup: findings, JSON and PDF', async ({
    pages,
    extension,
    open,
    context,
  }) => {
    const fixture = storefrontFixture(pages);
    const { tabId, report } = await scanned(extension, open, fixture);
    expect(report.detections.length).toBeGreaterThan(0);

    // "Audit halaman ini" in the popup opens the report for that tab.
    const popup = await PopupPage.openFor(extension, tabId);
    const [page] = await Promise.all([
      context.waitForEvent('page'),
      popup.page.getByRole('button', { name: msg('id', 'popup.controls.report') }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: msg('id', 'report.title') }).waitFor();
    expect(page.url()).toBe(`chrome-extension://${extension.id}/report.html?tabId=${tabId}`);
    await expect(page).toHaveTitle(msg('id', 'report.docTitle', [new URL(fixture.url).host]));

    // Header: page, platform, versions.
    await expect(page.locator('[data-field="url"]')).toHaveText(fixture.url);
    await expect(page.locator('[data-field="platform"]')).toHaveText('TikTok');
    const manifest = JSON.parse(readFileSync(join(EXTENSION_PATH, 'manifest.json'), 'utf8'));
    await expect(page.locator('[data-field="extension"]')).toContainText(manifest.version);
    const tiktokPack = packs.find((p) => p.name.endsWith('/tiktok'))!;
    await expect(page.locator('[data-field="rule-packs"]')).toContainText(`${tiktokPack.name} ${tiktokPack.version}`);

    await expectFindings(page, report, 'id');

    // JSON: the same findings, under the documented schema.
    const { doc, download } = await downloadJson(page, 'id');
    expect(download.suggestedFilename()).toMatch(/^lensa-niaga-audit-tiktok-www\.tiktok\.com-\d{8}-\d{4}\.json$/);
    expect(doc).toMatchObject({ schema: 'lensa-niaga.audit', version: 1, language: 'id', screenshot: null });
    expect(doc.page).toMatchObject({ url: fixture.url, platform: 'tiktok', state: 'found' });
    expect(doc.extension.version).toBe(manifest.version);
    expect(doc.rulePacks).toContainEqual({ ...tiktokPack, source: 'bundled' });
    expect(doc.findings.map((f) => [f.ruleId, f.count, f.evidence]).sort()).toEqual(
      report.detections.map((d) => [d.ruleId, d.count, d.evidence]).sort(),
    );

    // No activeTab grant in an automated browser: the screenshot is refused, clearly, and the
    // report tab is brought back to the front.
    await page.getByRole('checkbox', { name: msg('id', 'report.screenshot.allow') }).check();
    await expect(page.getByRole('alert')).toContainText(msg('id', 'report.screenshot.refused'));
    await expect(page.getByRole('checkbox', { name: msg('id', 'report.screenshot.allow') })).not.toBeChecked();
    await expect(page.locator('.report__shot')).toHaveCount(0);
    expect(await page.evaluate(async () => (await chrome.tabs.getCurrent())?.active)).toBe(true);

    // PDF: A4 pages, the header on each, the findings' text, no buttons.
    const { texts, sizes } = await printedPages(page, 'report-storefront-id');
    for (const size of sizes) expect(size).toEqual([0, 0, 595, 842]);
    for (const text of texts) expect(squash(text)).toContain(squash(msg('id', 'report.header')));
    const all = squash(texts.join(' '));
    expect(all).toContain(squash(fixture.url));
    for (const d of report.detections) {
      expect(all).toContain(squash(d.ruleId));
      expect(all).toContain(squash(d.evidence));
      expect(all).toContain(squash(msg('id', featureKey(d.feature))));
      for (const id of d.regulationIds)
        if (id.startsWith('permendag')) expect(all).toContain(squash(citationOf.get(id)!));
    }
    expect(all).not.toContain(squash(msg('id', 'report.actions.print')));
    expect(all).not.toContain(squash(msg('id', 'report.actions.json')));
  });

  test('a clean TikTok page: no findings in the page, the JSON or the PDF', async ({ pages, extension, open }) => {
    const fixture = cleanTiktokFixture(pages);
    const { tabId } = await scanned(extension, open, fixture);
    const page = await openReport(extension, tabId);

    await expect(page.getByText(msg('id', 'report.findings.none'))).toBeVisible();
    await expect(page.locator('tbody[data-rule-id]')).toHaveCount(0);
    await expect(page.locator('.report-advice')).toHaveCount(0);
    await expect(page.locator('.report-summary tfoot td').first()).toHaveText('0');

    const { doc } = await downloadJson(page, 'id');
    expect(doc.page).toMatchObject({ url: fixture.url, platform: 'tiktok', state: 'clean' });
    expect(doc.findings).toEqual([]);
    expect(doc.summary).toMatchObject({ findings: 0, elements: 0, needsAction: 0 });

    const { texts } = await printedPages(page, 'report-clean-id');
    const all = squash(texts.join(' '));
    expect(all).toContain(squash(msg('id', 'report.findings.none')));
    expect(all).toContain(squash(msg('id', 'report.header')));
  });

  test('in-app transactions: seller advice under each, marketplaces, a multi-page PDF with the header on every page', async ({
    pages,
    extension,
    open,
  }) => {
    const fixture = tiktokFixture(
      pages,
      // On TikTok's own pages: on shop-id.tokopedia.com Tokopedia runs the checkout (no advice there).
      (p) => p.expect.filter((id) => needsAdvice(id)).length >= 2 && new URL(p.url).hostname.endsWith('tiktok.com'),
      'two or more transaction or cross-border features on tiktok.com',
    );
    const { tabId, report } = await scanned(extension, open, fixture);
    const page = await openReport(extension, tabId);
    await expectFindings(page, report, 'id');

    const advised = report.detections.filter((d) => needsAdvice(d.ruleId));
    await expect(page.locator('.report__verdict')).toContainText(String(advised.length));
    // The steps under the first finding of each kind; the later ones refer to it.
    const shown = await page
      .locator('tbody[data-rule-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id')!));
    const firstOfKind = new Map<string, string>();
    for (const id of shown.filter(needsAdvice)) {
      const kind = featureOf.get(id) === 'cross-border-offer' ? 'cross-border-offer' : 'transaction';
      const advice = page.locator(`tbody[data-rule-id="${id}"] .report-advice`);
      const first = firstOfKind.get(kind);
      if (!first) {
        firstOfKind.set(kind, id);
        await expect(advice).toContainText(msg('id', 'report.advice.marketplace'));
        await expect(advice).toContainText(msg('id', 'report.advice.promotion'));
      } else {
        const label = msg('id', featureKey(featureOf.get(first)!));
        await expect(advice).toHaveText(msg('id', 'report.advice.same', [`${label} (${first})`]));
      }
    }
    expect(firstOfKind.size).toBeGreaterThan(0);
    const markets = page.locator('section[aria-labelledby="report-markets"]');
    await expect(markets).toContainText('Tokopedia');
    await expect(markets).toContainText('Shopee');

    // No serious accessibility problems (axe-core) in the full report.
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);

    const { doc } = await downloadJson(page, 'id');
    expect(doc.summary.needsAction).toBe(advised.length);
    expect(
      doc.findings
        .filter((f) => f.advice)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(advised.map((d) => d.ruleId).sort());
    expect(doc.marketplaces?.items.map((m) => m.name)).toContain('Tokopedia');

    const { texts } = await printedPages(page, 'report-transactions-id');
    expect(texts.length).toBeGreaterThan(1);
    const header = squash(msg('id', 'report.header'));
    texts.forEach((text, i) => expect([i + 1, squash(text).includes(header)]).toEqual([i + 1, true]));
    const all = squash(texts.join(' '));
    expect(all).toContain(squash(msg('id', 'report.advice.marketplace')));
    // Links are spelled out on paper.
    expect(all).toContain(squash('https://pse.komdigi.go.id'));
  });

  test('a phone-sized window (320 px): nothing wider than the screen, findings as cards', async ({
    pages,
    extension,
    open,
  }) => {
    const fixture = tiktokFixture(pages, (p) => p.expect.some((id) => needsAdvice(id)), 'a transaction feature');
    const { tabId } = await scanned(extension, open, fixture);
    const page = await openReport(extension, tabId);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expect(page.locator('.report-table thead').first()).toBeHidden();
    const cell = page.locator('tbody[data-rule-id] td[data-label]').first();
    const label = await cell.evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe(`"${await cell.getAttribute('data-label')}"`);
    const path = test.info().outputPath('report-320.png');
    await page.screenshot({ path, fullPage: true });
    await test.info().attach('report-320', { path, contentType: 'image/png' });
  });
});

test.describe('seller audit report in English', () => {
  test.use({ uiLanguage: 'en' });

  test('the same storefront report, in English', async ({ pages, extension, open }) => {
    const fixture = storefrontFixture(pages);
    const { tabId, report } = await scanned(extension, open, fixture);
    const page = await openReport(extension, tabId);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seller audit');
    await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeVisible();
    await expectFindings(page, report, 'en');
    const { doc } = await downloadJson(page, 'en');
    expect(doc.language).toBe('en');
    const { texts } = await printedPages(page, 'report-storefront-en');
    for (const text of texts) expect(squash(text)).toContain(squash('Lensa Niaga · Seller audit'));
  });
});
