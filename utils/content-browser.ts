/**
 * The extension API as content scripts use it: the browser's own, without the webextension
 * polyfill (about 10 kB, which every content script would parse on every platform page).
 * Extension pages and the background keep `wxt/browser`, which the polyfill module replaces.
 *
 * Firefox gives content scripts a promise-based `browser`, and Chromium's MV3 `chrome` returns
 * promises as well, so the calls read the same in both. One difference stays, and content
 * scripts work around it: a `runtime.onMessage` listener answers with `sendResponse` (Chromium
 * ignores a promise a listener returns; the polyfill used to bridge that).
 */
import type { WxtBrowser } from 'wxt/browser';

const globals = globalThis as { browser?: { runtime?: { id?: string } }; chrome?: unknown };

export const contentBrowser = (globals.browser?.runtime?.id ? globals.browser : globals.chrome) as WxtBrowser;
