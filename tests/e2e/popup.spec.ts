/**
 * The popup in real Chromium, opened as a page for a fixture tab: what a consumer reads, in
 * Indonesian and English, with axe-core accessibility checks and screenshots as test artefacts.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { fixtureWith } from '../helpers/e2e-expectations';
import { expect, test, type Extension } from './fixtures';
import { PopupPage } from './popup-page';

async function popupFor(extension: Extension, page: Page): Promise<PopupPage> {
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.url === page.url());
  return PopupPage.openFor(extension, tabId);
}

async function shoot(popup: PopupPage, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await popup.page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('TikTok checkout: the transaction concern comes first, with Pasal 21(3) of 31/2023', async ({
  pages,
  extension,
  openFixture,
}) => {
  const fixture = fixtureWith(pages, 'tiktok', ['checkout', 'payment']);
  const page = await openFixture(fixture);
  const popup = await popupFor(extension, page);
  const summary = await popup.summary().innerText();
  expect(summary.indexOf('Transaksi di dalam aplikasi')).toBeGreaterThanOrEqual(0);
  expect(summary.indexOf('Transaksi di dalam aplikasi')).toBeLessThan(
    summary.indexOf('Penawaran') === -1 ? Infinity : summary.indexOf('Penawaran'),
  );
  await popup.expandAll();
  const text = await popup.text();
  expect(text).toContain('31/2023');
  expect(text).toMatch(/Pasal 21 ayat \(3\)/);
  expect(text).toContain('Berlaku'); // status of the provision
  expect(text).toMatch(/Terakhir diperiksa/); // last-verified date
  expect(text).toMatch(/19\/2026/); // the reported replacement is hedged
  expect(text).toContain('bukan kepada Anda'); // the rule binds the platform, not the user
  await shoot(popup, 'popup-tiktok-checkout-id');
  expect(await seriousViolations(popup.page)).toEqual([]);
});

test('YouTube merch shelf: explained as an allowed offer (Pasal 1 angka 17)', async ({
  pages,
  extension,
  openFixture,
}) => {
  const fixture = fixtureWith(pages, 'youtube', ['storefront', 'product-tag', 'product-page', 'catalog']);
  const page = await openFixture(fixture);
  const popup = await popupFor(extension, page);
  await popup.expandAll();
  const text = await popup.text();
  expect(text).toContain('Pasal 1 angka 17');
  expect(text).toContain('dibolehkan');
  expect(text).not.toContain('Transaksi di dalam aplikasi: 1');
  await shoot(popup, 'popup-youtube-offer-id');
  expect(await seriousViolations(popup.page)).toEqual([]);
});

test('a clean platform page and a page on another site get their empty states', async ({
  pages,
  extension,
  openFixture,
}) => {
  const clean = pages.find((p) => p.file.includes('/fixtures/tiktok/') && p.expect.length === 0)!;
  const popup = await popupFor(extension, await openFixture(clean));
  expect(await popup.text()).toContain('Tidak ada fitur belanja yang terlihat di halaman ini.');
  await shoot(popup, 'popup-clean-id');

  // A tab the content script never ran in (any site that is not a platform) has a null platform.
  const control = await extension.control();
  const otherTabId = await control.evaluate(async () => (await chrome.tabs.getCurrent())!.id!);
  const otherPopup = await PopupPage.openFor(extension, otherTabId);
  const text = await otherPopup.text();
  expect(text).toMatch(/Lensa Niaga bekerja di .*TikTok.*/);
  expect(await seriousViolations(otherPopup.page)).toEqual([]);
});

test('the popup is usable with the keyboard alone and can point at the element', async ({
  pages,
  extension,
  openFixture,
}) => {
  const fixture = fixtureWith(pages, 'tiktok', ['checkout', 'payment', 'buy-button', 'cart']);
  const page = await openFixture(fixture);
  const popup = await popupFor(extension, page);
  const reveal = popup.page.getByRole('button', { name: 'Tunjukkan di halaman' }).first();
  // Open the first finding's detail with the keyboard, then reach its reveal button by Tab.
  const firstSummary = popup.page.locator('details > summary').first();
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

test('it fits a narrow phone screen without sideways scrolling', async ({ pages, extension, openFixture }) => {
  const fixture = fixtureWith(pages, 'tiktok', ['checkout', 'payment', 'buy-button', 'cart']);
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  const popup = await PopupPage.openFor(extension, tabId, { width: 320, height: 640 });
  const overflow = await popup.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await shoot(popup, 'popup-tiktok-320px-id');
});

test.describe('in English', () => {
  test.use({ uiLanguage: 'en' });

  test('a TikTok checkout is explained in English', async ({ pages, extension, openFixture }) => {
    const fixture = fixtureWith(pages, 'tiktok', ['checkout', 'payment']);
    const popup = await popupFor(extension, await openFixture(fixture));
    await popup.expandAll();
    const text = await popup.text();
    expect(text).toContain('In-app transaction');
    expect(text).toMatch(/Article 21\(3\)/);
    expect(text).not.toContain('Transaksi di dalam aplikasi');
    await shoot(popup, 'popup-tiktok-checkout-en');
    expect(await seriousViolations(popup.page)).toEqual([]);
  });
});
