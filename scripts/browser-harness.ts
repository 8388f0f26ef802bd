/**
 * Chromium with the built extension, fixture pages served under their real platform URLs, and
 * helpers that speak the `detections:get` contract. Shared by `npm run demo`, the end-to-end tests
 * (tests/e2e/fixtures.ts) and the bench.
 */
import { resolve } from 'node:path';
import { type BrowserContext, type Page, type Route, type Worker } from '@playwright/test';
import { type RoutedPage } from './fixture-pages';
import type { TabReport } from '../rules/schema';

export { loadPages, type RoutedPage } from './fixture-pages';

export const EXTENSION_PATH = resolve(import.meta.dirname, '../.output/chrome-mv3');

/** One telling page per platform for the demo and its screenshot checks: checkouts first. */
export const DEMO_PAGES = [
  'tests/fixtures/tiktok/product-page-tokopedia.html',
  'tests/fixtures/tiktok/checkout-en.html',
  'tests/fixtures/youtube/watch-merch-shelf.html',
  'tests/fixtures/facebook/commerce-checkout-historic-id.html',
  'tests/fixtures/instagram/post-product-tags.html',
  'tests/fixtures/whatsapp/catalog-drawer-en.html',
  'tests/fixtures/x/tweet-tco-shopee.html',
  'tests/fixtures/tiktok/neg-ordinary-video.html',
];

export function launchArgs(extensionPath = EXTENSION_PATH, extra: string[] = []): string[] {
  return [
    `--disable-extensions-except=${extensionPath}`,
    `--load-extension=${extensionPath}`,
    // No network here: keep Chromium from trying to reach its own services.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    ...extra,
  ];
}

function fulfillPage(route: Route, page: RoutedPage) {
  return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page.html });
}

/**
 * Open one page in a new tab, serving it to that tab only: page routes take precedence over the
 * context's, which serves one page per URL, so fixtures that share a URL do not collide.
 */
export async function openServed(context: BrowserContext, fixture: RoutedPage): Promise<Page> {
  const page = await context.newPage();
  await page.route(fixture.url, (route) =>
    route.request().resourceType() === 'document' ? fulfillPage(route, fixture) : route.abort(),
  );
  await page.goto(fixture.url);
  return page;
}

/** Serve `pages` at their URLs; abort everything else (there is no network). */
export async function routePages(context: BrowserContext, pages: RoutedPage[]): Promise<void> {
  const byUrl = new Map(pages.map((p) => [p.url, p]));
  await context.route(/^https?:\/\//, (route) => {
    const url = route.request().url().split('#')[0];
    const page = byUrl.get(url);
    if (page && route.request().resourceType() === 'document') return fulfillPage(route, page);
    return route.abort();
  });
}

export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

/**
 * The storage version of the settings (SETTINGS_VERSION in utils/settings.ts; a unit test keeps
 * the two equal). Settings written without it would be migrated as if an old version wrote them.
 */
export const SETTINGS_STORAGE_VERSION = 3;

export class Extension {
  private page: Promise<Page> | null = null;
  constructor(
    readonly context: BrowserContext,
    readonly id: string,
  ) {}

  /**
   * An extension page to send messages from (the popup page, opened as a tab). Callers at the
   * same time share one opening: a second caller must not evaluate in the page while the first
   * one's navigation to the popup is still under way.
   */
  async control(): Promise<Page> {
    const page = await (this.page ??= this.openControl());
    if (!page.isClosed()) return page;
    this.page = this.openControl();
    return this.page;
  }

  private openControl(): Promise<Page> {
    const opening = (async () => {
      const page = await this.context.newPage();
      await page.goto(`chrome-extension://${this.id}/popup.html`);
      return page;
    })();
    // A failed opening is not kept: the next caller tries again.
    opening.catch(() => {
      if (this.page === opening) this.page = null;
    });
    return opening;
  }

  async tabIdOf(page: Page): Promise<number> {
    const control = await this.control();
    const url = page.url();
    const id = await control.evaluate(async (u) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((t) => t.url === u)?.id ?? null;
    }, url);
    if (id === null) throw new Error(`no tab with url ${url}`);
    return id;
  }

  async report(tabId: number): Promise<TabReport> {
    const control = await this.control();
    return control.evaluate((id) => chrome.runtime.sendMessage({ type: 'detections:get', tabId: id }), tabId);
  }

  /** Poll `detections:get` until `accept` holds (or fail with the last report). */
  async waitForReport(tabId: number, accept: (r: TabReport) => boolean, timeout = 5_000): Promise<TabReport> {
    const start = Date.now();
    let last: TabReport | null = null;
    while (Date.now() - start < timeout) {
      last = await this.report(tabId);
      if (accept(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`report did not settle in ${timeout} ms; last: ${JSON.stringify(last)}`);
  }

  /**
   * Turn "always highlight" on or off, as the popup's switch does. Off by default: a page can see
   * highlights. Pages opened or reloaded afterwards use the new setting.
   */
  async setAlwaysHighlight(on: boolean): Promise<void> {
    const control = await this.control();
    await control.evaluate(
      async ({ on, version }) => {
        const { settings } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({
          settings: { ...(settings ?? {}), highlights: on },
          settings$: { v: version },
        });
      },
      { on, version: SETTINGS_STORAGE_VERSION },
    );
  }

  /**
   * Install a rule pack the way a person does: pasted into the options page, which checks and
   * stores it (the background installs no packs). Throws with the page's errors when refused.
   */
  async importPack(pack: unknown): Promise<void> {
    const options = await this.context.newPage();
    try {
      await options.goto(`chrome-extension://${this.id}/options.html`);
      await options.locator('#ln-packs-paste').fill(JSON.stringify(pack));
      await options.locator('#ln-packs-paste ~ button').click();
      const outcome = options.locator('.ln-packs__ok, [data-testid="pack-errors"]');
      await outcome.first().waitFor();
      if (await options.getByTestId('pack-errors').count())
        throw new Error(`pack refused: ${await options.getByTestId('pack-errors').innerText()}`);
    } finally {
      await options.close();
    }
  }

  async send(message: unknown): Promise<unknown> {
    const control = await this.control();
    return control.evaluate((m) => chrome.runtime.sendMessage(m), message);
  }

  async badge(tabId: number): Promise<{ text: string; title: string; color: number[] }> {
    const worker = await extensionWorker(this.context);
    return worker.evaluate(
      async (id) => ({
        text: await chrome.action.getBadgeText({ tabId: id }),
        title: await chrome.action.getTitle({ tabId: id }),
        color: await chrome.action.getBadgeBackgroundColor({ tabId: id }),
      }),
      tabId,
    );
  }
}

/**
 * Chromium's UI language decides which `_locales` the extension uses. Debian's chromium-l10n
 * package has the Indonesian pack; `--lang`, LANGUAGE and the Playwright locale must agree.
 */
export function languageOptions(uiLanguage: 'id' | 'en') {
  return uiLanguage === 'en'
    ? { locale: 'en-US', args: ['--lang=en-US'], env: { ...process.env, LANGUAGE: 'en' } }
    : { locale: 'id-ID', args: ['--lang=id'], env: { ...process.env, LANGUAGE: 'id' } };
}
