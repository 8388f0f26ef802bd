/**
 * Highlights are drawn by a script of their own (highlight-script.ts), not by the content script:
 * they are needed only when the user asks ("Show on page", or "always highlight" on), and their
 * drawing code and labels would otherwise be parsed on every platform page. When a session first
 * needs them it asks the background (`highlights:load`), which injects the script into the
 * frame; the script leaves this kit on the content scripts' global object, an isolated world
 * that the page cannot see, and the session picks it up from there.
 */
import type { FeatureKind } from '../../rules/schema';
import type { HighlightLayer } from './highlights';

/** What the highlights script hands to the content script. */
export interface HighlightKit {
  /** `url`: the page's address now, for the "not a shopping feature" exclusion a label offers. */
  createLayer(doc: Document, requestFrame: (cb: () => void) => unknown, url: () => string): HighlightLayer;
  /**
   * The feature's name in the browser's language, as a highlight's label shows it; each looked up
   * once (a message lookup costs about a millisecond, and a feed highlights the same few features).
   */
  featureLabel(feature: FeatureKind): string;
}

/** The property of the isolated world's global object that holds the kit. */
const KIT_KEY = '__lensaNiagaHighlights';

type KitHolder = { [KIT_KEY]?: HighlightKit };

export function provideHighlightKit(kit: HighlightKit): void {
  (globalThis as KitHolder)[KIT_KEY] = kit;
}

/** The kit, once the highlights script has run in this frame. */
export function highlightKit(): HighlightKit | null {
  return (globalThis as KitHolder)[KIT_KEY] ?? null;
}
