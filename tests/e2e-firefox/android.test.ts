/**
 * The Android layout, in Firefox with Firefox for Android's user agent, a coarse pointer that
 * cannot hover, and touch input, at its phone sizes (360×640 and 412×915): the popup (a full page
 * on Android), the seller report, the research log and the options page scroll only downwards,
 * every control is at least 44 px each way, and nothing needs a hover. Firefox for Android shows no
 * toolbar badge, so the popup's own text and the highlights a tap asks for carry the message.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import {
  fixtureWith,
  hoverOnlyRules,
  MIN_TAP_PX,
  sidewaysScroll,
  smallTapTargets,
  uiMessages,
} from '../helpers/e2e-expectations';
import { ANDROID_SIZES, ANDROID_USER_AGENT, FIREFOX_EXTENSION_PATH, FirefoxSession, until } from './firefox';

const msg = uiMessages(FIREFOX_EXTENSION_PATH);

describe('Android layout in Firefox', () => {
  let ff: FirefoxSession;
  let tabId: number;
  let tab: Page;
  beforeAll(async () => {
    ff = await FirefoxSession.launch({ mobile: true });
    const fixture = fixtureWith(ff.pages, 'tiktok', ['checkout', 'payment', 'buy-button', 'cart']);
    tab = await ff.openFixture(fixture);
    tabId = await ff.tabIdOf(tab);
    await ff.waitForReport(tabId, (r) => r.url === fixture.url && r.detections.length === fixture.expect.length);
  });
  afterAll(() => ff?.close());

  test('the browser looks like Firefox for Android on a touch screen', async () => {
    const page = await ff.openExtensionPage('options.html');
    expect(
      await page.evaluate(() => ({
        ua: navigator.userAgent,
        coarse: matchMedia('(pointer: coarse)').matches,
        hover: matchMedia('(hover: hover)').matches,
      })),
    ).toEqual({ ua: ANDROID_USER_AGENT, coarse: true, hover: false });
    await page.close();
  });

  const views = [
    { name: 'popup', path: () => `popup.html?tabId=${tabId}`, ready: () => 'Lensa Niaga' },
    { name: 'report', path: () => `report.html?tabId=${tabId}`, ready: () => msg('id', 'report.title') },
    { name: 'research', path: () => 'research.html', ready: () => 'Lensa Niaga' },
    { name: 'options', path: () => 'options.html', ready: () => 'Lensa Niaga' },
  ];
  for (const size of ANDROID_SIZES) {
    for (const view of views) {
      test(`${view.name} at ${size.width}×${size.height}: no sideways scroll, 44 px targets, no hover`, async () => {
        const page = await ff.openExtensionPage(view.path(), size);
        await page.waitForFunction((t) => document.body.innerText.includes(t), {}, view.ready());
        if (view.name === 'popup') await page.waitForSelector('[data-verdict]');
        // Unfold everything a reader can unfold, so folded controls are measured too.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        expect(await page.evaluate(() => innerWidth)).toBe(size.width);
        expect(await page.evaluate(sidewaysScroll)).toBeLessThanOrEqual(0);
        expect(await page.evaluate(smallTapTargets, MIN_TAP_PX)).toEqual([]);
        expect(await page.evaluate(hoverOnlyRules)).toEqual([]);
        await page.close();
      });
    }
  }

  test('without a badge, the popup says what was found and a tap shows it on the page', async () => {
    const report = await ff.report(tabId);
    const popup = await ff.openExtensionPage(`popup.html?tabId=${tabId}`, ANDROID_SIZES[0]);
    await popup.waitForSelector('[data-verdict]');
    // The verdict is on the first screen of the page, not below the fold, and says something.
    const verdict = await popup.$eval('[data-verdict]', (el) => ({
      kind: el.getAttribute('data-verdict'),
      text: (el as HTMLElement).innerText.trim(),
      top: el.getBoundingClientRect().top,
      height: innerHeight,
    }));
    expect(verdict.kind).not.toBe('clean');
    expect(verdict.text.length).toBeGreaterThan(20);
    expect(verdict.top).toBeLessThan(verdict.height / 2);
    expect(report.detections.some((d) => d.category === 'transaction')).toBe(true);

    // Tap a finding open, then tap "show it on the page".
    const revealLabel = msg('id', 'popup.detail.reveal');
    const hasReveal = () =>
      popup.evaluate(
        (label) => [...document.querySelectorAll('button')].some((b) => b.textContent!.trim() === label),
        revealLabel,
      );
    // Unfold the rows (however the popup folds them), then the tap on the button is a real touch.
    await popup.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await until(hasReveal, (v) => v);
    const buttons = await popup.$$('button');
    for (const b of buttons) {
      if ((await b.evaluate((el) => el.textContent!.trim())) === revealLabel) {
        await b.tap();
        break;
      }
    }
    await until(
      () => tab.evaluate(() => document.querySelectorAll('lensa-niaga-highlights').length),
      (n) => n === 1,
    );
    await popup.close();
  });
});
