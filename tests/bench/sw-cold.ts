/**
 * Service-worker cold start: how long a `detections:update` waits for a stopped worker.
 *
 * What is measured, and why this measurement: every detection the content script sends carries
 * `lastSeen`, the content script's `Date.now()` when it counted the element, and the worker
 * stamps the report's `updatedAt` with its own `Date.now()` when its router hands the update to
 * the tab store (tab-store.ts). Both are the same system clock (one machine, two processes), so
 * `updatedAt − lastSeen` of the detection a new shopping post raised is the time from the content
 * script counting it to the worker handling the message. In between: the content script's send
 * (a 0 ms timer once the 50 ms send interval has passed, redaction, the IPC) and, when the worker
 * was stopped, starting it (the extension process if it was gone, evaluating background.js,
 * registering listeners) and dispatching the message. The same measurement with the worker
 * running (`warm`) shows the part that is not the start. No hook in the extension is needed.
 *
 * To keep anything else from waking the worker in between, the extension's own page (the bench's
 * control window) is closed first (closing a tab afterwards would fire `tabs.onRemoved`), nothing
 * polls, and the report is read from `storage.session` by the restarted worker once it has run.
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import type { TabReport } from '../../rules/schema';
import type { ShoppingKind } from './feed';

export interface SwColdResult {
  /** updatedAt − lastSeen with the worker running (ms), one per sample. */
  warm: number[];
  /** The same right after the worker was stopped (ms). */
  cold: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null> | T | null, timeout = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() - start > timeout) throw new Error(`service-worker phase: ${what} did not happen in ${timeout} ms`);
    await sleep(20);
  }
}

/** The extension's worker as Playwright sees it now (a new object after each restart). */
function liveWorker(context: BrowserContext, id: string): Worker | null {
  return context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`)) ?? null;
}

/** The tab's report as the worker stored it; null while the worker is being replaced. */
async function storedReport(worker: Worker, tabId: number): Promise<TabReport | null> {
  const key = `tab:${tabId}`;
  try {
    const got = await worker.evaluate((k) => chrome.storage.session.get(k), key);
    return (got[key] as TabReport | undefined) ?? null;
  } catch {
    return null; // the worker object Playwright still listed has gone
  }
}

/** The detection(s) whose count rose from `before` to `after`: updatedAt − the latest lastSeen. */
export function updateDelay(before: TabReport, after: TabReport): number | null {
  const old = new Map(before.detections.map((d) => [d.ruleId, d.count]));
  const risen = after.detections.filter((d) => d.count > (old.get(d.ruleId) ?? 0));
  if (risen.length === 0) return null;
  return after.updatedAt - Math.max(...risen.map((d) => d.lastSeen));
}

export async function measureSwColdStart(opts: {
  context: BrowserContext;
  /** A CDP session of the feed page: the ServiceWorker domain there sees the extension's worker. */
  session: CDPSession;
  feed: Page;
  id: string;
  tabId: number;
  kind: ShoppingKind;
  samples: number;
}): Promise<SwColdResult> {
  const { context, session, feed, id, tabId, kind } = opts;
  const status: string[] = [];
  session.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${id}/`)) status.push(v.runningStatus);
  });
  await session.send('ServiceWorker.enable');
  const append = () =>
    feed.evaluate(
      (k) => (window as unknown as { __feed: { appendPost(kinds: string[]): void } }).__feed.appendPost([k]),
      kind,
    );
  const read = async () => {
    const worker = liveWorker(context, id);
    return worker ? storedReport(worker, tabId) : null;
  };

  /**
   * The report once the content script has sent nothing for a second: a send within the last
   * SEND_INTERVAL_MS (50 ms) would hold the next one back and add that wait to the sample.
   */
  const quiet = async () => {
    const start = Date.now();
    let last = await until('a stored report', read);
    let stillSince = Date.now();
    while (Date.now() - stillSince < 1000) {
      if (Date.now() - start > 20_000) throw new Error('service-worker phase: the content script never went quiet');
      await sleep(100);
      const now = await until('a stored report', read);
      if (now.updatedAt !== last.updatedAt) stillSince = Date.now();
      last = now;
    }
    return last;
  };

  const result: SwColdResult = { warm: [], cold: [] };
  for (let i = 0; i < opts.samples; i++) {
    const before = await quiet();
    await append();
    const delay = await until('the warm update', async () => {
      const after = await read();
      return after ? updateDelay(before, after) : null;
    });
    result.warm.push(delay);
  }

  for (let i = 0; i < opts.samples; i++) {
    const before = await quiet();
    await session.send('ServiceWorker.stopAllWorkers');
    await until('the worker stopping', () => (status.at(-1) === 'stopped' ? true : null));
    await sleep(500); // nothing of the extension runs now; the content script idles
    const mark = status.length;
    await append();
    // The update is the only thing that can start it: wait for that, then for the write.
    await until('the update starting the worker', () => (status.slice(mark).includes('running') ? true : null));
    const delay = await until('the cold update', async () => {
      const after = await read();
      return after ? updateDelay(before, after) : null;
    });
    result.cold.push(delay);
  }
  return result;
}
