/**
 * A sliced walk over a big subtree (the full pass, or one huge inserted root): it descends only
 * until it reaches subtrees of at most SCAN_CHUNK elements and scans each of those with the
 * matcher's native queries (testing every element with `matches` from script cost several times
 * more), so one huge insertion cannot make one long task.
 */
import { HitNesting, type Hit, type PageMatcher } from '../../lib/engine';

/**
 * Largest subtree (in elements) matched in one go, with a few native queries; anything bigger is
 * walked in slices, one such subtree at a time, so no single step outlasts the slice budget.
 */
export const SCAN_CHUNK = 200;

/**
 * Elements a walk visits one by one that the guarded rules test together, with one clock reading
 * for the lot: small enough that the slice's deadline and the guard's budget still see their cost
 * between two batches, big enough that reading the clock costs nothing next to the tests.
 */
const GUARDED_BATCH = 32;

/** Units of walking work between two readings of the clock (see `step`). */
const WORK_PER_CHECK = 16;

export class TreeWalk {
  /**
   * The next element to visit, in document order: undefined before the start, null at the end.
   * A cursor, not a list of pending elements: a container with a million children costs nothing
   * to step into (pushing its children took over a second in one task: the hardening e2e test).
   */
  #cursor: Element | null | undefined = undefined;
  /** Ancestors of the cursor below which the walk has descended, the cursor's parent last. */
  readonly #path: Element[] = [];
  /**
   * For each element of `path`: whether it or an ancestor matches the matcher's `inside` (the A
   * of its `A *` selectors), so everything below it is a candidate without asking the selector
   * engine to climb the ancestors again.
   */
  readonly #insideAt: boolean[] = [];
  /** The same for the walk root's parent (asked once). */
  #rootInside: boolean | undefined = undefined;
  /** Hits come in document order, so a wrapper and its inner element count once. */
  readonly #nesting = new HitNesting();
  /**
   * Elements visited one by one since the last scan, for the guarded rules (imported packs): they
   * test them as a batch, timed once per group (lib/engine/rule-guard.ts).
   */
  #guardedBatch: Element[] = [];

  /** Elements never entered (our own highlight layer). */
  readonly #skip: (el: Element) => boolean;

  constructor(
    readonly root: Element,
    skip: (el: Element) => boolean = () => false,
  ) {
    this.#skip = skip;
  }

  /** Walk on while `inTime()` (at least one step), pushing hits. Returns true when the walk is done. */
  step(matcher: PageMatcher, inTime: () => boolean, hits: Hit[]): boolean {
    const { selector, plain, inside } = matcher;
    const guarding = matcher.guarding;
    if ((!selector && !guarding) || !this.root.isConnected) return true;
    if (this.#cursor === undefined) this.#cursor = this.root;
    this.#rootInside ??= inside !== '' && this.root.parentElement?.closest(inside) != null;
    /** Whether `el`, whose parent is the last of `path`, matches the union selector. */
    const isCandidate = (el: Element) =>
      this.#parentInside() || (plain !== '' && matcher.mayMatchPlain(el) && el.matches(plain));
    // The clock is read once per WORK_PER_CHECK units of work: stepping past a bare leaf is one
    // unit, a native scan of a subtree or a batch of guarded tests all of them (reading the clock
    // at every one of 200,000 siblings was a good part of walking them). The first step is free.
    let work = WORK_PER_CHECK - 1;
    const one = (el: Element, candidate: boolean) => {
      if (candidate) matcher.hitsOn(el, hits, this.#nesting);
      if (guarding && this.#guardedBatch.push(el) >= GUARDED_BATCH) {
        this.#flushGuarded(matcher, hits);
        work = WORK_PER_CHECK;
      }
    };
    // The page can change the DOM only between two steps: whether the cursor is still in the
    // document needs asking only at the start of one.
    let firstOfStep = true;
    while (this.#cursor && (work < WORK_PER_CHECK || inTime())) {
      if (work >= WORK_PER_CHECK) work = 0;
      const el: Element = this.#cursor;
      const removed = firstOfStep && !el.isConnected;
      firstOfStep = false;
      if (removed) {
        // The page removed our place: look at the children of the nearest ancestor still there.
        while (this.#path.length > 0 && !this.#path[this.#path.length - 1].isConnected) this.#popPath();
        const parent = this.#path[this.#path.length - 1];
        if (!parent) {
          this.#flushGuarded(matcher, hits);
          return true;
        }
        if (parent.firstElementChild) this.#cursor = parent.firstElementChild;
        else {
          this.#popPath();
          this.#cursor = this.#after(parent);
        }
        work = WORK_PER_CHECK;
        firstOfStep = true;
        continue;
      }
      work++;
      if (!el.firstElementChild) {
        // A leaf: most of a huge flat list. Our own host is looked for only where it matters.
        const candidate = selector !== '' && isCandidate(el);
        if ((candidate || guarding) && !this.#skip(el)) one(el, candidate);
        this.#cursor = this.#after(el);
      } else if (this.#skip(el)) {
        this.#cursor = this.#after(el);
      } else if (!this.#onlyChildOfBig(el) && !exceeds(el, SCAN_CHUNK)) {
        work = WORK_PER_CHECK;
        // The batch first: each rule's hits must come in document order.
        this.#flushGuarded(matcher, hits);
        for (const hit of matcher.scan(el)) if (this.#nesting.admit(hit)) hits.push(hit);
        this.#cursor = this.#after(el);
      } else {
        one(el, selector !== '' && isCandidate(el));
        const below = this.#parentInside() || (inside !== '' && el.matches(inside));
        this.#path.push(el);
        this.#insideAt.push(below);
        this.#cursor = el.firstElementChild;
      }
    }
    this.#flushGuarded(matcher, hits);
    return !this.#cursor;
  }

  /** Whether the cursor's parent, or an element above it, matches the matcher's `inside`. */
  #parentInside(): boolean {
    return this.#insideAt.length > 0 ? this.#insideAt[this.#insideAt.length - 1] : this.#rootInside === true;
  }

  #popPath(): Element | undefined {
    this.#insideAt.pop();
    return this.#path.pop();
  }

  #flushGuarded(matcher: PageMatcher, hits: Hit[]): void {
    if (this.#guardedBatch.length === 0) return;
    matcher.guardedHitsOn(this.#guardedBatch, hits, this.#nesting);
    this.#guardedBatch = [];
  }

  /**
   * The only child of an element the walk descended into for its size is nearly as big: walk it
   * too, without counting again (counting at every level of a 10,000-deep chain was quadratic).
   * Walking instead of scanning natively changes the cost, never the result.
   */
  #onlyChildOfBig(el: Element): boolean {
    const parent = this.#path[this.#path.length - 1];
    return parent !== undefined && parent === el.parentElement && parent.childElementCount === 1;
  }

  /** The element after `el` and everything inside it, within the walk's root (null at the end). */
  #after(el: Element): Element | null {
    for (let n = el; n !== this.root;) {
      if (n.nextElementSibling) return n.nextElementSibling;
      const parent = this.#popPath();
      if (!parent) return null;
      n = parent;
    }
    return null;
  }
}

/**
 * Whether `root` has more than `limit` descendant elements. A fresh live collection counts from
 * its start up to the element asked for, so this reads at most `limit + 1` elements, natively
 * (stepping through them from script was 7 % of the extension's time on the bench feed; asking
 * for the whole subtree costs its size, quadratic down a 10,000-deep chain).
 */
export function exceeds(root: Element, limit: number): boolean {
  return root.getElementsByTagName('*').item(limit) !== null;
}
