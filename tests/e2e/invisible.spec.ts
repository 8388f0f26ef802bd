/**
 * The page cannot tell that Lensa Niaga is there. A probe installed in the page's own world
 * before any page script records what a platform could look at: every DOM mutation, every
 * `message` event, the events WXT's content-script runtime used to send (their names carry the
 * extension id, so a platform that knows the id could listen for them), the element tree, the
 * children of <html> and the computed style of <html>. The same pages are loaded with and without
 * the extension; the probe's findings must be identical while the extension reports detections.
 * Highlights are the one exception, drawn only on request ("Show on page"), and gone afterwards.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { expect, extensionWorker, launchArgs, test, type RoutedPage } from './fixtures';

/** Pages with in-app transactions, offers and link-outs (all highlight categories). */
const PAGES = ['tiktok/checkout-en.html', 'youtube/watch-merch-shelf.html', 'x/tweet-tco-shopee.html'];

interface ProbeResult {
  mutations: string[];
  messages: string[];
  events: string[];
  elements: number;
  htmlChildren: string[];
  htmlStyle: string;
  markup: string;
}

/** Runs in the page's main world before its scripts; `extensionId` names the events to watch. */
function installProbe(extensionId: string): void {
  const w = window as unknown as { __probe: { mutations: string[]; messages: string[]; events: string[] } };
  const probe = (w.__probe = { mutations: [] as string[], messages: [] as string[], events: [] as string[] });
  new MutationObserver((records) => {
    for (const r of records) {
      const target = r.target as Element;
      probe.mutations.push(
        `${r.type} ${target.nodeName} ${r.attributeName ?? ''} +${r.addedNodes.length} -${r.removedNodes.length}`,
      );
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  window.addEventListener('message', (e) => probe.messages.push(JSON.stringify(e.data).slice(0, 200)));
  for (const name of ['content-script-started', 'locationchange']) {
    for (const type of [`${extensionId}:content:wxt:${name}`, `wxt:${name}`]) {
      document.addEventListener(type, () => probe.events.push(`document ${type}`));
      window.addEventListener(type, () => probe.events.push(`window ${type}`));
    }
  }
}

async function readProbe(page: Page): Promise<ProbeResult> {
  return page.evaluate(() => {
    const w = window as unknown as { __probe: { mutations: string[]; messages: string[]; events: string[] } };
    const style = getComputedStyle(document.documentElement);
    return {
      ...w.__probe,
      elements: document.querySelectorAll('*').length,
      htmlChildren: [...document.documentElement.children].map((c) => c.nodeName),
      htmlStyle: [...style].map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'),
      markup: document.documentElement.outerHTML,
    };
  });
}

/** Load a page, do an SPA route change on it, and read the probe. */
async function visit(
  context: BrowserContext,
  fixture: RoutedPage,
  extensionId: string,
): Promise<{ page: Page; probe: ProbeResult }> {
  const page = await context.newPage();
  await page.addInitScript(installProbe, extensionId);
  // This fixture for this tab (several fixtures share a URL); nothing else is served.
  await page.route('**/*', (route) =>
    route.request().isNavigationRequest()
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixture.html })
      : route.abort(),
  );
  await page.goto(fixture.url);
  await page.waitForTimeout(600);
  await page.evaluate(() => {
    history.pushState({}, '', `${location.pathname}?probe=1`);
    history.back();
  });
  await page.waitForTimeout(1_500);
  return { page, probe: await readProbe(page) };
}

test('a page script sees no difference with and without the extension, while it reports', async ({
  context,
  pages,
  extension,
}) => {
  test.setTimeout(90_000);
  const plain = await chromium.launchPersistentContext('', {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: launchArgs(undefined).filter((a) => !a.includes('extension')),
    viewport: { width: 1280, height: 900 },
  });
  try {
    const chosen = PAGES.map((f) => pages.find((p) => p.file.endsWith(f))!);
    for (const fixture of chosen) {
      const withExtension = await visit(context, fixture, extension.id);
      const tabId = await extension.tabIdOf(withExtension.page);
      const report = await extension.waitForReport(tabId, (r) => r.detections.length > 0);
      expect(report.detections.length).toBeGreaterThan(0);
      const without = await visit(plain, fixture, extension.id);
      expect(withExtension.probe, fixture.file).toEqual(without.probe);
      expect(withExtension.probe.events).toEqual([]);
      await withExtension.page.close();
      await without.page.close();
    }
  } finally {
    await plain.close();
  }
});

test('"Show on page" draws highlights on request, and they go away again', async ({
  pages,
  extension,
  openFixture,
  context,
}) => {
  const fixture = pages.find((p) => p.file.endsWith('tiktok/checkout-en.html'))!;
  const page = await openFixture(fixture);
  const tabId = await extension.tabIdOf(page);
  const report = await extension.waitForReport(tabId, (r) => r.detections.length > 0);
  const hostCount = () => page.evaluate(() => document.documentElement.querySelectorAll(':scope > *').length);
  const before = await hostCount();
  const worker = await extensionWorker(context);
  const answer = await worker.evaluate(
    ([id, ruleId]) => chrome.tabs.sendMessage(id as number, { type: 'highlight:reveal', ruleId }),
    [tabId, report.detections[0].ruleId] as const,
  );
  expect(answer).toEqual({ ok: true });
  expect(await hostCount()).toBe(before + 1);
  // The reveal ends on its own: the page is as it was.
  await expect.poll(hostCount, { timeout: 15_000 }).toBe(before);
});
