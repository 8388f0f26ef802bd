/**
 * Playwright fixtures: a persistent Chromium context with the built extension loaded, fixture
 * pages routed under real platform URLs (helpers in scripts/browser-harness.ts).
 */
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import {
  Extension,
  extensionWorker,
  languageOptions,
  launchArgs,
  loadPages,
  openServed,
  routePages,
  type RoutedPage,
} from '../../scripts/browser-harness';

export * from '../../scripts/browser-harness';

type Fixtures = {
  uiLanguage: 'id' | 'en';
  pages: RoutedPage[];
  context: BrowserContext;
  extension: Extension;
  open: (url: string) => Promise<Page>;
  /** Open one fixture page: served to this tab only, so fixtures that share a URL do not collide. */
  openFixture: (fixture: RoutedPage) => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  uiLanguage: ['id', { option: true }],
  pages: async ({}, use) => {
    await use(loadPages());
  },
  context: async ({ pages, uiLanguage }, use) => {
    const lang = languageOptions(uiLanguage);
    const context = await chromium.launchPersistentContext('', {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      locale: lang.locale,
      env: lang.env as Record<string, string>,
      args: launchArgs(undefined, lang.args),
      viewport: { width: 1280, height: 900 },
    });
    await routePages(context, pages);
    await use(context);
    await context.close();
  },
  extension: async ({ context }, use) => {
    const worker = await extensionWorker(context);
    await use(new Extension(context, new URL(worker.url()).host));
  },
  open: async ({ context }, use) => {
    await use(async (url: string) => {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    });
  },
  openFixture: async ({ context }, use) => {
    await use((fixture: RoutedPage) => openServed(context, fixture));
  },
});

export { expect };
