/**
 * Hardening in Firefox: hostile page text is shown as text in the popup, the seller report and the
 * research log; a web page cannot reach the background; user rule packs through the options page
 * (import, detect with it, refuse a catastrophic pattern, switch off, remove).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import {
  BAD_USER_PACK,
  FORGED_UPDATE,
  INJECTION_CONSOLE,
  injectionTraces,
  NO_INJECTION,
  PAYLOADS,
  payloadPage,
  ruleIds,
  USER_PACK,
  USER_PACK_PAGE,
  uiMessages,
} from '../helpers/e2e-expectations';
import { FIREFOX_EXTENSION_PATH, FirefoxSession, clickByText, until } from './firefox';

const msg = uiMessages(FIREFOX_EXTENSION_PATH);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watch a page for any sign that a payload ran. */
function watch(page: Page): { dialogs: string[]; console: string[] } {
  const seen = { dialogs: [] as string[], console: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (INJECTION_CONSOLE.test(m.text())) seen.console.push(m.text());
  });
  page.on('pageerror', (e) => seen.console.push(`pageerror: ${(e as Error).message}`));
  return seen;
}

async function expectShownAsText(page: Page, payloads: string[], seen: ReturnType<typeof watch>) {
  const text = (await page.evaluate(() => document.body.textContent ?? '')).replace(/\s+/g, ' ');
  for (const p of payloads) expect(text).toContain(p.replace(/\s+/g, ' '));
  expect(await page.evaluate(injectionTraces)).toEqual(NO_INJECTION);
  expect(seen.dialogs).toEqual([]);
  expect(seen.console).toEqual([]);
}

