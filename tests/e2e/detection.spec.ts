/**
 * The detection loop in real Chromium: built extension, fixture pages under real platform URLs,
 * results read through the public `detections:get` contract.
 */
import type { TabReport } from '../../rules/schema';
import { expect, extensionWorker, test } from './fixtures';

const ids = (r: TabReport) => r.detections.map((d) => d.ruleId).sort();
/** The content script has reported at least once for this page (reset on first flush). */
const scanned = (url: string) => (r: TabReport) => r.url === url;

test('every fixture page reports exactly its expected rules', async ({ pages, extension, openFixture }) => {
  test.setTimeout(120_000);
  const fixtures = pages.filter((p) => p.file.includes('/fixtures/'));
  expect(fixtures.length).toBeGreaterThan(10);
  const failures: string[] = [];
  for (const fixture of fixtures) {
    const page = await openFixture(fixture);
    const tabId = await extension.tabIdOf(page);
    const want = JSON.stringify(fixture.expect);
    try {
      await extension.waitForReport(tabId, (r) => scanned(fixture.url)(r) && JSON.stringify(ids(r)) === want, 4_000);
      if (fixture.expect.length === 0) {
        // A negative page: give late work a moment, then it must still be empty.
        await page.waitForTimeout(300);
        expect(ids(await extension.report(tabId))).toEqual([]);
      }
    } catch (error) {
      failures.push(`${fixture.file.split('/fixtures/')[1]}: ${(error as Error).message.slice(0, 300)}`);
    }
    await page.close();
  }
  expect(failures).toEqual([]);
});

test('the report has the contract shape and the badge has no number for an offer', async ({ extension, open }) => {
  const page = await open('https://www.tiktok.com/@tokobatik/video/7301234567890123456');
  const tabId = await extension.tabIdOf(page);
  const report = await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  expect(report).toMatchObject({ tabId, url: page.url(), platform: 'tiktok' });
  const d = report.detections.find((x) => x.ruleId === 'tiktok.product-tag')!;
  expect(d).toMatchObject({ platform: 'tiktok', feature: 'product-tag', category: 'offer', count: 1 });
  expect(d.evidence).toContain('Batik Tulis Pekalongan');
  expect(d.regulationIds.length).toBeGreaterThan(0);
  expect(d.firstSeen).toBeLessThanOrEqual(d.lastSeen);
  // A product tag is an allowed offer: no number on the badge, only a tooltip (popup.spec.ts has the rest).
  const badge = await extension.badge(tabId);
  expect(report.detections.every((x) => x.category !== 'transaction')).toBe(true);
  expect(badge.text).toBe('');
  expect(badge.title).toMatch(/Lensa Niaga/);
});

test('an unknown tab and invalid messages get the documented answers', async ({ extension }) => {
  expect(await extension.send({ type: 'detections:get', tabId: 987654 })).toEqual({
    tabId: 987654,
    url: '',
    platform: null,
    detections: [],
    updatedAt: 0,
  });
  expect(await extension.send({ type: 'detections:get' })).toEqual({ ok: false, error: expect.any(String) });
  expect(
    await extension.send({ type: 'detections:update', url: 'x', platform: 'tiktok', reset: true, detections: [] }),
  ).toEqual({ ok: false, error: expect.any(String) });
});

test('a product that appears 2 s after load is detected', async ({ extension, open }) => {
  const page = await open('https://www.tiktok.com/foryou?lang=id-ID');
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, scanned(page.url()));
  expect(ids(await extension.report(tabId))).toEqual([]);
  const report = await extension.waitForReport(
    tabId,
    (r) => r.detections.some((d) => d.feature === 'product-tag'),
    6_000,
  );
  const insertedAt = await page.evaluate(
    () => (window as unknown as { __productInsertedAt: number }).__productInsertedAt,
  );
  const latency = report.detections[0].firstSeen - insertedAt;
  test.info().annotations.push({
    type: 'first detection after insertion (ms)',
    description: String(Math.round(report.updatedAt - insertedAt)),
  });
  expect(latency).toBeLessThan(1_000);
});

test('an SPA route change resets the tab and scans the new route', async ({ extension, open }) => {
  const page = await open('https://www.tiktok.com/@tokobatik/video/7301234567890123456');
  const tabId = await extension.tabIdOf(page);
  await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  await page.evaluate(() => (window as unknown as { goToRoute(): void }).goToRoute());
  const report = await extension.waitForReport(tabId, (r) => r.url.endsWith('/7301234567890123999'));
  await page.waitForTimeout(500); // past the route-settle delay and a few frames
  const after = await extension.report(tabId);
  expect(after.url).toBe(report.url);
  expect(after.detections).toEqual([]);
  expect((await extension.badge(tabId)).text).toBe('');
});

test('a disabled site is not scanned until enabled again', async ({ extension, open }) => {
  const control = await extension.control();
  await control.evaluate(() =>
    chrome.storage.local.set({
      settings: {
        highlights: true,
        highlightCategories: { transaction: true, offer: true, 'link-out': false },
        disabledHosts: ['www.tiktok.com'],
      },
    }),
  );
  const page = await open('https://www.tiktok.com/@tokobatik/video/7301234567890123456');
  const tabId = await extension.tabIdOf(page);
  await page.waitForTimeout(800);
  expect(await extension.report(tabId)).toMatchObject({ url: '', detections: [] });
  expect(await page.locator('lensa-niaga-highlights').count()).toBe(0);
  await control.evaluate(() =>
    chrome.storage.local.set({
      settings: {
        highlights: true,
        highlightCategories: { transaction: true, offer: true, 'link-out': false },
        disabledHosts: [],
      },
    }),
  );
  await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  await expect(page.locator('lensa-niaga-highlights')).toHaveCount(1);
});

test('tab state survives the service worker being stopped', async ({ context, extension, open }) => {
  const page = await open('https://www.tiktok.com/@tokobatik/video/7301234567890123456');
  const tabId = await extension.tabIdOf(page);
  const before = await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  // A global set in the running worker: a worker that was really stopped comes back without it.
  const worker = await extensionWorker(context);
  await worker.evaluate(() => ((globalThis as unknown as { __lensaMarker: string }).__lensaMarker = 'before the stop'));
  expect(await worker.evaluate(() => (globalThis as unknown as { __lensaMarker?: string }).__lensaMarker)).toBe(
    'before the stop',
  );
  const control = await extension.control();
  const cdp = await context.newCDPSession(control);
  const states: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.includes(extension.id)) states.push(v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => states.includes('running')).toBe(true);
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('stopped');
  // The next message wakes a fresh worker, which must answer from storage.session.
  const after = await extension.report(tabId);
  expect(after.detections.map((d) => d.ruleId)).toEqual(before.detections.map((d) => d.ruleId));
  expect(states.slice(states.lastIndexOf('stopped'))).toContain('running');
  const marker = await (
    await extensionWorker(context)
  ).evaluate(() => (globalThis as unknown as { __lensaMarker?: string }).__lensaMarker ?? null);
  expect(marker).toBeNull();
});
