/**
 * `--engine browser`: each capture replayed in headless Chromium with the built extension, under
 * its original URL. The page's own subresources are served from the same archive by URL (as
 * replayweb.page does) and every other request is refused, so nothing reaches a network. The
 * detections are what the extension's background answers to `detections:get` for the tab: the
 * very numbers a user's browser would show.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Route } from '@playwright/test';
import { EXTENSION_PATH, Extension, extensionWorker, launchArgs } from '../browser-harness';
import type { Detection, PlatformId, RulePack, TabReport } from '../../rules/schema';
import type { Capture } from './captures';
import type { PageResult } from './dom-engine';

/** How long a page may take to load before it is scanned as far as it got. */
const LOAD_TIMEOUT_MS = 20_000;
/** The report counts as final when it has not changed for this long (diffs go out every 50 ms). */
const SETTLE_MS = 400;
/** Longest wait for the report to settle after load (a page that keeps changing). */
const MAX_SETTLE_MS = 8_000;

const ROOT = join(import.meta.dirname, '../..');

function newestRuleTime(): number {
  let newest = 0;
  for (const dir of ['rules', 'rules/platforms']) {
    for (const name of readdirSync(join(ROOT, dir))) {
      if (name.endsWith('.json')) newest = Math.max(newest, statSync(join(ROOT, dir, name)).mtimeMs);
    }
  }
  return newest;
}

/** Builds the extension when there is no build yet, or when a rule file changed since the last one. */
export function ensureBuild(log: (line: string) => void): void {
  const manifest = join(EXTENSION_PATH, 'manifest.json');
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= newestRuleTime()) return;
  log('scan: building the extension (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed; the browser engine needs the built extension');
}

export class BrowserEngine {
  private readonly busyUrls = new Map<string, Promise<void>>();

  private constructor(
    private readonly context: BrowserContext,
    private readonly extension: Extension,
    private readonly platformOf: (url: string) => PlatformId | null,
  ) {}

  static async launch(
    userPacks: readonly RulePack[],
    platformOf: (url: string) => PlatformId | null,
  ): Promise<BrowserEngine> {
    const context = await chromium.launchPersistentContext('', {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: launchArgs(),
      viewport: { width: 1280, height: 900 },
    });
    try {
      // Nothing the pages ask for leaves the machine: what the archive has is served, the rest refused.
      await context.route(/^(?!chrome-extension:)/, (route) => route.abort());
      const worker = await extensionWorker(context);
      const extension = new Extension(context, new URL(worker.url()).host);
      for (const pack of userPacks) await extension.importPack(pack);
      return new BrowserEngine(context, extension, platformOf);
    } catch (error) {
      await context.close();
      throw error;
    }
  }

  async scan(capture: Capture): Promise<PageResult> {
    const platform = this.platformOf(capture.url);
    // The extension has no content script on other sites: nothing to replay.
    if (!platform) return { platform: null, detections: [] };
    // Tabs are found by URL: two captures of one URL (different dates) take turns.
    const key = capture.url.split('#')[0];
    while (this.busyUrls.has(key)) await this.busyUrls.get(key);
    let release = () => {};
    this.busyUrls.set(key, new Promise<void>((resolve) => (release = resolve)));
    try {
      return { platform, detections: await this.replay(capture) };
    } finally {
      this.busyUrls.delete(key);
      release();
    }
  }

  private async replay(capture: Capture): Promise<Detection[]> {
    const page = await this.context.newPage();
    try {
      const pageUrl = capture.url.split('#')[0];
      await page.route(/^https?:\/\//, async (route: Route) => {
        const request = route.request();
        const url = request.url().split('#')[0];
        if (url === pageUrl && request.resourceType() === 'document' && request.frame() === page.mainFrame()) {
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: capture.html });
        }
        const archived = request.method() === 'GET' ? await capture.resources?.(url) : null;
        if (!archived) return route.abort();
        return route.fulfill({ status: archived.status, headers: archived.headers, body: archived.body });
      });
      await page.goto(capture.url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS }).catch(() => {});
      const tabId = await this.extension.tabIdOf(page);
      return await this.settled(tabId, page.url());
    } finally {
      await page.close().catch(() => {});
    }
  }

  /** The tab's report once the content script has reported for this URL and gone quiet. */
  private async settled(tabId: number, url: string): Promise<Detection[]> {
    const start = Date.now();
    let last = '';
    let since = Date.now();
    let report: TabReport | null = null;
    while (Date.now() - start < MAX_SETTLE_MS) {
      report = await this.extension.report(tabId);
      const text = report.url === url ? JSON.stringify(report.detections) : '';
      if (text !== last) {
        last = text;
        since = Date.now();
      } else if (text !== '' && Date.now() - since >= SETTLE_MS) {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return report && report.url === url ? report.detections : [];
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
