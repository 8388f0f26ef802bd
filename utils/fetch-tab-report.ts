/**
 * Getting a tab's `TabReport` from the background, for the popup and the seller report.
 *
 * On a cold start the background's listener may not be registered yet when the page asks (the
 * service worker or event page is still waking up): `sendMessage` then throws or answers nothing.
 * Those are retried every `interval` ms until `timeout`. A real answer is final: a `{ ok: false }`
 * from the background, or an answer that does not match the `TabReport` schema, is an error.
 */
import { browser } from 'wxt/browser';
import { TabReport, validate, type TabReport as TabReportType } from '../rules/schema';
import { isFailure, type BackgroundMessage } from './messages';

export type TabReportResult = { ok: true; report: TabReportType } | { ok: false; error: string };

export interface FetchOptions {
  /** Wait between attempts, in ms. */
  interval?: number;
  /** Give up after this long, in ms. */
  timeout?: number;
  send?: (message: Extract<BackgroundMessage, { type: 'detections:get' }>) => Promise<unknown>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const RETRY_INTERVAL_MS = 100;
export const RETRY_TIMEOUT_MS = 3000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function fetchTabReport(tabId: number, options: FetchOptions = {}): Promise<TabReportResult> {
  const {
    interval = RETRY_INTERVAL_MS,
    timeout = RETRY_TIMEOUT_MS,
    send = (m) => browser.runtime.sendMessage(m),
    sleep = defaultSleep,
    now = Date.now,
  } = options;
  const deadline = now() + timeout;
  let lastError: string;
  for (;;) {
    try {
      const answer = await send({ type: 'detections:get', tabId });
      if (answer != null) {
        if (isFailure(answer)) return { ok: false, error: String(answer.error) };
        const result = validate(TabReport, answer, 'detections:get');
        return result.ok ? { ok: true, report: result.value } : { ok: false, error: result.errors.join('\n') };
      }
      lastError = 'no answer from the background';
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (now() + interval > deadline) return { ok: false, error: lastError };
    await sleep(interval);
  }
}

/**
 * The tab a page is about: `?tabId=N` in its own URL (the popup opened as a page, the report page,
 * end-to-end tests), else the active tab of the current window.
 */
export async function targetTab(search: string): Promise<{ id: number; url?: string } | null> {
  const param = new URLSearchParams(search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) {
    const id = Number(param);
    const tab = await browser.tabs.get(id).catch(() => undefined);
    return { id, url: tab?.url };
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id === undefined ? null : { id: tab.id, url: tab.url };
}
