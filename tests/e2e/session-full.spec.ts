/**
 * storage.session full in Chromium: when the background cannot write a tab's findings there, it
 * still answers from memory, and the popup says, Indonesian first, that they may be lost if the
 * browser stops the background.
 */
import { expect, test } from './fixtures';
import { PopupPage } from './popup-page';

test('storage.session full: findings still answered, and the popup notes they are in memory only', async ({
  extension,
  pages,
  openFixture,
}) => {
  test.setTimeout(60_000);
  // Two pages with findings at different addresses (tabs are found by their URL).
  const [fixture, other] = pages.filter((p) => p.expect.length > 0 && p.url.startsWith('https://www.tiktok.com/'));
  expect(other.url).not.toBe(fixture.url);
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.detections.length > 0);

  // While the writes succeed there is no note.
  let popup = await PopupPage.openFor(extension, tabId);
  await expect(popup.verdict()).toBeVisible();
  await expect(popup.page.getByTestId('memory-only')).toHaveCount(0);
  await popup.page.close();

  // Fill the area to the brim (QUOTA_BYTES, 10 MB): big values until one is refused, then ever
  // smaller ones, down to 50 bytes, so not even a small tab report fits.
  const control = await extension.control();
  const filled = await control.evaluate(async () => {
    let key = 0;
    let error = '';
    for (const size of [500_000, 50_000, 5_000, 500, 50]) {
      for (let n = 0; n < 100; n++) {
        try {
          await chrome.storage.session.set({ [`filler:${key++}`]: 'x'.repeat(size) });
        } catch (e) {
          error = String(e);
          break;
        }
      }
    }
    return { keys: key, error };
  });
  expect(filled.error).toMatch(/quota/i);

  // A tab opened now: the background cannot write its state (a reload of the first tab would free
  // that tab's own entry first, and its new report would fit there).
  const second = await openFixture(other);
  const secondId = await extension.tabIdOf(second);
  const report = await extension.waitForReport(secondId, (r) => r.detections.length > 0 && r.memoryOnly === true);
  expect(report.detections.map((d) => d.ruleId).sort()).toEqual([...other.expect].sort());
  expect((await extension.report(tabId)).memoryOnly).toBeUndefined(); // the first tab's state was saved

  popup = await PopupPage.openFor(extension, secondId);
  const note = popup.page.getByTestId('memory-only');
  await expect(note).toBeVisible();
  await expect(note).toHaveText(/hanya disimpan di memori/);
  await expect(popup.verdict()).toBeVisible();
  // At 360 px the note wraps: no sideways scrolling.
  expect(
    await popup.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0);

  // Room again: the next write succeeds and the note goes.
  await control.evaluate(async (keys) => {
    await chrome.storage.session.remove(Array.from({ length: keys }, (_, i) => `filler:${i}`));
  }, filled.keys);
  const again = Date.now();
  await second.reload();
  await extension.waitForReport(secondId, (r) => r.updatedAt >= again && r.detections.length > 0 && !r.memoryOnly);
});
