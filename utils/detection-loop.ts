/**
 * The detection loop that runs in each platform page.
 *
 *   MutationObserver ──(queue only)──▶ pending roots ──▶ scheduler ──▶ slices of ≤4 ms
 *        (added subtrees,                                  (rAF when visible,      │
 *         changed labels)                                   timeout backstop,      ▼
 *                                                           nothing when hidden)  PageMatcher.scan
 *                                                                                  │
 *                                           send(diff) ◀── DetectionTracker.add ◀──┘
 *
 * The observer callback only pushes nodes onto a queue (no matching, storage or messaging there),
 * as uBlock Origin's content script does. A flush matches queued subtrees until the slice budget
 * is spent, then yields to the page and continues on the next frame. If the page floods the queue
 * (an infinite feed gone wild, a hostile page), the queue is dropped and one full pass over the
 * document replaces it: a walk that is itself sliced, so no single task grows with the page.
 *
 * Everything the loop needs from the page comes in through `LoopHost`, so tests drive it with a
 * happy-dom document and fake timers.
 */
import type { Detection } from '../rules/schema';
import { DetectionTracker, type Hit, type PageMatcher } from './engine';
import { HIGHLIGHT_HOST_TAG } from './highlights';

/** Longest time one slice may run before yielding to the page (design.md performance budget). */
export const SLICE_BUDGET_MS = 4;
/** Queued roots beyond which the queue is dropped for one sliced full pass (flood protection). */
export const MAX_QUEUE = 2000;
/** Elements the full-pass walker tests between two looks at the clock. */
const WALK_CHUNK = 256;
/** Backstop: rAF can be throttled or skipped; a visible page is flushed at least this often. */
const BACKSTOP_MS = 200;

/** The element that hosts our highlights; never scanned. */
const OWN_HOST_TAG = HIGHLIGHT_HOST_TAG.toUpperCase();

export interface LoopHost {
  doc: Document;
  /** Monotonic milliseconds, for the slice budget (performance.now()). */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for firstSeen/lastSeen (Date.now()). */
  clock(): number;
  isHidden(): boolean;
  requestFrame(cb: () => void): unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Receives the detections that are new or changed since the last call. */
  send(changed: Detection[], reset: boolean): void;
  /** Receives every new hit, for highlights. */
  onHits?(hits: Hit[]): void;
}

export class DetectionLoop {
  private tracker = new DetectionTracker();
  private queue: Node[] = [];
  private fullPass: TreeWalker | null = null;
  private walkHits = new Map<string, Element>();
  /** The queue overflowed: a full pass is owed once the current one (if any) ends. */
  private passQueued = false;
  private scheduled = false;
  private backstop: unknown = null;
  private observer: MutationObserver | null = null;
  private resetPending = true;
  private stopped = true;
  /** Work done, for the bench and tests. */
  readonly stats: {
    slices: number;
    scannedRoots: number;
    walkedElements: number;
    droppedQueues: number;
    longestSliceMs: number;
    /** Only in the bench's naive build (__LENSA_BENCH_NAIVE__). */
    naiveRescans?: number;
  } = { slices: 0, scannedRoots: 0, walkedElements: 0, droppedQueues: 0, longestSliceMs: 0 };

  constructor(
    private matcher: PageMatcher,
    private readonly host: LoopHost,
  ) {}

  get detections(): Detection[] {
    return this.tracker.list();
  }

