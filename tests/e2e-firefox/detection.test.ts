/**
 * The detection loop in Firefox: every platform's fixtures, the contract, the MV2 toolbar badge,
 * an SPA route change, a disabled site, and the event page's lifetime (state in storage.session
 * survives the background being suspended, as the service worker's does in Chromium).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { platformFixtures, ruleIds, SPA_NEXT_ROUTE_SUFFIX, SPA_VIDEO_URL } from '../helpers/e2e-expectations';
import { SETTINGS_STORAGE_VERSION } from '../../scripts/browser-harness';
import { FIREFOX_EXTENSION_PATH, FirefoxSession, GECKO_ID, until } from './firefox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('detection in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch();
  });
  afterAll(() => ff?.close());

  test('the build claims the Firefox versions it runs on: gecko id, strict_min_version, Android', async () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION_PATH, 'manifest.json'), 'utf8'));
    const gecko = manifest.browser_specific_settings.gecko;
    const android = manifest.browser_specific_settings.gecko_android;
    expect(gecko.id).toBe(GECKO_ID);
    const running = Number((await ff.ff.version()).match(/firefox\/(\d+)/i)![1]);
    const claimed = Number(String(gecko.strict_min_version).split('.')[0]);
    // The suite's Firefox is at least the oldest version the package claims to run on.
    expect(running).toBeGreaterThanOrEqual(claimed);
    // Firefox for Android is claimed from the same version: the layout suite covers it.
    expect(android.strict_min_version).toBe(gecko.strict_min_version);
  });

  test('every fixture page reports exactly its expected rules', async () => {
    const fixtures = platformFixtures(ff.pages);
    expect(fixtures.length).toBeGreaterThan(10);
    const failures: string[] = [];
    const tab = await ff.fixtureTab();
    let tabId: number | null = null;
    for (const fixture of fixtures) {
      const shownAt = Date.now();
      try {
        await tab.show(fixture);
        tabId ??= await ff.tabIdOf(tab.page);
        const want = JSON.stringify(fixture.expect);
        // updatedAt: a report of this load, not of an earlier fixture at the same URL.
        await ff.waitForReport(
          tabId,
          (r) => r.url === fixture.url && r.updatedAt >= shownAt && JSON.stringify(ruleIds(r)) === want,
          5_000,
        );
        if (fixture.expect.length === 0) {
          await sleep(300); // a negative page: late work must not find anything either
          expect(ruleIds(await ff.report(tabId))).toEqual([]);
        }
      } catch (error) {
        failures.push(`${fixture.file.split('/fixtures/')[1]}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
    await tab.page.close();
    expect(failures).toEqual([]);
  }, 240_000);

  test('the report has the contract shape and the browserAction badge has no number for an offer', async () => {
    const page = await ff.open(SPA_VIDEO_URL);
    const tabId = await ff.tabIdOf(page);
    const report = await ff.waitForReport(tabId, (r) => r.detections.length > 0);
    expect(report).toMatchObject({ tabId, url: page.url(), platform: 'tiktok' });
    const d = report.detections.find((x) => x.ruleId === 'tiktok.product-tag')!;
    expect(d).toMatchObject({ platform: 'tiktok', feature: 'product-tag', category: 'offer', count: 1 });
    expect(d.evidence).toContain('Batik Tulis Pekalongan');
    const badge = await ff.badge(tabId);
    // A product tag is an allowed offer: no number, only the tooltip.
    expect(badge.text).toBe('');
    expect(badge.title).toMatch(/Lensa Niaga/);
    await page.close();
  });

  test('an unknown tab and invalid messages get the documented answers', async () => {
    expect(await ff.send({ type: 'detections:get', tabId: 987654 })).toEqual({
      tabId: 987654,
      url: '',
      platform: null,
      detections: [],
      updatedAt: 0,
    });
    expect(await ff.send({ type: 'detections:get' })).toEqual({ ok: false, error: expect.any(String) });
    expect(
      await ff.send({ type: 'detections:update', url: 'x', platform: 'tiktok', reset: true, detections: [] }),
    ).toEqual({ ok: false, error: expect.any(String) });
  });

  test('an SPA route change resets the tab and scans the new route', async () => {
    const page = await ff.open(SPA_VIDEO_URL);
    const tabId = await ff.tabIdOf(page);
    await ff.waitForReport(tabId, (r) => r.detections.length > 0);
    await page.evaluate(() => (window as unknown as { goToRoute(): void }).goToRoute());
    const report = await ff.waitForReport(tabId, (r) => r.url.endsWith(SPA_NEXT_ROUTE_SUFFIX));
    await sleep(500); // past the route-settle delay and a few frames
    const after = await ff.report(tabId);
    expect(after.url).toBe(report.url);
    expect(after.detections).toEqual([]);
    expect((await ff.badge(tabId)).text).toBe('');
    await page.close();
  });

  test('a product that appears 2 s after load is detected within a second', async () => {
    const page = await ff.open('https://www.tiktok.com/foryou?lang=id-ID');
    const tabId = await ff.tabIdOf(page);
    await ff.waitForReport(tabId, (r) => r.url === page.url());
    const report = await ff.waitForReport(tabId, (r) => r.detections.some((d) => d.feature === 'product-tag'), 6_000);
    const insertedAt = await page.evaluate(
      () => (window as unknown as { __productInsertedAt: number }).__productInsertedAt,
    );
    expect(report.detections[0].firstSeen - insertedAt).toBeLessThan(1_000);
    await page.close();
  });

  test('a disabled site is not scanned until enabled again', async () => {
    const control = await ff.control();
    const settings = (disabledHosts: string[]) => ({
      highlights: true,
      highlightCategories: { transaction: true, offer: true, 'link-out': false },
      disabledHosts,
    });
    const store = (s: ReturnType<typeof settings>) =>
      control.evaluate(
        (s, v) => browser.storage.local.set({ settings: s, settings$: { v } }),
        s,
        SETTINGS_STORAGE_VERSION,
      );
    await store(settings(['www.tiktok.com']));
    const page = await ff.open(SPA_VIDEO_URL);
    const tabId = await ff.tabIdOf(page);
    await sleep(800);
    expect(await ff.report(tabId)).toMatchObject({ url: '', detections: [] });
    expect(await page.evaluate(() => document.querySelectorAll('lensa-niaga-highlights').length)).toBe(0);
    await store(settings([]));
    await ff.waitForReport(tabId, (r) => r.detections.length > 0);
    await until(
      () => page.evaluate(() => document.querySelectorAll('lensa-niaga-highlights').length),
      (n) => n === 1,
    );
    await page.close();
  });
});

describe('storage.session full in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch();
  });
  afterAll(() => ff?.close());

  test('detections are still answered when storage.session refuses writes', async () => {
    const control = await ff.control();
    // Fill the area until Firefox refuses (its quota is 10 MB, as in Chromium).
    const filled = await control.evaluate(async () => {
      const session = browser.storage.session as unknown as {
        set(items: Record<string, unknown>): Promise<void>;
        QUOTA_BYTES?: number;
      };
      for (let i = 0; i < 40; i++) {
        try {
          await session.set({ [`filler:${i}`]: 'x'.repeat(500_000) });
        } catch (error) {
          return { refusedAfter: i, quota: session.QUOTA_BYTES ?? null, error: String(error) };
        }
      }
      return { refusedAfter: null, quota: session.QUOTA_BYTES ?? null, error: '' };
    });
    expect(filled.refusedAfter).not.toBeNull();
    expect(filled.error).toMatch(/quota/i);
    const page = await ff.open(SPA_VIDEO_URL);
    const tabId = await ff.tabIdOf(page);
    const report = await ff.waitForReport(tabId, (r) => r.detections.length > 0);
    expect(report.detections.map((d) => d.ruleId)).toContain('tiktok.product-tag');
    expect((await ff.badge(tabId)).title).toMatch(/Lensa Niaga/);
    await page.close();
  });
});

describe('the event page in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    // Firefox suspends an idle event page after 30 s; a short timeout shows the same in seconds.
    ff = await FirefoxSession.launch({ prefs: { 'extensions.background.idle.timeout': 1_500 } });
  });
  afterAll(() => ff?.close());

  test('is an event page, and tab state survives it being suspended', async () => {
    const control = await ff.control();
    const manifest = await control.evaluate(() => browser.runtime.getManifest());
    expect(manifest.background).toMatchObject({ persistent: false });

    const page = await ff.open(SPA_VIDEO_URL);
    const tabId = await ff.tabIdOf(page);
    const before = await ff.waitForReport(tabId, (r) => r.detections.length > 0);
    const badgeBefore = await ff.badge(tabId);
    // A global in the running background page: a page that was really suspended comes back without it.
    await control.evaluate(() => {
      (browser.extension.getBackgroundPage() as unknown as { __lensaMarker: string }).__lensaMarker = 'before';
    });
    const running = () => control.evaluate(() => browser.extension.getBackgroundPage() !== null);
    await until(running, (r) => r === false, 15_000);
    // The next message starts a fresh background page, which must answer from storage.session.
    const after = await ff.report(tabId);
    expect(ruleIds(after)).toEqual(ruleIds(before));
    expect(after.url).toBe(before.url);
    expect(
      await control.evaluate(
        () =>
          (browser.extension.getBackgroundPage() as unknown as { __lensaMarker?: string } | null)?.__lensaMarker ??
          null,
      ),
    ).toBeNull();
    // The badge is still right for the tab after the restart.
    expect(await ff.badge(tabId)).toEqual(badgeBefore);
    await page.close();
  });
});
