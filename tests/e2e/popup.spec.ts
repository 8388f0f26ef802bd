/**
 * The popup in real Chromium, opened as a page for a fixture tab at a phone's 360 × 600: the
 * verdict above the fold for every page state, in Indonesian and English; one row per feature with
 * its severity; each quote once when everything is open; the toolbar badge; axe-core checks and
 * screenshots as test artefacts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { RulePack } from '../../rules/schema';
import { readBundledPacks } from '../../scripts/bundled-packs';
import { expect, openServed, test, type Extension, type RoutedPage } from './fixtures';
import { PopupPage } from './popup-page';

/** feature of every bundled rule, read from the packs. */
const featureOf = new Map<string, string>();
for (const pack of readBundledPacks<RulePack>()) for (const r of pack.rules) featureOf.set(r.id, r.feature);
const TRANSACTION = ['checkout', 'payment', 'cart', 'buy-button'];
const quotes: string[] = JSON.parse(readFileSync(join(import.meta.dirname, '../../rules/regulations.json'), 'utf8'))
  .regulations.map((r: { quote?: string }) => r.quote)
  .filter(Boolean);

function fixture(pages: RoutedPage[], file: string): RoutedPage {
  const found = pages.find((p) => p.file.endsWith(file));
  if (!found) throw new Error(`no fixture ${file}`);
  return found;
}

async function popupFor(extension: Extension, page: Page): Promise<PopupPage> {
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.url === page.url());
  // Let the last detections of the page arrive (diffs are sent every 50 ms).
  await page.waitForTimeout(300);
  return PopupPage.openFor(extension, tabId);
}

