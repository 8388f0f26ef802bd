/**
 * `npm run demo`: Chromium with the built extension, on the local fixture pages served under the
 * platforms' real URLs, so a newcomer sees Lensa Niaga work without an account or a network.
 *
 * With a display, it opens a window with one tab per demo page and waits until you close it.
 * Without one (a server, CI), it says so and writes screenshots of each demo page with its
 * highlights, and of its popup, to artifacts/demo/.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import {
  DEMO_PAGES,
  Extension,
  languageOptions,
  launchArgs,
  loadPages,
  openServed,
  routePages,
} from './browser-harness';

/** The toolbar popup as Chromium shows it: 380 px wide (entrypoints/popup/style.css), at most 600 px high. */
const POPUP_SIZE = { width: 380, height: 600 };

const outDir = resolve(import.meta.dirname, '../artifacts/demo');
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const all = loadPages();
const chosen = DEMO_PAGES.map((file) => all.find((p) => p.file.endsWith(file))).filter(
  (p): p is NonNullable<typeof p> => Boolean(p),
);

// LENSA_LANG=en shows the English interface; Indonesian is the default.
const lang = languageOptions(process.env.LENSA_LANG === 'en' ? 'en' : 'id');
const context = await chromium.launchPersistentContext('', {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless,
  locale: lang.locale,
  env: lang.env as Record<string, string>,
  args: launchArgs(undefined, lang.args),
  viewport: { width: 1200, height: 800 },
});
await routePages(context, all);
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;

/** Each demo page is served to its own tab, so pages that share a URL stay distinct. */
const openDemo = (p: (typeof chosen)[number]) => openServed(context, p);

if (!headless) {
  console.log(
    `Lensa Niaga demo: ${chosen.length} pages open. Click the extension icon on each; close the window to end.`,
  );
  for (const p of chosen) await openDemo(p);
  await new Promise<void>((done) => context.on('close', () => done()));
  process.exit(0);
}

console.log('No display found: writing screenshots of each demo page and its popup instead.');
mkdirSync(outDir, { recursive: true });
const control = await context.newPage();
await control.goto(`chrome-extension://${extensionId}/popup.html`);
// The pictures show the highlights, which users turn on with "always highlight".
await new Extension(context, extensionId).setAlwaysHighlight(true);
for (const [i, p] of chosen.entries()) {
  const page = await openDemo(p);
  await page.waitForTimeout(800); // detection and highlight frames
  const name = `${String(i + 1).padStart(2, '0')}-${new URL(p.url).hostname.replace(/^www\./, '')}`;
  await page.screenshot({ path: `${outDir}/${name}-page.png` });
  const tabId = await control.evaluate(
    async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id,
    page.url(),
  );
  const popup = await context.newPage();
  // What a user sees on opening it: the toolbar popup's own size, not the whole scrolled page.
  await popup.setViewportSize(POPUP_SIZE);
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
  await popup.waitForTimeout(500);
  await popup.screenshot({ path: `${outDir}/${name}-popup.png` });
  // The seller's audit of the same page, as a PDF.
  const report = await context.newPage();
  await report.goto(`chrome-extension://${extensionId}/report.html?tabId=${tabId}`);
  await report.waitForTimeout(500);
  await report.pdf({ path: `${outDir}/${name}-audit.pdf`, format: 'A4', printBackground: true });
  await report.close();
  console.log(`  ${p.url}\n    → artifacts/demo/${name}-page.png, ${name}-popup.png, ${name}-audit.pdf`);
  await popup.close();
  await page.close();
}
await context.close();
