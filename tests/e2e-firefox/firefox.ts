/**
 * Debian's Firefox ESR with the built extension (.output/firefox-mv2; `npm run build:firefox`
 * first), driven by puppeteer-core over WebDriver BiDi. Fixture pages are served under their real
 * platform URLs by request interception; every other web request is aborted (there is no network).
 * The helpers speak the same `detections:get` contract as the Chromium harness.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import type { TabReport } from '../../rules/schema';
import { loadPages, pageAt, type RoutedPage } from '../../scripts/fixture-pages';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';
export const FIREFOX_EXTENSION_PATH = resolve(import.meta.dirname, '../../.output/firefox-mv2');
export const GECKO_ID: string = JSON.parse(readFileSync(join(FIREFOX_EXTENSION_PATH, 'manifest.json'), 'utf8'))
  .browser_specific_settings.gecko.id;
/** A fixed moz-extension UUID, so the suite knows the extension pages' addresses in advance. */
export const EXTENSION_UUID = '5f0c6e1a-9d2b-4c7e-8a31-6b4d2e9f7c10';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

/** Firefox for Android 142 on a phone, as its own user agent string reads. */
export const ANDROID_USER_AGENT = 'Mozilla/5.0 (Android 14; Mobile; rv:142.0) Gecko/142.0 Firefox/142.0';
/** Firefox for Android's viewport sizes the layout is checked at (CSS pixels). */
export const ANDROID_SIZES = [
  { width: 360, height: 640 },
  { width: 412, height: 915 },
] as const;

export interface LaunchOptions {
  lang?: 'id' | 'en';
  /** A phone: Android user agent, a coarse pointer that cannot hover, touch input. */
  mobile?: boolean;
  prefs?: Record<string, string | number | boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Serve `fixture` to this page only and abort every other web request. */
async function serve(page: Page, fixture: () => RoutedPage | undefined): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    // Over BiDi, request.resourceType() throws: match on the URL.
    const url = request.url();
    if (!/^https?:/.test(url)) return void request.continue();
    const served = fixture();
    if (served && url.split('#')[0] === served.url) {
      return void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: served.html });
    }
    return void request.abort();
  });
}

export class FirefoxSession {
  private controlPage: Page | null = null;
  readonly pages: RoutedPage[] = loadPages();

  private constructor(
    readonly ff: Browser,
    readonly downloads: string,
    readonly mobile: boolean,
  ) {}

