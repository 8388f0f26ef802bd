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
 * What keeps a flush cheap on an infinite feed (numbers: `npm run bench`):
 * - An added text node only changes its parent's label: the parent's nearest candidate is
 *   re-checked, the parent's subtree is not rescanned (feeds insert whitespace between posts, and
 *   rescanning the feed container for each batch made the cost grow with the feed's length).
 * - A queued subtree inside another queued (or just scanned) subtree is skipped.
 * - The candidate around a root is looked up once per parent per flush, not once per sibling.
 * - While the tab is hidden the observer callback only keeps the records (bench: the hidden-tab
 *   cost went from ~0.14 ms per appended batch to almost nothing); they are queued on wake().
 * - The full pass, and any root with more than SCAN_CHUNK elements, descends the tree only until
 *   it reaches subtrees of at most SCAN_CHUNK elements and scans each of those with native queries
 *   (testing every element with `matches` from script cost several times more), so one huge
 *   insertion cannot make one long task either.
 *
 * Everything the loop needs from the page comes in through `LoopHost`, so tests drive it with a
 * happy-dom document and fake timers.
 */
import type { Detection } from '../../rules/schema';
import { DetectionTracker, type Hit, type PageMatcher } from '../../lib/engine';
import { HIGHLIGHT_HOST_TAG } from './highlights';

/** Longest time one slice may run before yielding to the page (design.md performance budget). */
export const SLICE_BUDGET_MS = 4;
/** Queued roots beyond which the queue is dropped for one sliced full pass (flood protection). */
export const MAX_QUEUE = 2000;
/**
 * Largest subtree (in elements) matched in one go, with a few native queries; anything bigger is
 * walked in slices, one such subtree at a time, so no single step outlasts the slice budget.
 */
export const SCAN_CHUNK = 200;
/** Observer callbacks kept unread while hidden; beyond this they are queued (or flood the queue). */
const MAX_STASH = 500;
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

/** A sliced walk over a subtree (the full pass, or one big inserted root). */
interface Walk {
  root: Element;
  /**
   * The next element to visit, in document order: undefined before the start, null at the end.
   * A cursor, not a list of pending elements: a container with a million children costs nothing
   * to step into (pushing its children took over a second in one task: tests/e2e/hardening.spec.ts).
   */
  cursor: Element | null | undefined;
  /** Ancestors of the cursor below which the walk has descended, the cursor's parent last. */
  path: Element[];
  /** Last hit per rule id, in document order, so a wrapper and its inner element count once. */
  lastHits: Map<string, Element>;
}

function newWalk(root: Element): Walk {
  return { root, cursor: undefined, path: [], lastHits: new Map() };
}

