/**
 * One page's detection session: wires the rule engine, the detection loop, highlights, settings
 * and messaging together for a content script. The entrypoint only builds the `PageEnv`.
 *
 *   settings ─┐                         ┌─▶ send detections:update (diff) to the background
 *   engine ───┼─▶ DetectionLoop ──hits──┼─▶ HighlightLayer (closed shadow root), loaded on first use
 *   route ────┘   (per route)           └─▶ elements per rule, for "show me" (highlight:reveal)
 *
 * The highlight layer is not part of the content script (highlight-kit.ts): the session asks for
 * it the first time it has something to draw, and draws what it knows once it arrives.
 */
import type { Category, Detection, PlatformId } from '../../rules/schema';
import { DetectionLoop, type LoopHost } from './detection-loop';
import type { Hit, PageMatcher, RuleEngine, Trip } from '../../lib/engine';
import type { HighlightKit } from './highlight-kit';
import type { HighlightLayer } from './highlights';
import { isHostDisabled, type Settings } from '../../utils/settings';

/** Wait after a route change before the full pass, so the new route has rendered. */
export const ROUTE_SETTLE_MS = 150;
/**
 * How long "Show on page" keeps its highlight when highlights are not always on. Highlights are
 * the one thing of ours a page can see, so they stay only while the user is looking.
 */
export const REVEAL_MS = 8000;
/** Detections one update may carry (the message schema's limit). */
const MAX_DETECTIONS_PER_UPDATE = 500;
/** Shortest time between two diffs sent to the background (a reset is never held back). */
export const SEND_INTERVAL_MS = 50;
/** Elements remembered per rule for "show me on the page". */
const MAX_ELEMENTS_PER_RULE = 20;

export interface PageEnv {
  doc: Document;
  engine: RuleEngine;
  url(): string;
  now(): number;
  clock(): number;
  isHidden(): boolean;
  requestFrame(cb: () => void): unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * Every update leaves the page through here. Its evidence and product titles were redacted
   * where the engine made them (lib/engine/candidate.ts, product.ts); the background's gate
   * (lib/detection-gate.ts) checks them again before anything is kept or shown.
   */
  send(update: { url: string; platform: PlatformId; reset: boolean; detections: Detection[] }): void;
  /** The highlights script's kit, loaded into the page when first asked for; rejects if it cannot be. */
  loadHighlights(): Promise<HighlightKit>;
  /** Ids of the rules from imported packs: timed, and switched off when too slow (lib/engine/rule-guard.ts). */
  guardedRuleIds?: ReadonlySet<string>;
  /** Told once per rule group switched off for taking too long on this page. */
  reportSlow?(report: { platform: PlatformId; ruleIds: string[]; trip: Trip }): void;
}

export class PageSession {
  #loop: DetectionLoop | null = null;
  #kit: HighlightKit | null = null;
  #layer: HighlightLayer | null = null;
  #layerLoading: Promise<HighlightLayer | null> | null = null;
  #elements = new Map<string, Element[]>();
  #settings: Settings;
  #platform: PlatformId | null = null;
  #routeTimer: unknown = null;
  #revealTimer: unknown = null;
  readonly #pendingSend = new Map<string, Detection>();
  #sendTimer: unknown = null;
  #lastSend = -Infinity;
  /** Guarded rules switched off on this page; they stay off on its later routes. */
  readonly #switchedOff = new Set<string>();

  readonly #env: PageEnv;

  constructor(env: PageEnv, settings: Settings) {
    this.#env = env;
    this.#settings = settings;
  }

  get running(): boolean {
    return this.#loop !== null;
  }

  #host(): string {
    try {
      return new URL(this.#env.url()).hostname;
    } catch {
      return '';
    }
  }

  /** Start scanning unless the site is disabled or the page is not a platform page. */
  start(): void {
    if (this.#loop || isHostDisabled(this.#settings, this.#host())) return;
    const url = this.#env.url();
    const matcher = this.#matcherFor(url);
    if (!matcher) return;
    this.#platform = matcher.platform;
    const loopHost: LoopHost = {
      doc: this.#env.doc,
      now: this.#env.now,
      clock: this.#env.clock,
      isHidden: this.#env.isHidden,
      requestFrame: this.#env.requestFrame,
      setTimeout: this.#env.setTimeout,
      clearTimeout: this.#env.clearTimeout,
      send: (detections, reset) => this.#queueSend(detections, reset),
      onHits: (hits) => this.#onHits(hits),
    };
    this.#loop = new DetectionLoop(matcher, loopHost);
    this.#loop.start();
  }

  /** The page's matcher, with the rules of imported packs under the time guard. */
  #matcherFor(url: string): PageMatcher | null {
    const matcher = this.#env.engine.forPage(url);
    const ids = this.#env.guardedRuleIds;
    if (!matcher || !ids || ids.size === 0) return matcher;
    return matcher.withGuard(
      {
        ruleIds: ids,
        now: this.#env.now,
        onTrip: (ruleIds, trip) => {
          for (const id of ruleIds) this.#switchedOff.add(id);
          this.#env.reportSlow?.({ platform: matcher.platform, ruleIds, trip });
        },
      },
      this.#switchedOff,
    );
  }