  static async launch({ lang = 'id', mobile = false, prefs = {} }: LaunchOptions = {}): Promise<FirefoxSession> {
    const downloads = mkdtempSync(join(tmpdir(), 'lensa-ff-downloads-'));
    const ff = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      // WebDriver BiDi refuses to navigate to moz-extension:// pages without this flag.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
        // The UI language decides the extension's locale; Debian's firefox-esr-l10n-id has Indonesian.
        'intl.locale.requested': lang === 'id' ? 'id' : 'en-US',
        'intl.accept_languages': lang === 'id' ? 'id-ID, id' : 'en-US, en',
        'browser.download.dir': downloads,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        ...(mobile
          ? {
              'general.useragent.override': ANDROID_USER_AGENT,
              // Bit 0: coarse pointer; no "hover" bit, as on a touch screen.
              'ui.primaryPointerCapabilities': 1,
              'ui.allPointerCapabilities': 1,
              'dom.w3c_touch_events.enabled': 1,
            }
          : {}),
        ...prefs,
      },
    });
    try {
      const id = await ff.installExtension(FIREFOX_EXTENSION_PATH);
      if (id !== GECKO_ID) throw new Error(`installed ${id}, expected ${GECKO_ID}`);
    } catch (error) {
      await ff.close();
      throw error;
    }
    return new FirefoxSession(ff, downloads, mobile);
  }

  async close(): Promise<void> {
    await this.ff.close();
    rmSync(this.downloads, { recursive: true, force: true });
  }

  url(path: string): string {
    return `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;
  }

  private async newPage(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await this.ff.newPage();
    if (viewport || this.mobile)
      await page.setViewport({ ...(viewport ?? { width: 360, height: 640 }), hasTouch: this.mobile });
    else await page.setViewport({ width: 1280, height: 900 });
    return page;
  }

  /**
   * Open an extension page. WebDriver BiDi reports no load event for moz-extension documents (the
   * page itself loads), so wait for the network to go quiet and the document to be complete.
   */
  async openExtensionPage(path: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await this.newPage(viewport);
    await this.navigateExtensionPage(page, path);
    return page;
  }

  async navigateExtensionPage(page: Page, path: string): Promise<void> {
    await page.goto(this.url(path), { waitUntil: 'networkidle0', timeout: 15_000 });
    await page.waitForFunction(() => document.readyState === 'complete', { timeout: 15_000 });
  }

  /** Open one fixture page in a new tab, served to that tab only. */
  async openFixture(fixture: RoutedPage, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await this.newPage(viewport);
    await serve(page, () => fixture);
    await page.goto(fixture.url);
    return page;
  }

  /**
   * One tab that shows each fixture in turn (`show` navigates it): much quicker than a tab per
   * fixture when a scenario walks all of them.
   */
  async fixtureTab(): Promise<{ page: Page; show(fixture: RoutedPage): Promise<void> }> {
    let current: RoutedPage | undefined;
    const page = await this.newPage();
    await serve(page, () => current);
    return {
      page,
      show: async (fixture) => {
        current = fixture;
        await page.goto(fixture.url);
        // A hidden tab is not scanned: the control page may have come to the front meanwhile.
        await page.bringToFront();
      },
    };
  }

  /** Open a fixture page by its URL (the page a URL is served as). */
  async open(url: string): Promise<Page> {
    const fixture = pageAt(this.pages, url);
    if (!fixture) throw new Error(`no fixture page at ${url}`);
    return this.openFixture({ ...fixture, url });
  }

  /** An extension page to send messages from (the popup page, opened as a tab). */
  async control(): Promise<Page> {
    if (this.controlPage && !this.controlPage.isClosed()) return this.controlPage;
    this.controlPage = await this.openExtensionPage('popup.html');
    return this.controlPage;
  }

  async tabIdOf(page: Page): Promise<number> {
    const control = await this.control();
    const url = page.url();
    const id = await control.evaluate(async (u) => {
      const tabs = await browser.tabs.query({});
      return tabs.find((t) => t.url === u)?.id ?? null;
    }, url);
    if (id === null) throw new Error(`no tab with url ${url}`);
    return id;
  }

  async send(message: unknown): Promise<unknown> {
    const control = await this.control();
    return control.evaluate((m) => browser.runtime.sendMessage(m), message as never);
  }

  async report(tabId: number): Promise<TabReport> {
    return (await this.send({ type: 'detections:get', tabId })) as TabReport;
  }

  /** Poll `detections:get` until `accept` holds (or fail with the last report). */
  async waitForReport(tabId: number, accept: (r: TabReport) => boolean, timeout = 6_000): Promise<TabReport> {
    const start = Date.now();
    let last: TabReport | null = null;
    while (Date.now() - start < timeout) {
      last = await this.report(tabId);
      if (accept(last)) return last;
      await sleep(50);
    }
    throw new Error(`report did not settle in ${timeout} ms; last: ${JSON.stringify(last)}`);
  }

  /** The MV2 toolbar button's badge (Firefox has `browserAction`; `action` is MV3 only). */
  async badge(tabId: number): Promise<{ text: string; title: string; color: number[] }> {
    const control = await this.control();
    return control.evaluate(async (id) => {
      // Firefox's browserAction answers with promises (the shared typings know only callbacks).
      const action = browser.browserAction as unknown as {
        getBadgeText(d: { tabId: number }): Promise<string>;
        getTitle(d: { tabId: number }): Promise<string>;
        getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
      };
      return {
        text: await action.getBadgeText({ tabId: id }),
        title: await action.getTitle({ tabId: id }),
        color: await action.getBadgeBackgroundColor({ tabId: id }),
      };
    }, tabId);
  }

  /**
   * Run `action` and return the tab it opens at an extension page whose path ends with `path`.
   * Tabs the extension opens keep reporting about:blank over BiDi, so ask each new page itself.
   */
  async pageOpenedBy(path: string, action: () => Promise<unknown>, timeout = 8_000): Promise<Page> {
    const before = new Set(await this.ff.pages());
    await action();
    const start = Date.now();
    while (Date.now() - start < timeout) {
      for (const page of await this.ff.pages()) {
        if (before.has(page)) continue;
        const href = await page.evaluate(() => location.href).catch(() => '');
        if (new URL(href || 'about:blank').pathname.endsWith(path)) {
          await page.waitForFunction(() => document.readyState === 'complete');
          return page;
        }
      }
      await sleep(100);
    }
    throw new Error(`no tab opened at ${path} within ${timeout} ms`);
  }

  /** Run `action` and return the file it downloaded (Firefox saves without asking here). */
  async download(action: () => Promise<unknown>, timeout = 10_000): Promise<{ name: string; text: string }> {
    const before = new Set(readdirSync(this.downloads));
    await action();
    const start = Date.now();
    while (Date.now() - start < timeout) {
      const done = readdirSync(this.downloads).filter((f) => !before.has(f) && !f.endsWith('.part'));
      const partial = readdirSync(this.downloads).some((f) => f.endsWith('.part'));
      if (done.length > 0 && !partial) {
        const file = join(this.downloads, done[0]);
        if (statSync(file).size > 0) return { name: done[0], text: readFileSync(file, 'utf8') };
      }
      await sleep(100);
    }
    throw new Error(`nothing downloaded within ${timeout} ms`);
  }
}

/** Poll `read` until `accept` holds; fail with the last value. */
export async function until<T>(read: () => Promise<T>, accept: (v: T) => boolean, timeout = 6_000): Promise<T> {
  const start = Date.now();
  let last: T | undefined;
  while (Date.now() - start < timeout) {
    last = await read();
    if (accept(last)) return last;
    await sleep(100);
  }
  throw new Error(`condition not met within ${timeout} ms; last: ${JSON.stringify(last)}`);
}

/** The visible text of the page's body. */
export const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

/** Click the first element matching `selector` whose text matches `name`. */
export async function clickByText(page: Page, selector: string, name: RegExp | string): Promise<void> {
  const handles = await page.$$(selector);
  for (const h of handles) {
    const text = await h.evaluate((el) => (el.textContent ?? '').trim());
    if (typeof name === 'string' ? text === name : name.test(text)) {
      await h.click();
      return;
    }
  }
  throw new Error(`no ${selector} named ${name}`);
}