async function shoot(popup: PopupPage, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await popup.page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The verdict is of `kind`, says `text`, and is fully inside the first 600 px at 360 px width. */
async function expectVerdict(popup: PopupPage, kind: string, text: RegExp) {
  const verdict = popup.verdict();
  await expect(verdict).toHaveAttribute('data-verdict', kind);
  await expect(verdict).toContainText(text);
  const box = (await verdict.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(600);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
}

const other: RoutedPage = { url: 'https://example.org/belanja', expect: [], html: '<p>Toko contoh</p>', file: 'other' };

const CASES = {
  id: {
    transaction:
      /Halaman TikTok ini punya \d+ fitur yang menerima pesanan atau pembayaran[\s\S]*Pasal 21 ayat \(3\)[\s\S]*bukan kepada Anda/,
    marketplace: /dijalankan Tokopedia, marketplace yang terdaftar sebagai PSE, bukan oleh TikTok sendiri/,
    offer: /Halaman YouTube ini menampilkan 1 jenis penawaran produk[\s\S]*dibolehkan sebagai promosi/,
    linkOut: /Halaman X ini punya 1 jenis tautan ke toko lain/,
    clean: /Belum ada fitur belanja yang terlihat di halaman TikTok ini[\s\S]*Gulir/,
    otherSite: /tidak mencakup situs ini[\s\S]*Lensa Niaga bekerja di TikTok/,
    extensionPage: /halaman browser atau ekstensi/,
    disabled: /Lensa Niaga dimatikan di www\.tiktok\.com/,
    turnOff: 'Matikan di www.tiktok.com',
    audit: 'Audit halaman ini',
  },
  en: {
    transaction:
      /This TikTok page has \d+ features that take orders or payments[\s\S]*Article 21\(3\)[\s\S]*not you as a user/,
    marketplace: /run by Tokopedia, a marketplace registered as PSE, not by TikTok itself/,
    offer: /This YouTube page shows 1 kind of product offer\.[\s\S]*allowed as promotion/,
    linkOut: /This X page has 1 kind of link to a shop elsewhere/,
    clean: /No shopping features are visible on this TikTok page yet[\s\S]*Scroll/,
    otherSite: /does not cover this site[\s\S]*It works on TikTok/,
    extensionPage: /browser or extension page/,
    disabled: /Lensa Niaga is turned off on www\.tiktok\.com/,
    turnOff: 'Turn off on www.tiktok.com',
    audit: 'Audit this page',
  },
} as const;

for (const lang of ['id', 'en'] as const) {
  test.describe(`verdict first (${lang})`, () => {
    test.use({ uiLanguage: lang });
    const text = CASES[lang];

    test('a TikTok checkout: the transaction verdict, then the switch and the audit', async ({
      pages,
      extension,
      openFixture,
    }) => {
      const page = await openFixture(fixture(pages, 'tiktok/checkout-en.html'));
      const popup = await popupFor(extension, page);
      await expectVerdict(popup, 'transaction', text.transaction);
      for (const name of [text.turnOff, text.audit]) {
        const box = (await popup.page.getByRole('button', { name }).boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(600);
      }
      await shoot(popup, `popup-tiktok-checkout-${lang}`);
      expect(await seriousViolations(popup.page)).toEqual([]);
    });

    test('shop-id.tokopedia.com: a marketplace runs the checkout, no red anywhere', async ({
      pages,
      extension,
      openFixture,
    }) => {
      const page = await openFixture(fixture(pages, 'tiktok/product-page-tokopedia.html'));
      const popup = await popupFor(extension, page);
      await expectVerdict(popup, 'marketplace', text.marketplace);
      await expect(popup.page.locator('[data-severity="concern"], [data-severity="possible-concern"]')).toHaveCount(0);
      await expect(popup.page.locator('[data-feature="buy-button"]')).toHaveAttribute('data-severity', 'info');
      await shoot(popup, `popup-marketplace-${lang}`);
      expect(await seriousViolations(popup.page)).toEqual([]);
    });

    test('offers only, links only, and a clean page', async ({ pages, extension, openFixture }) => {
      const offer = await popupFor(extension, await openFixture(fixture(pages, 'youtube/watch-merch-shelf.html')));
      await expectVerdict(offer, 'offer', text.offer);
      await shoot(offer, `popup-offer-${lang}`);
      const links = await popupFor(extension, await openFixture(fixture(pages, 'x/tweet-tco-shopee.html')));
      await expectVerdict(links, 'link-out', text.linkOut);
      const clean = await popupFor(extension, await openFixture(fixture(pages, 'tiktok/neg-ordinary-video.html')));
      await expectVerdict(clean, 'clean', text.clean);
      expect(await seriousViolations(clean.page)).toEqual([]);
    });

    test('a site it does not cover and an extension page offer no switch and no audit', async ({
      context,
      extension,
    }) => {
      // Without a host permission the browser hides the tab's address: find the new tab by id.
      const control = await extension.control();
      const tabIds = () => control.evaluate(async () => (await chrome.tabs.query({})).map((t) => t.id!));
      const before = new Set(await tabIds());
      await openServed(context, other);
      const otherTab = (await tabIds()).find((id) => !before.has(id))!;
      const otherPopup = await PopupPage.openFor(extension, otherTab);
      await expectVerdict(otherPopup, 'other-site', text.otherSite);
      await expect(otherPopup.page.getByRole('button', { name: text.audit })).toHaveCount(0);
      await expect(otherPopup.page.locator('[data-actions]')).toHaveCount(0);
      expect(await seriousViolations(otherPopup.page)).toEqual([]);

      // A tab the content script never ran in, showing one of the extension's own pages.
      const ownTabId = await control.evaluate(async () => (await chrome.tabs.getCurrent())!.id!);
      const ownPopup = await PopupPage.openFor(extension, ownTabId);
      await expectVerdict(ownPopup, 'extension-page', text.extensionPage);
      await expect(ownPopup.page.locator('[data-actions]')).toHaveCount(0);
      expect(await ownPopup.text()).not.toContain(extension.id);
    });

    test('a site switched off says so first, with the switch to turn it on again', async ({
      pages,
      extension,
      openFixture,
    }) => {
      const page = await openFixture(fixture(pages, 'tiktok/checkout-en.html'));
      const popup = await popupFor(extension, page);
      await popup.page.getByRole('button', { name: text.turnOff }).click();
      await expectVerdict(popup, 'disabled', text.disabled);
      await expect(popup.page.getByRole('button', { name: text.audit })).toHaveCount(0);
      await expect(popup.rows()).toHaveCount(0);
    });
  });
}

test('one row per feature, each quote once when everything is open, severity by operator', async ({
  pages,
  extension,
  openFixture,
}) => {
  const page = await openFixture(fixture(pages, 'tiktok/checkout-en.html'));
  const tabId = await extension.tabIdOf(page);
  const report = await extension.waitForReport(tabId, (r) => r.detections.length >= 3);
  const popup = await PopupPage.openFor(extension, tabId);
  const features = [...new Set(report.detections.map((d) => d.feature))];
  // Two rules find this checkout: one row for it.
  expect(report.detections.filter((d) => d.feature === 'checkout').length).toBeGreaterThan(1);
  const rows = await popup
    .rows()
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-feature'), e.getAttribute('data-severity')]));
  expect(rows.map(([f]) => f).sort()).toEqual([...features].sort());
  for (const [feature, severity] of rows) {
    expect([feature, severity]).toEqual([feature, TRANSACTION.includes(feature!) ? 'concern' : 'info']);
  }
  // Every rule id is in the details of its row.
  const checkout = popup.page.locator('[data-feature="checkout"]');
  for (const d of report.detections.filter((x) => x.feature === 'checkout'))
    await expect(checkout).toContainText(d.ruleId);

  await popup.expandAll();
  const text = await popup.text();
  for (const quote of quotes) expect(text.split(quote).length - 1).toBeLessThanOrEqual(1);
  expect(text.split('PPMSE dengan model bisnis Social-Commerce dilarang').length - 1).toBe(1);
  expect(text.split('Permendag No. 19 Tahun 2026 (dilaporkan)').length - 1).toBe(1); // the caveat, once
  expect(text).toContain('Berlaku');
  expect(text).toMatch(/Terakhir diperiksa/);
  await popup.page.setViewportSize({ width: 360, height: 600 });
  expect(
    await popup.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);
  expect(await seriousViolations(popup.page)).toEqual([]);
});

test('the badge counts distinct transaction features on the platform, and nothing else', async ({
  pages,
  extension,
  openFixture,
}) => {
  const checkoutPage = await openFixture(fixture(pages, 'tiktok/checkout-en.html'));
  const checkoutTab = await extension.tabIdOf(checkoutPage);
  const report = await extension.waitForReport(checkoutTab, (r) => r.detections.length >= 3);
  await checkoutPage.waitForTimeout(300);
  const distinct = new Set(
    (await extension.report(checkoutTab)).detections.filter((d) => d.category === 'transaction').map((d) => d.feature),
  );
  expect(report.detections.length).toBeGreaterThan(distinct.size); // rules, not features
  const badge = await extension.badge(checkoutTab);
  expect(badge.text).toBe(String(distinct.size));
  expect(badge.title).toContain(`${distinct.size} fitur di halaman ini menerima pesanan atau pembayaran`);

  const marketPage = await openFixture(fixture(pages, 'tiktok/product-page-tokopedia.html'));
  const marketTab = await extension.tabIdOf(marketPage);
  await extension.waitForReport(marketTab, (r) => r.detections.some((d) => d.category === 'transaction'));
  await marketPage.waitForTimeout(300);
  const market = await extension.badge(marketTab);
  expect(market.text).toBe('');
  expect(market.title).toMatch(/dijalankan Tokopedia/);

  const offerPage = await openFixture(fixture(pages, 'youtube/watch-merch-shelf.html'));
  const offerTab = await extension.tabIdOf(offerPage);
  await extension.waitForReport(offerTab, (r) => r.detections.length > 0);
  await offerPage.waitForTimeout(300);
  const offer = await extension.badge(offerTab);
  expect(offer.text).toBe('');
  expect(offer.title).toMatch(/\d+ fitur belanja, dibolehkan sebagai promosi/);
});

test('the popup is usable with the keyboard alone and can point at the element', async ({
  pages,
  extension,
  openFixture,
}) => {
  const page = await openFixture(fixture(pages, 'tiktok/checkout-en.html'));
  const popup = await popupFor(extension, page);
  const reveal = popup.page.getByRole('button', { name: 'Tunjukkan di halaman' }).first();
  // Open the first row with the keyboard, then reach its reveal button by Tab.
  const firstSummary = popup.page.locator('[data-feature] > summary').first();
  await firstSummary.focus();
  await popup.page.keyboard.press('Enter');
  await expect(reveal).toBeVisible();
  for (let i = 0; i < 40 && !(await reveal.evaluate((el) => el === document.activeElement)); i++) {
    await popup.page.keyboard.press('Tab');
  }
  await expect(reveal).toBeFocused();
  const outline = await reveal.evaluate(
    (el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).boxShadow,
  );
  expect(outline).not.toBe('none none');
  await popup.page.keyboard.press('Enter');
  await expect(page.locator('lensa-niaga-highlights')).toHaveCount(1);
});