/** Set a textarea's text as typing would (Preact listens for `input`). */
async function fill(page: Page, selector: string, value: string) {
  await page.$eval(
    selector,
    (el, v) => {
      (el as HTMLTextAreaElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

describe('hardening in Firefox', () => {
  let ff: FirefoxSession;
  beforeAll(async () => {
    ff = await FirefoxSession.launch();
  });
  afterAll(() => ff?.close());

  test('the page full of payloads: popup, seller report and research log show them as text', async () => {
    const research = await ff.openExtensionPage('research.html');
    await research.waitForSelector('.rl__consent .rl__button--primary');
    await research.click('.rl__consent .rl__button--primary');
    await research.waitForSelector('.rl__state--on');
    await research.close();

    const fixture = ff.pages.find((p) => p.file.endsWith('hostile-xss.html'))!;
    const page = await ff.openFixture(fixture);
    const tabId = await ff.tabIdOf(page);
    const report = await ff.waitForReport(
      tabId,
      (r) => r.url === fixture.url && JSON.stringify(ruleIds(r)) === JSON.stringify(fixture.expect),
    );
    const evidence = report.detections.map((d) => d.evidence);
    expect(evidence).toContain(`<img src=x onerror="window.__xss=1;alert('xss-1')">`);
    await sleep(1_500); // past the research log writer's batch delay

    for (const view of [`popup.html?tabId=${tabId}`, `report.html?tabId=${tabId}`, 'research.html']) {
      const shown = await ff.openExtensionPage(view);
      const seen = watch(shown);
      await shown.waitForFunction(() => document.body.textContent!.includes('xss-1'), { timeout: 8_000 });
      await sleep(300); // let any deferred handler or load fire
      await expectShownAsText(shown, evidence, seen);
      await shown.close();
    }
    await page.close();
  });

  test(`${PAYLOADS.length} payloads in evidence positions, in the popup of each tab`, async () => {
    for (let i = 0; i < PAYLOADS.length; i += 2) {
      const [label, tab] = [PAYLOADS[i], PAYLOADS[i + 1] ?? PAYLOADS[0]];
      const page = await ff.openFixture(payloadPage(i, label, tab));
      const tabId = await ff.tabIdOf(page);
      const report = await ff.waitForReport(tabId, (r) => r.url === page.url() && r.detections.length >= 2);
      const evidence = report.detections.map((d) => d.evidence);
      expect(evidence).toContain(label);
      const popup = await ff.openExtensionPage(`popup.html?tabId=${tabId}`);
      const seen = watch(popup);
      await popup.waitForFunction((t) => document.body.textContent!.includes(t), {}, label.slice(0, 20));
      await sleep(200);
      await expectShownAsText(popup, evidence, seen);
      await popup.close();
      await page.close();
    }
  });

  test('a page cannot send the background messages', async () => {
    const fixture = ff.pages.find((p) => p.file.endsWith('hostile-xss.html'))!;
    const page = await ff.openFixture(fixture);
    const tabId = await ff.tabIdOf(page);
    const before = await ff.waitForReport(tabId, (r) => r.url === fixture.url && r.detections.length >= 2);
    const attempts = await page.evaluate(async (message) => {
      window.postMessage(message, '*');
      window.postMessage({ type: 'rules:import', pack: { name: 'forged' } }, '*');
      for (const name of ['lensa-niaga', 'message', 'detections:update', 'rules:import']) {
        document.dispatchEvent(new CustomEvent(name, { detail: message, bubbles: true }));
        window.dispatchEvent(new CustomEvent(name, { detail: message }));
      }
      const g = globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown } }; browser?: unknown };
      await new Promise((r) => setTimeout(r, 500));
      return { chrome: typeof g.chrome?.runtime?.sendMessage, browser: typeof g.browser };
    }, FORGED_UPDATE);
    // Firefox gives web pages neither `browser` nor `chrome.runtime`.
    expect(attempts).toEqual({ chrome: 'undefined', browser: 'undefined' });
    const after = await ff.report(tabId);
    expect(after.url).toBe(before.url);
    expect(ruleIds(after)).toEqual(ruleIds(before));
    const control = await ff.control();
    expect(await control.evaluate(async () => (await browser.storage.local.get('userPacks')).userPacks ?? [])).toEqual(
      [],
    );
    await page.close();
  });

  test('rule packs: import on the options page, detect with it, refuse a bad one, switch off, remove', async () => {
    const options = await ff.openExtensionPage('options.html');
    const seen = watch(options);
    expect(await options.$$eval('a[href$="/research.html"]', (a) => a.length)).toBe(1);
    const status = () => options.$eval('[data-testid="pack-status"]', (el) => (el as HTMLElement).innerText);
    const list = () =>
      options.$eval('[data-testid="pack-list"]', (el) => (el as HTMLElement).innerText).catch(() => null);

    await fill(options, '#ln-packs-paste', JSON.stringify(USER_PACK));
    await clickByText(options, 'button', msg('id', 'options.packs.importPasted'));
    await until(status, (t) => /2 aturan/.test(t));
    const listed = await until(list, (t) => t !== null && t.includes('toko-uji'));
    expect(listed).toContain('1.2.0');
    expect(listed).toContain('<b>not bold</b>'); // the description is text
    expect(await options.$$eval('.ln-pack b', (b) => b.length)).toBe(0);

    // The imported rule works on a page opened afterwards.
    const page = await ff.openFixture(USER_PACK_PAGE);
    const tabId = await ff.tabIdOf(page);
    await ff.waitForReport(tabId, (r) => r.detections.some((d) => d.ruleId === 'user.live-banner'));

    // A catastrophic pattern is refused with the rule and pattern named; the installed pack stays.
    await options.bringToFront();
    await fill(options, '#ln-packs-paste', JSON.stringify(BAD_USER_PACK));
    await clickByText(options, 'button', msg('id', 'options.packs.importPasted'));
    const errors = await until(
      () => options.$eval('[data-testid="pack-errors"]', (el) => (el as HTMLElement).innerText).catch(() => ''),
      (t) => t.includes('rule "user.live-banner"'),
    );
    expect(errors).toContain('/^(\\w|\\d)+$/');
    expect(await list()).toContain('1.2.0');
    // The background installs nothing, whoever asks: the options page is the only way in.
    expect(await ff.send({ type: 'rules:import', pack: BAD_USER_PACK })).toMatchObject({
      ok: false,
      error: expect.any(String),
    });

    // Switch off: a reload no longer detects with it.
    await options.click('[data-testid="pack-list"] input[type="checkbox"]');
    const control = await ff.control();
    await until(
      () =>
        control.evaluate(
          async () =>
            ((await browser.storage.local.get('userPacks')).userPacks as { enabled: boolean }[] | undefined)?.[0]
              ?.enabled,
        ),
      (enabled) => enabled === false,
    );
    const reloadedAt = Date.now();
    await page.bringToFront();
    await page.reload();
    await ff.waitForReport(tabId, (r) => r.url === USER_PACK_PAGE.url && r.updatedAt >= reloadedAt);
    await sleep(500);
    expect(ruleIds(await ff.report(tabId))).not.toContain('user.live-banner');

    // Remove, with the two-step confirmation.
    await options.bringToFront();
    await clickByText(options, '[data-testid="pack-list"] button', msg('id', 'options.packs.remove'));
    await clickByText(options, '[data-testid="pack-list"] button', msg('id', 'options.packs.confirm'));
    await until(list, (t) => t === null);
    expect(await options.evaluate(() => document.body.innerText)).toContain(msg('id', 'options.packs.none'));
    expect(seen.dialogs).toEqual([]);
    await page.close();
  });
});