  /** Start on the current page: one full pass, then watch mutations. */
  start(): void {
    this.observer?.disconnect();
    this.stopped = false;
    this.resetPending = true;
    this.beginFullPass();
    const Observer = this.host.doc.defaultView?.MutationObserver ?? MutationObserver;
    this.observer = new Observer((records) => this.onMutations(records));
    this.observer.observe(this.host.doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['href', 'aria-label', 'data-e2e', 'data-icon', 'title'],
    });
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.observer?.disconnect();
    this.observer = null;
    this.queue = [];
    this.fullPass = null;
    if (this.backstop !== null) this.host.clearTimeout(this.backstop);
    this.backstop = null;
  }

  /** A new route (SPA navigation): forget everything of the old one and scan again. */
  changeRoute(matcher: PageMatcher): void {
    this.matcher = matcher;
    this.tracker = new DetectionTracker();
    this.start();
  }

  /** Called when the tab becomes visible again: resume pending work. */
  wake(): void {
    if (this.hasWork() || this.resetPending) this.schedule();
  }

  private onMutations(records: MutationRecord[]): void {
    if (__LENSA_BENCH_NAIVE__) {
      // Bench-only reference point (tests/bench, configuration C): what a content script without
      // a queue or a scheduler does, one full-document scan inside every observer callback.
      // Shipped builds define the flag as false and the bundler drops this block.
      const hits = this.matcher.scan(this.host.doc.documentElement);
      this.stats.naiveRescans = (this.stats.naiveRescans ?? 0) + 1;
      const fresh = hits.filter((hit) => !this.tracker.has(hit.element));
      const changed = this.tracker.add(hits, this.host.clock());
      if (fresh.length > 0) this.host.onHits?.(fresh);
      if (changed.length > 0) this.host.send(changed, false);
      return;
    }
    // Queue only. Matching happens in the scheduled flush.
    for (const record of records) {
      if (record.type === 'attributes') this.enqueue(record.target);
      else
        for (const node of record.addedNodes) {
          if (node.nodeName === OWN_HOST_TAG) continue; // our own highlight layer
          this.enqueue(node.nodeType === 1 ? node : node.parentNode);
        }
    }
    this.schedule();
  }

  private enqueue(node: Node | null): void {
    if (!node || this.passQueued) return; // the queued full pass will see it
    if (this.queue.length >= MAX_QUEUE) {
      // Flooded: drop the queue; one sliced full pass after the current work covers all of it.
      this.stats.droppedQueues++;
      this.queue = [];
      this.passQueued = true;
      return;
    }
    this.queue.push(node);
  }

  private beginFullPass(): void {
    // From <html>, not <body>: some platforms mark shopping only in JSON data scripts in <head>.
    const root = this.host.doc.documentElement;
    this.queue = [];
    this.passQueued = false;
    this.walkHits = new Map();
    this.fullPass = root ? this.host.doc.createTreeWalker(root, 1 /* SHOW_ELEMENT */) : null;
  }

  private hasWork(): boolean {
    return this.fullPass !== null || this.passQueued || this.queue.length > 0;
  }

  private schedule(): void {
    if (this.stopped || this.scheduled) return;
    if (!this.hasWork() && !this.resetPending) return;
    if (this.host.isHidden()) return; // resumed by wake() on visibilitychange
    this.scheduled = true;
    this.host.requestFrame(() => this.flush());
    this.backstop = this.host.setTimeout(() => this.flush(), BACKSTOP_MS);
  }

  /** One slice: scan until the budget is spent, report the diff, and come back if work remains. */
  private flush(): void {
    if (!this.scheduled) return; // the frame and the backstop race; the first one runs
    this.scheduled = false;
    if (this.backstop !== null) this.host.clearTimeout(this.backstop);
    this.backstop = null;
    if (this.stopped || this.host.isHidden()) return;

    const start = this.host.now();
    const deadline = start + SLICE_BUDGET_MS;
    const hits: Hit[] = [];
    if (!this.fullPass && this.passQueued) this.beginFullPass();
    if (this.fullPass) this.walk(deadline, hits);
    while (this.queue.length > 0 && this.host.now() < deadline) this.scanRoot(this.queue.shift()!, hits);

    const changed = this.tracker.add(hits, this.host.clock());
    if (hits.length > 0) this.host.onHits?.(hits);
    if (changed.length > 0 || this.resetPending) {
      this.host.send(changed, this.resetPending);
      this.resetPending = false;
    }
    const spent = this.host.now() - start;
    this.stats.slices++;
    if (spent > this.stats.longestSliceMs) this.stats.longestSliceMs = spent;
    if (this.hasWork()) this.schedule();
  }

  /** Continue the sliced full pass: test elements against the union selector in small chunks. */
  private walk(deadline: number, hits: Hit[]): void {
    const walker = this.fullPass!;
    const selector = this.matcher.selector;
    if (!selector) {
      this.fullPass = null;
      return;
    }
    while (this.host.now() < deadline) {
      for (let i = 0; i < WALK_CHUNK; i++) {
        const el = walker.nextNode() as Element | null;
        if (!el) {
          this.fullPass = null;
          return;
        }
        this.stats.walkedElements++;
        if (el.matches(selector)) this.collect(el, hits, this.walkHits);
      }
    }
  }

  /** Scan one queued subtree, plus the nearest candidate around it (a label filled in later). */
  private scanRoot(node: Node, hits: Hit[]): void {
    if (!node.isConnected) return;
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    if (!el) return;
    this.stats.scannedRoots++;
    for (const hit of this.matcher.scan(el)) hits.push(hit);
    const around = el.parentElement?.closest(this.matcher.selector || ':not(*)');
    if (around && !this.tracker.has(around)) this.collect(around, hits, null);
  }

  /**
   * Evaluate one candidate element against each rule whose selector it matches. `lastHits` (the
   * walk's, in document order) keeps a wrapper and its inner element from counting twice, as
   * PageMatcher.scan does within one subtree.
   */
  private collect(el: Element, hits: Hit[], lastHits: Map<string, Element> | null): void {
    for (const rule of this.matcher.rules) {
      if (!el.matches(rule.rule.selector)) continue;
      const previous = lastHits?.get(rule.rule.id);
      if (previous && previous.contains(el)) continue;
      const evidence = this.matcher.evaluate(rule, el);
      if (evidence === null) continue;
      lastHits?.set(rule.rule.id, el);
      hits.push({ rule, element: el, evidence });
    }
  }
}