  /** Stop everything and tell the background this page has nothing (site disabled). */
  stop(): void {
    if (!this.#loop) return;
    this.#loop.stop();
    this.#loop = null;
    this.#layer?.clear();
    this.#elements.clear();
    this.#dropPendingSend();
    if (this.#platform) this.#env.send({ url: this.#env.url(), platform: this.#platform, reset: true, detections: [] });
  }

  /** SPA navigation: reset detections and highlights, then scan the new route once it renders. */
  routeChanged(): void {
    if (!this.#loop) return this.start();
    const matcher = this.#matcherFor(this.#env.url());
    this.#layer?.clear();
    this.#elements.clear();
    if (!matcher) return this.stop();
    this.#platform = matcher.platform;
    if (this.#routeTimer !== null) this.#env.clearTimeout(this.#routeTimer);
    this.#loop.stop();
    // Report the reset at once so nothing of the old route lingers, then scan when settled.
    this.#dropPendingSend();
    this.#env.send({ url: this.#env.url(), platform: matcher.platform, reset: true, detections: [] });
    this.#routeTimer = this.#env.setTimeout(() => {
      this.#routeTimer = null;
      this.#loop?.changeRoute(matcher);
    }, ROUTE_SETTLE_MS);
  }

  visibilityChanged(): void {
    if (!this.#env.isHidden()) this.#loop?.wake();
  }

  applySettings(settings: Settings): void {
    const wasDisabled = isHostDisabled(this.#settings, this.#host());
    this.#settings = settings;
    const disabled = isHostDisabled(settings, this.#host());
    if (disabled && !wasDisabled) return this.stop();
    if (!disabled && wasDisabled) return this.start();
    // Highlight preferences changed.
    this.#redraw();
  }

  /** Draw what is known again, as the settings say (none, or every hit of the chosen categories). */
  #redraw(): void {
    this.#layer?.clear();
    for (const [ruleId, els] of this.#elements) {
      const d = this.#loop?.detections.find((x) => x.ruleId === ruleId);
      if (d) for (const el of els) this.#mark(el, ruleId, d.category, d.feature);
    }
  }

  /** Scroll to a rule's element and flash it, even when highlights are off. */
  async reveal(ruleId: string): Promise<boolean> {
    if (!this.#elements.has(ruleId)) return false;
    const layer = await this.#loadLayer();
    // Looked up once the layer is there: the page may have changed while it loaded.
    const el = this.#elements.get(ruleId)?.find((e) => e.isConnected);
    const d = this.#loop?.detections.find((x) => x.ruleId === ruleId);
    if (!layer || !el || !d) return false;
    layer.add(el, ruleId, d.category, this.#kit!.featureLabel(d.feature));
    const shown = layer.reveal(ruleId);
    if (!this.#settings.highlights) {
      if (this.#revealTimer !== null) this.#env.clearTimeout(this.#revealTimer);
      this.#revealTimer = this.#env.setTimeout(() => {
        this.#revealTimer = null;
        if (!this.#settings.highlights) this.#layer?.clear();
      }, REVEAL_MS);
    }
    return shown;
  }

  /**
   * The highlight layer, loading it the first time; once it is there, whatever "always
   * highlight" should show is drawn. Null when it could not be loaded (asked again next time).
   */
  #loadLayer(): Promise<HighlightLayer | null> {
    if (this.#layer) return Promise.resolve(this.#layer);
    this.#layerLoading ??= this.#env.loadHighlights().then(
      (kit) => {
        this.#kit = kit;
        this.#layer = kit.createLayer(this.#env.doc, this.#env.requestFrame, () => this.#env.url());
        this.#redraw();
        return this.#layer;
      },
      () => {
        this.#layerLoading = null;
        return null;
      },
    );
    return this.#layerLoading;
  }

  /**
   * Changes are merged and sent at most every SEND_INTERVAL_MS: one message per animation frame
   * was a tenth of the extension's time on a fast feed (bench profile). A reset goes at once.
   * Each update carries every detection of the route so far, not only what changed (a few dozen
   * small records): when the background was stopped in the middle of a stream, or a message was
   * lost, the next update puts everything back.
   */
  #queueSend(detections: Detection[], reset: boolean): void {
    if (!this.#platform) return;
    if (reset) {
      this.#dropPendingSend();
      this.#env.send({ url: this.#env.url(), platform: this.#platform, reset: true, detections });
      this.#lastSend = this.#env.now();
      return;
    }
    for (const d of detections) this.#pendingSend.set(d.ruleId, d);
    if (this.#sendTimer !== null || this.#pendingSend.size === 0) return;
    const wait = Math.max(0, this.#lastSend + SEND_INTERVAL_MS - this.#env.now());
    this.#sendTimer = this.#env.setTimeout(() => this.#flushSend(), wait);
  }

  #flushSend(): void {
    this.#sendTimer = null;
    if (!this.#platform || this.#pendingSend.size === 0) return;
    this.#pendingSend.clear();
    const detections = (this.#loop?.detections ?? []).slice(0, MAX_DETECTIONS_PER_UPDATE);
    this.#lastSend = this.#env.now();
    this.#env.send({ url: this.#env.url(), platform: this.#platform, reset: false, detections });
  }

  #dropPendingSend(): void {
    if (this.#sendTimer !== null) this.#env.clearTimeout(this.#sendTimer);
    this.#sendTimer = null;
    this.#pendingSend.clear();
  }

  #onHits(hits: Hit[]): void {
    for (const hit of hits) {
      const id = hit.rule.rule.id;
      let list = this.#elements.get(id);
      if (!list) this.#elements.set(id, (list = []));
      if (list.length < MAX_ELEMENTS_PER_RULE) list.push(hit.element);
      this.#mark(hit.element, id, hit.rule.category, hit.rule.rule.feature);
    }
  }

  #mark(el: Element, ruleId: string, category: Category, feature: Detection['feature']): void {
    if (!this.#settings.highlights || !this.#settings.highlightCategories[category]) return;
    // Without the layer yet: it draws every known hit when it has loaded.
    if (this.#layer) this.#layer.add(el, ruleId, category, this.#kit!.featureLabel(feature));
    else void this.#loadLayer();
  }
}
