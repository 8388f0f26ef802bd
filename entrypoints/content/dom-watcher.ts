/**
 * Watching the page: a MutationObserver whose callback only queues (no matching, storage or
 * messaging there), as uBlock Origin's content script does.
 *
 * - Added elements are queued as subtree roots; elements whose watched attributes change are
 *   queued too (a link target or label filled in later).
 * - An added text node only changes its parent's label: the parent is "touched", so only its
 *   nearest candidate is looked at again, not the parent's whole subtree (feeds insert whitespace
 *   between posts, and rescanning the feed container for each batch grew with the feed). A node
 *   taken out touches the parent it left, whose label has lost its text.
 * - While the tab is hidden the callback only keeps the records as they came; they are queued
 *   when the tab is visible again.
 * - An element whose watched attributes keep changing (a hostile page, an animated label) is
 *   looked at once when it starts and then at most once per ATTRIBUTE_CHURN_MS, not on every frame.
 * - A flooded queue (an infinite feed gone wild, a hostile page) is dropped and a full pass is
 *   owed instead: from then on the nodes are not even looked at.
 */

/** Queued roots beyond which the queue is dropped for one full pass (flood protection). */
export const MAX_QUEUE = 2000;
/** Observer callbacks kept unread while hidden; beyond this they are queued (or flood the queue). */
const MAX_STASH = 500;
/** An element's attributes changing again within this time are looked at when it ends. */
export const ATTRIBUTE_CHURN_MS = 1000;
/** Attributes always watched: a link target or a label filled in later. */
const BASE_ATTRIBUTES = ['aria-label', 'href', 'title'];

export interface WatchHost {
  doc: Document;
  isHidden(): boolean;
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export class DomWatcher {
  /**
   * Queued subtree roots, in arrival order, a node possibly more than once. Kept in an array
   * only: a Set of them would give every post of a feed an identity hash, which keeps its wrapper
   * alive as long as the post (lib/engine/element-map.ts); the loop sorts and skips instead.
   */
  queue: Node[] = [];
  /** Parents of added text nodes: only their nearest candidate needs a second look. */
  readonly touched = new Set<Element>();
  /** The queue overflowed: a full pass is owed. */
  passQueued = false;
  /** Times the queue was dropped for a full pass. */
  floods = 0;
  #stash: MutationRecord[][] = [];
  #observer: MutationObserver | null = null;
  /** When each element was last queued for an attribute change. */
  #attributeSeen = new WeakMap<Node, number>();
  /** Elements whose attributes changed again too soon: queued together when the timer fires. */
  readonly #churning = new Set<Node>();
  #churnTimer: unknown = null;

  readonly #host: WatchHost;
  /** Elements never queued (our own highlight layer), by upper-case node name. */
  readonly #ownTag: string;
  /** Called when queued work appears outside an observer callback (churned elements' turn). */
  readonly #onWork: () => void;

  constructor(host: WatchHost, ownTag: string, onWork: () => void = () => {}) {
    this.#host = host;
    this.#ownTag = ownTag;
    this.#onWork = onWork;
  }

  /**
   * Observe the document; `onRecords` gets each callback's records (it calls `accept`). Only
   * `attributes` (those the page's rules look at) and the base ones are watched: churn of any other
   * attribute never even reaches the callback.
   */
  observe(onRecords: (records: MutationRecord[]) => void, attributes: readonly string[] = []): void {
    this.disconnect();
    const Observer = this.#host.doc.defaultView?.MutationObserver ?? MutationObserver;
    this.#observer = new Observer(onRecords);
    this.#observer.observe(this.#host.doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: [...new Set([...BASE_ATTRIBUTES, ...attributes])],
    });
  }

  disconnect(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    if (this.#churnTimer !== null) this.#host.clearTimeout(this.#churnTimer);
    this.#churnTimer = null;
    this.#churning.clear();
  }

  /** Take one observer callback's records: stashed while hidden, queued otherwise. */
  accept(records: MutationRecord[]): void {
    if (this.#host.isHidden()) {
      this.#stash.push(records);
      if (this.#stash.length >= MAX_STASH) this.drainStash();
      return;
    }
    if (this.#stash.length > 0) this.drainStash();
    this.#queueRecords(records);
  }

  /** Queue what came while the tab was hidden. */
  drainStash(): void {
    const stash = this.#stash;
    this.#stash = [];
    for (const records of stash) this.#queueRecords(records);
  }

  hasWork(): boolean {
    return this.passQueued || this.queue.length > 0 || this.touched.size > 0;
  }

  clear(): void {
    this.queue = [];
    this.touched.clear();
    this.#stash = [];
    this.#churning.clear();
  }

  #queueRecords(records: MutationRecord[]): void {
    for (const record of records) {
      // A full pass is owed anyway: do not even look at the nodes (touching a node from script
      // costs a wrapper object; a flood of 10,000 nodes a batch made each callback ~30 ms).
      if (this.passQueued) return;
      if (record.type === 'attributes') this.#attributeChanged(record.target);
      else if (this.queue.length + record.addedNodes.length > MAX_QUEUE) this.#flood();
      else {
        for (const node of record.addedNodes) {
          if (node.nodeName === this.#ownTag) continue;
          if (node.nodeType === 1) this.#enqueue(node);
          else if (node.parentElement) this.#touch(node.parentElement);
        }
        // What was taken out was part of the labels around it: they may match now.
        if (record.removedNodes.length > 0 && record.target.nodeType === 1) this.#touch(record.target as Element);
      }
    }
  }

  #attributeChanged(node: Node): void {
    const now = this.#host.now();
    const last = this.#attributeSeen.get(node);
    if (last === undefined || now - last >= ATTRIBUTE_CHURN_MS) {
      this.#attributeSeen.set(node, now);
      return this.#enqueue(node);
    }
    if (this.#churning.size >= MAX_QUEUE) return this.#flood();
    this.#churning.add(node);
    this.#churnTimer ??= this.#host.setTimeout(() => this.#churnEnded(), ATTRIBUTE_CHURN_MS);
  }

  #churnEnded(): void {
    this.#churnTimer = null;
    const now = this.#host.now();
    for (const node of this.#churning) {
      this.#attributeSeen.set(node, now);
      this.#enqueue(node);
    }
    this.#churning.clear();
    this.#onWork();
  }

  #enqueue(node: Node): void {
    if (this.passQueued) return; // the owed full pass will see it
    if (this.queue.length >= MAX_QUEUE) return this.#flood();
    this.queue.push(node);
  }

  #touch(el: Element): void {
    if (this.passQueued) return;
    if (this.touched.size >= MAX_QUEUE) return this.#flood();
    this.touched.add(el);
  }

  #flood(): void {
    this.floods++;
    this.clear();
    this.passQueued = true;
  }
}
