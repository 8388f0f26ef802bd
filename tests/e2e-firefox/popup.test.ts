/**
 * The popup in Firefox, opened as a page for a fixture tab (`popup.html?tabId=N`), in Indonesian
 * and in English: the right feature labels and citations in the right language, its desktop width
 * and type size. Assertions read the page's text, so they hold whatever the layout is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import {
  featureKey,
  fixtureWith,
  NO_INJECTION,
  injectionTraces,
  sidewaysScroll,
  uiMessages,
} from '../helpers/e2e-expectations';
import { FIREFOX_EXTENSION_PATH, FirefoxSession } from './firefox';

const msg = uiMessages(FIREFOX_EXTENSION_PATH);

/** Open the popup for a fixture's tab once the background has its report; returns the popup's text. */
async function popupFor(ff: FirefoxSession, features: string[], platform = 'tiktok') {
  const fixture = fixtureWith(ff.pages, platform, features);
  const tab = await ff.openFixture(fixture);
  const tabId = await ff.tabIdOf(tab);
  const report = await ff.waitForReport(
    tabId,
    (r) => r.url === fixture.url && r.detections.length === fixture.expect.length,
  );
  const popup = await ff.openExtensionPage(`popup.html?tabId=${tabId}`, { width: 380, height: 720 });
  await popup.waitForSelector('[data-verdict]');
  // textContent: folded details count too, so the check does not depend on what starts open.
  const text = await popup.evaluate(() => document.body.textContent!.replace(/\s+/g, ' '));
  return { tab, tabId, report, popup, text };
}

async function closeAll(...pages: Page[]) {
  for (const p of pages) await p.close();
}

describe('popup in Firefox, Indonesian', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch({ lang: 'id' });
  });
  afterAll(() => ff?.close());

  test('TikTok checkout: each feature by name, Pasal 21(3) of 31/2023, the rule binds the platform', async () => {
    const { tab, report, popup, text } = await popupFor(ff, ['checkout', 'payment']);
    for (const d of report.detections) expect(text).toContain(msg('id', featureKey(d.feature)));
    expect(text).toContain('31/2023');
    expect(text).toMatch(/Pasal 21 ayat \(3\)/);
    expect(text).not.toMatch(/Article 21\(3\)/);
    // Page text in the popup stays text.
    expect(await popup.evaluate(injectionTraces)).toEqual(NO_INJECTION);
    await closeAll(popup, tab);
  });

  test('YouTube merch shelf: an allowed offer (Pasal 1 angka 17)', async () => {
    const { tab, popup, text } = await popupFor(
      ff,
      ['storefront', 'product-tag', 'product-page', 'catalog'],
      'youtube',
    );
    expect(text).toContain('Pasal 1 angka 17');
    expect(text).toContain('dibolehkan');
    await closeAll(popup, tab);
  });

  test('a tab that is not a platform page gets its empty state', async () => {
    const control = await ff.control();
    const otherTabId = await control.evaluate(async () => (await browser.tabs.getCurrent())!.id!);
    const popup = await ff.openExtensionPage(`popup.html?tabId=${otherTabId}`, { width: 380, height: 720 });
    // The control tab is itself an extension page: not a platform page, so nothing was checked.
    const otherSite = msg('id', 'popup.verdict.extensionPage').split(',')[0].trim();
    await popup.waitForFunction((t) => document.body.innerText.includes(t), {}, otherSite);
    await popup.close();
  });

  test('as the toolbar popup: 380 px wide, no sideways scroll, readable type', async () => {
    // Without ?tabId the page lays out as the toolbar popup does (for the tab in front).
    const popup = await ff.openExtensionPage('popup.html', { width: 800, height: 720 });
    await popup.waitForFunction(() => /TikTok/.test(document.body.innerText));
    const layout = await popup.evaluate(() => ({
      body: Math.round(document.body.getBoundingClientRect().width),
      fontSize: parseFloat(getComputedStyle(document.body).fontSize),
      font: getComputedStyle(document.body).fontFamily,
    }));
    expect(layout.body).toBe(380);
    expect(layout.fontSize).toBeGreaterThanOrEqual(14);
    expect(layout.font).not.toBe('');
    await popup.setViewport({ width: 380, height: 600 });
    expect(await popup.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
    await popup.close();
  });
});

describe('popup in Firefox, English', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch({ lang: 'en' });
  });
  afterAll(() => ff?.close());

  test('a TikTok checkout is explained in English', async () => {
    const { tab, report, popup, text } = await popupFor(ff, ['checkout', 'payment']);
    for (const d of report.detections) expect(text).toContain(msg('en', featureKey(d.feature)));
    for (const d of report.detections) {
      const id = msg('id', featureKey(d.feature));
      if (id !== msg('en', featureKey(d.feature))) expect(text).not.toContain(id);
    }
    await closeAll(popup, tab);
  });
});
