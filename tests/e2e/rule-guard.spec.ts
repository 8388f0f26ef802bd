/**
 * The time guard on imported rules, in real Chromium against the built extension: a user rule
 * whose selector passes the import check but is slow on a long list (`li:has(~ li b)`: for each
 * item the browser looks at every later sibling) is switched off on the page, the page and the
 * other rules go on, and the options page lists the rule, where and why, until it is switched on
 * again.
 */
import type { RoutedPage } from '../../scripts/browser-harness';
import { expect, test } from './fixtures';

const SLOW_ID = 'toko-lambat.daftar';
const FAST_ID = 'toko-lambat.banner';
const PACK = {
  name: 'toko-lambat',
  version: '1.0.0',
  engine: 1,
  rules: [
    {
      id: SLOW_ID,
      platform: 'tiktok',
      feature: 'catalog',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: 'li:has(~ li b)',
      signals: [{ kind: 'text', pattern: '^Item' }],
    },
    {
      id: FAST_ID,
      platform: 'tiktok',
      feature: 'live-shopping',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: '[data-user-test="banner"]',
      signals: [{ kind: 'text', pattern: '^Belanja live sekarang$', flags: 'i' }],
    },
  ],
};
const ITEMS = 50_000;
const PAGE: RoutedPage = {
  url: 'https://www.tiktok.com/@toko.lambat/live',
  html:
    '<!doctype html><body><div data-user-test="banner">Belanja live sekarang</div><ul>' +
    '<li>Item</li>'.repeat(ITEMS) +
    '</ul><b>akhir</b></body>',
  expect: [],
  file: 'generated-slow-user-rule',
};

test('a slow imported rule is switched off on the page, kept off and listed on the options page', async ({
  extension,
  openFixture,
}) => {
  test.setTimeout(120_000);
  const options = await extension.context.newPage();
  await options.goto(`chrome-extension://${extension.id}/options.html`);
  await options.locator('#ln-packs-paste').fill(JSON.stringify(PACK));
  await options.getByRole('button', { name: /Impor JSON|Import the pasted/ }).click();
  await expect(options.getByTestId('pack-status')).toContainText(/2 aturan|2 rules/);

  const page = await openFixture(PAGE);
  const tabId = await extension.tabIdOf(page);
  await page.bringToFront();
  // The other rule of the same pack still reports.
  await extension.waitForReport(tabId, (r) => r.detections.some((d) => d.ruleId === FAST_ID), 60_000);
  const control = await extension.control();
  const stored = async () =>
    ((await control.evaluate(() => chrome.storage.local.get('switchedOffRules'))).switchedOffRules ?? []) as {
      ruleId: string;
      host: string;
      platform: string;
      spentMs: number;
      budgetMs: number;
    }[];
  await expect.poll(async () => (await stored()).map((r) => r.ruleId), { timeout: 60_000 }).toEqual([SLOW_ID]);
  const [record] = await stored();
  expect(record).toMatchObject({ host: 'www.tiktok.com', platform: 'tiktok', budgetMs: 50 });
  expect(record.spentMs).toBeGreaterThan(50);
  expect(JSON.stringify(record)).not.toContain('toko.lambat'); // the host, not the page path

  // The page was never taken down: it answers, and the slow rule counted at most a few items
  // before it was switched off (all 50,000 would take the browser about half a minute).
  await page.bringToFront();
  expect(await page.evaluate(() => document.querySelectorAll('li').length)).toBe(ITEMS);
  const report = await extension.report(tabId);
  expect(report.detections.find((d) => d.ruleId === SLOW_ID)?.count ?? 0).toBeLessThan(1000);

  // A reload keeps it off: the stored record leaves it out of the page's rules.
  const reloadedAt = Date.now();
  await page.reload();
  await extension.waitForReport(
    tabId,
    (r) => r.updatedAt >= reloadedAt && r.detections.some((d) => d.ruleId === FAST_ID),
  );
  await page.waitForTimeout(500);
  expect((await extension.report(tabId)).detections.map((d) => d.ruleId)).not.toContain(SLOW_ID);

  // The options page says which rule, where and why, and switches it on again.
  await options.reload();
  const list = options.getByTestId('switched-off-rules');
  await expect(list.locator('li')).toHaveCount(1);
  await expect(list).toContainText(SLOW_ID);
  await expect(list).toContainText('toko-lambat');
  await expect(list).toContainText('TikTok');
  await expect(list).toContainText('www.tiktok.com');
  await expect(list).toContainText(/batasnya 50 md|the limit is 50 ms/);
  await list.getByRole('button', { name: /Nyalakan lagi|Switch rule/ }).focus();
  await options.keyboard.press('Enter');
  await expect(list.locator('li')).toHaveCount(0);
  await expect(list).toContainText(/Tidak ada aturan|No rule has/);
  expect(await stored()).toEqual([]);
});
