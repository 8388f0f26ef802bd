/**
 * The detection loop that runs in each platform page.
 *
 *   DomWatcher ──(queue only)──▶ queued roots ──▶ SliceScheduler ──▶ slices of ≤4 ms
 *   (dom-watcher.ts: added subtrees,               (scheduler.ts: rAF when     │
 *    changed labels, nothing when hidden)           visible, task, backstop)   ▼
 *                                                       PageMatcher.scan, TreeWalk (tree-walk.ts)
 *                                                                                  │
 *                                           send(diff) ◀── DetectionTracker.add ◀──┘
 *
 * A slice matches queued subtrees until its budget is spent, then yields to the page and
 * continues on the next frame. A flooded queue becomes one full pass over the document, itself a
 * sliced walk, so no single task grows with the page. What keeps a slice cheap on an infinite feed
 * (numbers: `npm run bench`):
 * - A queued subtree inside another queued (or just scanned) subtree is skipped.
 * - The candidate around a root is looked up once per parent per slice, not once per sibling.
 * - Any root with more than SCAN_CHUNK elements is walked in slices (TreeWalk).
 *
 * Everything the loop needs from the page comes in through `LoopHost`, so tests drive it with a
 * happy-dom document and fake timers.
 */
import type { Detection } from '../../rules/schema';
import { DetectionTracker, type Hit, type PageMatcher } from '../../lib/engine';
import { byDocumentOrder } from '../../lib/engine/selectors';
import { DomWatcher } from './dom-watcher';
import { HIGHLIGHT_HOST_TAG } from './highlights';
import { SliceScheduler, type FrameHost } from './scheduler';
import { exceeds, SCAN_CHUNK, TreeWalk } from './tree-walk';

/** Longest time one slice may run before yielding to the page (the performance budget). */
export const SLICE_BUDGET_MS = 4;
export { MAX_QUEUE } from './dom-watcher';
export { SCAN_CHUNK } from './tree-walk';

/** The element that hosts our highlights; never scanned. */
const OWN_HOST_TAG = HIGHLIGHT_HOST_TAG.toUpperCase();
const isOwnHost = (el: Element) => el.nodeName === OWN_HOST_TAG;

export interface LoopHost extends FrameHost {
  doc: Document;
  /** Monotonic milliseconds, for the slice budget (performance.now()). */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for firstSeen/lastSeen (Date.now()). */
  clock(): number;
  /** Receives the detections that are new or changed since the last call. */
  send(changed: Detection[], reset: boolean): void;
  /** Receives every new hit, for highlights. */
  onHits?(hits: Hit[]): void;
}

export class DetectionLoop {
  #tracker = new DetectionTracker();
  readonly #watcher: DomWatcher;
  readonly #scheduler: SliceScheduler;
  /**
   * What handing on one hit has cost lately (highlights, labels, the message), learned from past
   * slices: the slice stops scanning early enough to pay for it within its budget.
   */
  #perHitMs = 0;
  #walks: TreeWalk[] = [];
  #resetPending = true;
  #stopped = true;
  /** Work done, for the tests: slices run, and (the bench's naive build only) full rescans. */
  readonly #counters: { slices: number; naiveRescans?: number } = { slices: 0 };

  #matcher: PageMatcher;
  readonly #host: LoopHost;

  constructor(matcher: PageMatcher, host: LoopHost) {
    this.#matcher = matcher;
    this.#host = host;
    this.#watcher = new DomWatcher(host, OWN_HOST_TAG, () => this.#schedule());
    this.#scheduler = new SliceScheduler(host, () => this.#slice());
  }

  /** Work done, for the tests. */
  get stats() {
    return { ...this.#counters, droppedQueues: this.#watcher.floods };
  }

  get detections(): Detection[] {
    return this.#tracker.list();
  }

  /** Start on the current page: one full pass, then watch mutations. */
  start(): void {
    this.#stopped = false;
    this.#resetPending = true;
    this.#beginFullPass();
    this.#watcher.observe((records) => this.#onMutations(records), this.#matcher.attributes);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#watcher.disconnect();
    this.#watcher.clear();
    this.#walks = [];
    this.#scheduler.cancel();
  }

  /** A new route (SPA navigation): forget everything of the old one and scan again. */
  changeRoute(matcher: PageMatcher): void {
    this.#matcher = matcher;
    this.#tracker = new DetectionTracker();
    this.start();
  }

  /** Called when the tab becomes visible again: resume pending work. */
  wake(): void {
    this.#watcher.drainStash();
    this.#schedule();
  }

  #onMutations(records: MutationRecord[]): void {
    if (__LENSA_BENCH_NAIVE__) {
      // Bench-only reference point (tests/bench, configuration C): what a content script without
      // a queue or a scheduler does, one full-document scan inside every observer callback.
      // Shipped builds define the flag as false and the bundler drops this block.
      const hits = this.#matcher.scan(this.#host.doc.documentElement);
      this.#counters.naiveRescans = (this.#counters.naiveRescans ?? 0) + 1;
      this.#handOn(hits);
      return;
    }
    this.#watcher.accept(records);
    this.#schedule();
  }

