/**
 * The content script's context, in place of WXT's `ContentScriptContext` (wxt.config.ts points
 * the `wxt/utils/content-script-context` import here). WXT's announces every start to the page, as
 * a DOM event on `document` and a `window.postMessage` that both carry the extension's id, and
 * turns route changes into `window` events: a page script that listens for them learns that
 * Lensa Niaga is installed. This one keeps the same bookkeeping (validity, invalidation, listeners
 * removed on invalidation) and tells the page nothing. Route changes: location-watcher.ts.
 *
 * It has only what start.ts uses: WXT constructs it with the script's name and options, which
 * nothing here needs, and every content script carries this class.
 */
import { contentBrowser as browser } from '@/utils/content-browser';

export class ContentScriptContext {
  readonly #controller = new AbortController();

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** False once the extension was reloaded, updated or removed (its runtime id is gone). */
  get isValid(): boolean {
    if (browser.runtime?.id == null) this.notifyInvalidated();
    return !this.#controller.signal.aborted;
  }

  onInvalidated(cb: () => void): () => void {
    this.#controller.signal.addEventListener('abort', cb);
    return () => this.#controller.signal.removeEventListener('abort', cb);
  }

  notifyInvalidated(): void {
    if (!this.#controller.signal.aborted) this.#controller.abort();
  }
}
