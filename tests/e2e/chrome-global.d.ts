/**
 * Playwright's `page.evaluate` callbacks run inside extension pages, where `chrome` is the
 * extension API. This declares it for the e2e tests, the demo and the bench (type-checking only).
 */
import type { Browser } from '@wxt-dev/browser';

declare global {
  const chrome: typeof Browser;
}
export {};
