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
import { launchArgs, loadPages, routePages } from '../tests/e2e/fixtures';

const DEMO_PAGES = [
  'tests/e2e/pages/tiktok-demo.html',
  'tests/fixtures/youtube/',
  'tests/fixtures/facebook/',
  'tests/fixtures/instagram/',
  'tests/fixtures/whatsapp/',
];

const outDir = resolve(import.meta.dirname, '../artifacts/demo');
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const all = loadPages();
const chosen = DEMO_PAGES.map((prefix) => all.find((p) => p.file.includes(prefix) && p.expect.length > 0)).filter(
  (p): p is NonNullable<typeof p> => Boolean(p),
);

const context = await chromium.launchPersistentContext('', {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless,
  locale: process.env.LENSA_LOCALE ?? 'id-ID',
  args: launchArgs(undefined, [`--lang=${process.env.LENSA_LOCALE ?? 'id'}`]),
  viewport: { width: 1200, height: 800 },
});
await routePages(context, all);
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;

if (!headless) {
  console.log(`Lensa Niaga demo: ${chosen.length} pages open. Click the extension icon on each; close the window to end.`);
  for (const p of chosen) await (await context.newPage()).goto(p.url);
  await new Promise<void>((done) => context.on('close', () => done()));
  process.exit(0);
}

console.log('No display found: writing screenshots of each demo page and its popup instead.');
mkdirSync(outDir, { recursive: true });
const control = await context.newPage();
await control.goto(`chrome-extension://${extensionId}/popup.html`);
for (const [i, p] of chosen.entries()) {
  const page = await context.newPage();
  await page.goto(p.url);
  await page.waitForTimeout(800); // detection and highlight frames
  const name = `${String(i + 1).padStart(2, '0')}-${new URL(p.url).hostname.replace(/^www\./, '')}`;
  await page.screenshot({ path: `${outDir}/${name}-page.png` });
  const tabId = await control.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url());
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 760 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
  await popup.waitForTimeout(500);
  await popup.screenshot({ path: `${outDir}/${name}-popup.png`, fullPage: true });
  console.log(`  ${p.url}\n    → artifacts/demo/${name}-page.png, ${name}-popup.png`);
  await popup.close();
  await page.close();
}
await context.close();
