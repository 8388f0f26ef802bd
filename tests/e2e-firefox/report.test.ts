/**
 * The seller audit report in Firefox: opened from the popup for a TikTok storefront, for a clean
 * page and for a page with in-app transactions; the findings against the background's report, the
 * JSON download against the `lensa-niaga.audit` v1 schema, the screenshot's refusal without an
 * activeTab grant, and the PDF Firefox prints (A4, the header on every page) read back with pdfjs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { categoryOf, type TabReport } from '../../rules/schema';
import { AuditReport } from '../../lib/audit-document';
import type { RoutedPage } from '../../scripts/fixture-pages';
import {
  citationOf,
  cleanTiktokFixture,
  featureKey,
  featureOf,
  needsAdvice,
  packs,
  ruleIds,
  storefrontFixture,
  tiktokFixture,
  uiMessages,
  type UiLanguage,
} from '../helpers/e2e-expectations';
import { FIREFOX_EXTENSION_PATH, FirefoxSession, clickByText, until } from './firefox';

const msg = uiMessages(FIREFOX_EXTENSION_PATH);
const squash = (s: string) => s.replace(/\s+/g, '');

async function scanned(ff: FirefoxSession, fixture: RoutedPage) {
  const page = await ff.openFixture(fixture);
  const tabId = await ff.tabIdOf(page);
  const want = JSON.stringify(fixture.expect);
  const report = await ff.waitForReport(tabId, (r) => r.url === fixture.url && JSON.stringify(ruleIds(r)) === want);
  return { page, tabId, report };
}

async function openReport(ff: FirefoxSession, tabId: number, lang: UiLanguage = 'id'): Promise<Page> {
  const page = await ff.openExtensionPage(`report.html?tabId=${tabId}`);
  await page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, {}, msg(lang, 'report.title'));
  return page;
}

async function downloadJson(ff: FirefoxSession, page: Page, lang: UiLanguage) {
  const file = await ff.download(() => clickByText(page, 'button', msg(lang, 'report.actions.json')));
  return { name: file.name, doc: AuditReport.parse(JSON.parse(file.text)) };
}

/** The findings table holds each finding of the background report, grouped by category. */
async function expectFindings(page: Page, report: TabReport, lang: UiLanguage) {
  const rows = await page.$$eval('tbody[data-rule-id]', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-rule-id')!,
      text: (e as HTMLElement).innerText,
      count: (e.querySelector('td.report__num') as HTMLElement | null)?.innerText ?? '',
      advice: e.querySelectorAll('.report-advice').length,
    })),
  );
  expect(rows.map((r) => r.id).sort()).toEqual(ruleIds(report));
  const order = ['transaction', 'offer', 'link-out'];
  const cats = rows.map((r) => order.indexOf(categoryOf(featureOf.get(r.id)!)));
  expect(cats).toEqual([...cats].sort((a, b) => a - b));
  for (const d of report.detections) {
    const row = rows.find((r) => r.id === d.ruleId)!;
    expect(row.text).toContain(msg(lang, featureKey(d.feature)));
    expect(row.text).toContain(d.evidence);
    expect(row.count).toBe(String(d.count));
    for (const id of d.regulationIds) {
      const citation = citationOf.get(id);
      if (citation && id.startsWith('permendag')) expect(row.text).toContain(citation);
    }
    expect(row.advice).toBe(needsAdvice(d.ruleId) ? 1 : 0);
  }
}

/** Print as Firefox does for "Save as PDF" and read back each page's text and size. */
async function printed(page: Page) {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: true, verbosity: 0 }).promise;
  const texts: string[] = [];
  const sizes: number[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const p = await doc.getPage(i);
    sizes.push(p.view);
    const content = await p.getTextContent();
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return { texts, sizes };
}