export class DetectionLoop {
  private tracker = new DetectionTracker();
  /** Queued subtree roots (added elements, elements whose watched attributes changed). */
  private queue: Node[] = [];
  /** The same nodes as `queue`, for the "inside a queued root" check. */
  private pending = new Set<Node>();
  /** Parents of added text nodes: only their nearest candidate needs a second look. */
  private touched = new Set<Element>();
  /** Observer callbacks that came while the tab was hidden, untouched until it is visible. */
  private stash: MutationRecord[][] = [];
  /**
   * What handing on one hit has cost lately (highlights, labels, the message), learned from past
   * slices: the slice stops scanning early enough to pay for it within its budget.
   */
  private perHitMs = 0;
  private walks: Walk[] = [];
  /** The queue overflowed: a full pass is owed once the current one (if any) ends. */
  private passQueued = false;
  private scheduled = false;
  /** Numbers each schedule(), so a callback of an earlier one cannot run a later slice. */
  private round = 0;
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
    skippedRoots: number;
    longestSliceMs: number;
    /** Only in the bench's naive build (__LENSA_BENCH_NAIVE__). */
    naiveRescans?: number;
  } = { slices: 0, scannedRoots: 0, walkedElements: 0, droppedQueues: 0, skippedRoots: 0, longestSliceMs: 0 };

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
    this.clearQueues();
    this.walks = [];
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
    this.drainStash();
    if (this.hasWork() || this.resetPending) this.schedule();
  }

  private onMutations(records: MutationRecord[]): void {
    if (__LENSA_BENCH_NAIVE__) {
      // Bench-only reference point (tests/bench, configuration C): what a content script without
      // a queue or a scheduler does, one full-document scan inside every observer callback.
      // Shipped builds define the flag as false and the bundler drops this block.
      const hits = this.matcher.scan(this.host.doc.documentElement);
      this.stats.naiveRescans = (this.stats.naiveRescans ?? 0) + 1;
      const fresh: Hit[] = [];
      const changed = this.tracker.add(hits, this.host.clock(), fresh);
      if (fresh.length > 0) this.host.onHits?.(fresh);
      if (changed.length > 0) this.host.send(changed, false);
      return;
    }
    if (this.host.isHidden()) {
      // Hidden tabs do no work: keep the records as they came and look at them on wake().
      this.stash.push(records);
      if (this.stash.length >= MAX_STASH) this.drainStash();
      return;
    }
    // Queue only. Matching happens in the scheduled flush.
    if (this.stash.length > 0) this.drainStash();
    this.queueRecords(records);
    this.schedule();
  }

  private queueRecords(records: MutationRecord[]): void {
    for (const record of records) {
      // A full pass is owed anyway: do not even look at the nodes (touching a node from script
      // costs a wrapper object; a flood of 10,000 nodes a batch made each callback ~30 ms).
      if (this.passQueued) return;
      if (record.type === 'attributes') this.enqueue(record.target);
      else if (this.queue.length + record.addedNodes.length > MAX_QUEUE) this.flood();
      else
        for (const node of record.addedNodes) {
          if (node.nodeName === OWN_HOST_TAG) continue; // our own highlight layer
          if (node.nodeType === 1) this.enqueue(node);
          else if (node.parentElement) this.touch(node.parentElement);
        }
    }
  }

  private drainStash(): void {
    const stash = this.stash;
    this.stash = [];
    for (const records of stash) this.queueRecords(records);
  }

  private enqueue(node: Node): void {
    if (this.passQueued || this.pending.has(node)) return; // the queued full pass will see it
    if (this.queue.length >= MAX_QUEUE) return this.flood();
    this.queue.push(node);
    this.pending.add(node);
  }

  private touch(el: Element): void {
    if (this.passQueued) return;
    if (this.touched.size >= MAX_QUEUE) return this.flood();
    this.touched.add(el);
  }

  /** Flooded: drop the queues; one sliced full pass after the current work covers all of it. */
  private flood(): void {
    this.stats.droppedQueues++;
    this.clearQueues();
    this.passQueued = true;
  }

  private clearQueues(): void {
    this.queue = [];
    this.pending.clear();
    this.touched.clear();
    this.stash = [];
  }

  private beginFullPass(): void {
    // From <html>, not <body>: some platforms mark shopping only in JSON data scripts in <head>.
    const root = this.host.doc.documentElement;
    this.clearQueues();
    this.passQueued = false;
    // The full pass covers every smaller walk.
    this.walks = root ? [newWalk(root)] : [];
  }

  private hasWork(): boolean {
    return this.walks.length > 0 || this.passQueued || this.queue.length > 0 || this.touched.size > 0;
  }

  private schedule(): void {
    if (this.stopped || this.scheduled) return;
    if (!this.hasWork() && !this.resetPending) return;
    if (this.host.isHidden()) return; // resumed by wake() on visibilitychange
    this.scheduled = true;
    const round = ++this.round;
    this.host.requestFrame(() => this.flush(round));
    // A walk (the full pass, a huge insertion) also asks for an ordinary task, which usually comes
    // first: such tasks take turns with the page's own, where work in every animation frame made
    // the frames long and starved the page's tasks (tests/e2e/hardening.spec.ts, a million-node
    // flood). Whichever comes first runs the slice.
    if (this.walks.length > 0 || this.passQueued) this.host.setTimeout(() => this.flush(round), 0);
    // One backstop stays armed across flushes (arming and clearing a timer per frame showed up in
    // the bench profile); when it fires it flushes only if a frame has not come since.
    if (this.backstop === null) {
      this.backstop = this.host.setTimeout(() => {
        this.backstop = null;
        this.flush(this.round);
      }, BACKSTOP_MS);
    }
  }

  /** One slice: scan until the budget is spent, report the diff, and come back if work remains. */
  private flush(round: number): void {
    // The frame, the task and the backstop race; the first one for the current round runs.
    if (!this.scheduled || round !== this.round) return;
    this.scheduled = false;
    if (this.stopped || this.host.isHidden()) return;

    const start = this.host.now();
    const deadline = start + SLICE_BUDGET_MS;
    const hits: Hit[] = [];
    // The slice also pays for handing its hits on (highlights, the message): keep room for that.
    const inTime = () => this.host.now() + hits.length * this.perHitMs < deadline;
    if (this.passQueued && !this.walks.some((w) => w.root === this.host.doc.documentElement)) this.beginFullPass();
    while (this.walks.length > 0 && inTime()) {
      if (this.walk(this.walks[0], inTime, hits)) this.walks.shift();
    }
    const flushed = new FlushMemo();
    let next = 0;
    // At least one root per slice, so a slow host cannot stall the loop.
    while (next < this.queue.length && (next === 0 || inTime())) {
      const node = this.queue[next++];
      this.pending.delete(node);
      this.scanRoot(node, hits, flushed);
    }
    this.queue = next === this.queue.length ? [] : this.queue.slice(next);
    for (const el of this.touched) {
      if (!inTime()) break;
      this.touched.delete(el);
      this.checkAround(el, hits, flushed);
    }

    const handOn = this.host.now();
    const fresh: Hit[] = [];
    const changed = this.tracker.add(hits, this.host.clock(), fresh);
    if (fresh.length > 0) this.host.onHits?.(fresh);
    if (changed.length > 0 || this.resetPending) {
      this.host.send(changed, this.resetPending);
      this.resetPending = false;
    }
    if (hits.length > 0) {
      const perHit = (this.host.now() - handOn) / hits.length;
      this.perHitMs = this.perHitMs === 0 ? perHit : 0.7 * this.perHitMs + 0.3 * perHit;
    }
    const spent = this.host.now() - start;
    this.stats.slices++;
    if (spent > this.stats.longestSliceMs) this.stats.longestSliceMs = spent;
    if (this.hasWork()) this.schedule();
  }

  /**
   * Continue a sliced walk: descend until subtrees are small enough to scan at once. Returns true
   * when the walk is done.
   */
  private walk(walk: Walk, inTime: () => boolean, hits: Hit[]): boolean {
    const selector = this.matcher.selector;
    if (!selector || !walk.root.isConnected) return true;
    if (walk.cursor === undefined) walk.cursor = walk.root;
    let first = true;
    while (walk.cursor && (first || inTime())) {
      first = false;
      const el: Element = walk.cursor;
      if (!el.isConnected) {
        // The page removed our place: look at the children of the nearest ancestor still there.
        while (walk.path.length > 0 && !walk.path[walk.path.length - 1].isConnected) walk.path.pop();
        const parent = walk.path[walk.path.length - 1];
        if (!parent) return true;
        if (parent.firstElementChild) walk.cursor = parent.firstElementChild;
        else {
          walk.path.pop();
          walk.cursor = this.after(walk, parent);
        }
        continue;
      }
      this.stats.walkedElements++;
      if (el.nodeName === OWN_HOST_TAG) {
        walk.cursor = this.after(walk, el);
      } else if (!el.firstElementChild) {
        if (el.matches(selector)) this.collect(el, hits, walk.lastHits);
        walk.cursor = this.after(walk, el);
      } else if (!exceeds(el, SCAN_CHUNK)) {
        for (const hit of this.matcher.scan(el)) {
          const previous = walk.lastHits.get(hit.rule.rule.id);
          if (previous && previous.contains(hit.element)) continue;
          walk.lastHits.set(hit.rule.rule.id, hit.element);
          hits.push(hit);
        }
        walk.cursor = this.after(walk, el);
      } else {
        if (el.matches(selector)) this.collect(el, hits, walk.lastHits);
        walk.path.push(el);
        walk.cursor = el.firstElementChild;
      }
    }
    return !walk.cursor;
  }

  /** The element after `el` and everything inside it, within the walk's root (null at the end). */
  private after(walk: Walk, el: Element): Element | null {
    for (let n = el; n !== walk.root;) {
      if (n.nextElementSibling) return n.nextElementSibling;
      const parent = walk.path.pop();
      if (!parent) return null;
      n = parent;
    }
    return null;
  }

  /** Scan one queued subtree, plus the nearest candidate around it (a label filled in later). */
  private scanRoot(node: Node, hits: Hit[], flushed: FlushMemo): void {
    if (!node.isConnected || node.nodeType !== 1) return;
    const el = node as Element;
    if (this.insideQueuedOrScanned(el, flushed)) {
      this.stats.skippedRoots++;
      return;
    }
    flushed.scanned.add(el);
    if (exceeds(el, SCAN_CHUNK)) {
      this.walks.push(newWalk(el));
    } else {
      this.stats.scannedRoots++;
      for (const hit of this.matcher.scan(el)) hits.push(hit);
    }
    if (el.parentElement) this.checkAround(el.parentElement, hits, flushed);
  }

  /**
   * Whether an ancestor of `el` is still queued (its scan will cover `el`) or was scanned earlier
   * in this flush (the DOM has not changed since).
   */
  private insideQueuedOrScanned(el: Element, flushed: FlushMemo): boolean {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (this.pending.has(a) || flushed.scanned.has(a)) return true;
    }
    return false;
  }

  /** `el` or one of its ancestors may have a new label: look at its nearest candidate once per flush. */
  private checkAround(el: Element, hits: Hit[], flushed: FlushMemo): void {
    if (!el.isConnected || flushed.around.has(el)) return;
    flushed.around.add(el);
    const around = el.closest(this.matcher.selector || ':not(*)');
    if (around && !this.tracker.has(around)) this.collect(around, hits, null);
  }

  /**
   * Evaluate one candidate element against each rule whose selector it matches. `lastHits` (the
   * walk's, in document order) keeps a wrapper and its inner element from counting twice, as
   * PageMatcher.scan does within one subtree.
   */
  private collect(el: Element, hits: Hit[], lastHits: Map<string, Element> | null): void {
    const rules = this.matcher.rulesFor(el);
    if (rules.length === 0) return;
    const candidate = this.matcher.candidate(el);
    for (const rule of rules) {
      const previous = lastHits?.get(rule.rule.id);
      if (previous && previous.contains(el)) continue;
      const evidence = this.matcher.evaluate(rule, el, candidate);
      if (evidence === null) continue;
      lastHits?.set(rule.rule.id, el);
      hits.push({ rule, element: el, evidence });
    }
  }
}

/**
 * Whether `root` has more than `limit` descendant elements, asked natively: walking the subtree from
 * script would create a wrapper object for every element, and a `getElementsByTagName('*')`
 * collection would stay cached on every root.
 */
function exceeds(root: Element, limit: number): boolean {
  return root.childElementCount > limit || root.querySelectorAll('*').length > limit;
}

/** What one flush has already looked at (the DOM does not change during a flush). */
class FlushMemo {
  readonly scanned = new Set<Element>();
  readonly around = new Set<Element>();
}