  #beginFullPass(): void {
    // From <html>, not <body>: some platforms mark shopping only in JSON data scripts in <head>.
    const root = this.#host.doc.documentElement;
    this.#watcher.clear();
    this.#watcher.passQueued = false;
    // The full pass covers every smaller walk.
    this.#walks = root ? [new TreeWalk(root, isOwnHost)] : [];
  }

  #hasWork(): boolean {
    return this.#walks.length > 0 || this.#watcher.hasWork();
  }

  /**
   * Ask for a slice. Work left over from a slice (`continuing`) goes on in an ordinary task as
   * well as the next frame: on a busy page frames come 50–150 ms apart (bench, TikTok feed), and
   * a loop paced by them alone fell a second behind the feed.
   */
  #schedule(continuing = false): void {
    if (this.#stopped || (!this.#hasWork() && !this.#resetPending)) return;
    this.#scheduler.request(continuing || this.#walks.length > 0 || this.#watcher.passQueued);
  }

  /** One slice: scan until the budget is spent, report the diff, and come back if work remains. */
  #slice(): void {
    if (this.#stopped) return;
    const deadline = this.#host.now() + SLICE_BUDGET_MS;
    const hits: Hit[] = [];
    // The slice also pays for handing its hits on (highlights, the message): keep room for that.
    const inTime = () => this.#host.now() + hits.length * this.#perHitMs < deadline;
    const watcher = this.#watcher;
    if (watcher.passQueued && !this.#walks.some((w) => w.root === this.#host.doc.documentElement))
      this.#beginFullPass();
    while (this.#walks.length > 0 && inTime()) {
      const walk = this.#walks[0];
      if (walk.step(this.#matcher, inTime, hits)) this.#walks.shift();
    }
    const flushed = new SliceMemo();
    // In document order, a root's queued ancestors come before it: a root inside the last one
    // scanned (or the same node queued twice) is covered by that scan.
    const queue = connectedInDocumentOrder(watcher.queue);
    let next = 0;
    let last: Element | null = null;
    // At least one root per slice, so a slow host cannot stall the loop.
    while (next < queue.length && (next === 0 || inTime())) {
      const el = queue[next++];
      if (last?.contains(el)) continue;
      last = el;
      this.#scanRoot(el, hits, flushed);
    }
    watcher.queue = next === queue.length ? [] : queue.slice(next);
    for (const el of watcher.touched) {
      if (!inTime()) break;
      watcher.touched.delete(el);
      this.#checkAround(el, hits, flushed);
    }

    const handOn = this.#host.now();
    this.#handOn(hits);
    if (hits.length > 0) {
      const perHit = (this.#host.now() - handOn) / hits.length;
      this.#perHitMs = this.#perHitMs === 0 ? perHit : 0.7 * this.#perHitMs + 0.3 * perHit;
    }
    this.#counters.slices++;
    if (this.#hasWork()) this.#schedule(true);
  }

  /** Count the hits; hand new ones to the host and send the diff (or the owed reset). */
  #handOn(hits: Hit[]): void {
    const fresh: Hit[] = [];
    const changed = this.#tracker.add(hits, this.#host.clock(), fresh);
    if (fresh.length > 0) this.#host.onHits?.(fresh);
    if (changed.length > 0 || this.#resetPending) {
      this.#host.send(changed, this.#resetPending);
      this.#resetPending = false;
    }
  }

  /** Scan one queued subtree, plus the nearest candidate around it (a label filled in later). */
  #scanRoot(el: Element, hits: Hit[], flushed: SliceMemo): void {
    if (exceeds(el, SCAN_CHUNK)) {
      this.#walks.push(new TreeWalk(el, isOwnHost));
    } else {
      for (const hit of this.#matcher.scan(el)) hits.push(hit);
    }
    if (el.parentElement) this.#checkAround(el.parentElement, hits, flushed);
  }

  /**
   * Something inside `el` changed (a subtree added, a label rewritten): the candidates around it
   * may match now, through their label, their links or a `has` signal. Each candidate is looked at
   * once per slice; once one was, so were all above it, and the climb stops.
   */
  #checkAround(el: Element, hits: Hit[], flushed: SliceMemo): void {
    // Fifty posts appended to one feed ask about the same parent: the climb is made once.
    if (flushed.from.has(el) || !el.isConnected) return;
    flushed.from.add(el);
    if (this.#matcher.guarding) this.#matcher.guardedAround(el, hits, flushed.guarded);
    if (!this.#matcher.selector) return;
    // Every rule again, also on an element some rule has counted: a new label can make it match
    // another rule (the tracker ignores what a rule has counted already).
    for (let c = el.closest(this.#matcher.selector); c; c = c.parentElement?.closest(this.#matcher.selector) ?? null) {
      if (flushed.around.has(c)) return;
      flushed.around.add(c);
      this.#matcher.hitsOn(c, hits);
    }
  }
}

/** The queued roots that are still in the document, ancestors before descendants. */
function connectedInDocumentOrder(nodes: readonly Node[]): Element[] {
  const els: Element[] = [];
  for (const node of nodes) if (node.nodeType === 1 && node.isConnected) els.push(node as Element);
  // Mostly in order already (a feed appends its posts in order), which the sort checks in one pass.
  return els.length > 1 ? els.sort(byDocumentOrder) : els;
}

/** What one slice has already looked at (the DOM does not change during a slice). */
class SliceMemo {
  readonly around = new Set<Element>();
  /** Elements checkAround has started from. */
  readonly from = new Set<Element>();
  /** The same for the guarded rules, per group (PageMatcher.guardedAround). */
  readonly guarded = new Map<object, Set<Element>>();
}