describe('seller audit report in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch();
  });
  afterAll(() => ff?.close());

  test('TikTok storefront, opened from the popup: findings, JSON, screenshot refused, A4 PDF', async () => {
    const fixture = storefrontFixture(ff.pages);
    const { tabId, report } = await scanned(ff, fixture);
    expect(report.detections.length).toBeGreaterThan(0);

    const popup = await ff.openExtensionPage(`popup.html?tabId=${tabId}`);
    await popup.waitForFunction((t) => document.body.innerText.includes(t), {}, msg('id', 'popup.controls.report'));
    const page = await ff.pageOpenedBy('/report.html', () =>
      clickByText(popup, 'button', msg('id', 'popup.controls.report')),
    );
    expect(await page.evaluate(() => location.href)).toBe(ff.url(`report.html?tabId=${tabId}`));
    await page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, {}, msg('id', 'report.title'));
    expect(await page.title()).toBe(msg('id', 'report.docTitle', [new URL(fixture.url).host]));

    const field = (name: string) => page.$eval(`[data-field="${name}"]`, (el) => (el as HTMLElement).innerText.trim());
    expect(await field('url')).toBe(fixture.url);
    expect(await field('platform')).toBe('TikTok');
    const tiktokPack = packs.find((p) => p.name.endsWith('/tiktok'))!;
    expect(await field('rule-packs')).toContain(`${tiktokPack.name} ${tiktokPack.version}`);
    await expectFindings(page, report, 'id');

    const { name, doc } = await downloadJson(ff, page, 'id');
    expect(name).toMatch(/^lensa-niaga-audit-tiktok-www\.tiktok\.com-\d{8}-\d{4}\.json$/);
    expect(doc).toMatchObject({ schema: 'lensa-niaga.audit', version: 1, language: 'id', screenshot: null });
    expect(doc.page).toMatchObject({ url: fixture.url, platform: 'tiktok', state: 'found' });
    expect(doc.rulePacks).toContainEqual({ ...tiktokPack, source: 'bundled' });
    expect(doc.findings.map((f) => [f.ruleId, f.count, f.evidence]).sort()).toEqual(
      report.detections.map((d) => [d.ruleId, d.count, d.evidence]).sort(),
    );

    // The popup was opened as a page, not from the toolbar: no activeTab grant, so Firefox's
    // captureVisibleTab refuses, the report says so, and its own tab comes back to the front.
    const box = await page.$('input[type="checkbox"]');
    await box!.click();
    await until(
      () => page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? ''),
      (t) => t.includes(msg('id', 'report.screenshot.refused')),
    );
    expect(await box!.evaluate((el) => (el as HTMLInputElement).checked)).toBe(false);
    expect(await page.$$eval('.report__shot', (els) => els.length)).toBe(0);
    expect(await page.evaluate(async () => (await browser.tabs.getCurrent())?.active)).toBe(true);

    const { texts, sizes } = await printed(page);
    // A4 is 595.28 × 841.89 pt; Firefox stores the page box to the nearest half point.
    for (const [x, y, w, h] of sizes) {
      expect([x, y]).toEqual([0, 0]);
      expect(Math.abs(w - 595.28)).toBeLessThan(1);
      expect(Math.abs(h - 841.89)).toBeLessThan(1);
    }
    for (const text of texts) expect(squash(text)).toContain(squash(msg('id', 'report.header')));
    const all = squash(texts.join(' '));
    expect(all).toContain(squash(fixture.url));
    for (const d of report.detections) {
      expect(all).toContain(squash(d.ruleId));
      expect(all).toContain(squash(msg('id', featureKey(d.feature))));
    }
    expect(all).not.toContain(squash(msg('id', 'report.actions.print')));
    await page.close();
    await popup.close();
  });

  test('a clean TikTok page: no findings in the page or the JSON', async () => {
    const fixture = cleanTiktokFixture(ff.pages);
    const { tabId } = await scanned(ff, fixture);
    await new Promise((r) => setTimeout(r, 300)); // late work on a negative page
    const page = await openReport(ff, tabId);
    expect(await page.evaluate(() => document.body.innerText)).toContain(msg('id', 'report.findings.none'));
    expect(await page.$$eval('tbody[data-rule-id]', (els) => els.length)).toBe(0);
    const { doc } = await downloadJson(ff, page, 'id');
    expect(doc.page).toMatchObject({ url: fixture.url, platform: 'tiktok', state: 'clean' });
    expect(doc.findings).toEqual([]);
    await page.close();
  });

  test('in-app transactions: advice under each, and a multi-page PDF with the header on every page', async () => {
    const fixture = tiktokFixture(
      ff.pages,
      // On TikTok's own pages: on shop-id.tokopedia.com Tokopedia runs the checkout (no advice there).
      (p) => p.expect.filter((id) => needsAdvice(id)).length >= 2 && new URL(p.url).hostname.endsWith('tiktok.com'),
      'two or more transaction or cross-border features',
    );
    const { tabId, report } = await scanned(ff, fixture);
    const page = await openReport(ff, tabId);
    await expectFindings(page, report, 'id');
    const { doc } = await downloadJson(ff, page, 'id');
    expect(doc.summary.needsAction).toBe(report.detections.filter((d) => needsAdvice(d.ruleId)).length);
    const { texts } = await printed(page);
    expect(texts.length).toBeGreaterThan(1);
    const header = squash(msg('id', 'report.header'));
    texts.forEach((text, i) => expect([i + 1, squash(text).includes(header)]).toEqual([i + 1, true]));
    expect(squash(texts.join(' '))).toContain(squash('https://pse.komdigi.go.id'));
    await page.close();
  });
});

describe('seller audit report in Firefox, English', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch({ lang: 'en' });
  });
  afterAll(() => ff?.close());

  test('the same storefront report, in English', async () => {
    const fixture = storefrontFixture(ff.pages);
    const { tabId, report } = await scanned(ff, fixture);
    const page = await openReport(ff, tabId, 'en');
    await expectFindings(page, report, 'en');
    const { doc } = await downloadJson(ff, page, 'en');
    expect(doc.language).toBe('en');
    const { texts } = await printed(page);
    for (const text of texts) expect(squash(text)).toContain(squash(msg('en', 'report.header')));
    await page.close();
  });
});
