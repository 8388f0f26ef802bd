/**
 * Finding the candidates of many selector groups in one subtree with few questions to the
 * selector engine.
 *
 * Groups share alternatives (TikTok's five button rules start with the same seven), and a query
 * per group made the engine test each shared alternative once per group: 148 alternative tests
 * per element instead of 90, the largest part of a scan (bench profile). So alternatives are
 * queried by the set of groups they belong to, each once, and each group gathers the lists it is
 * part of.
 *
 * Each `querySelectorAll` also has a fixed cost (about 2.5 µs on a 20-element post, as much as
 * testing a dozen alternatives), and most of these queries find nothing in most posts. Those are
 * pooled: one query of all their alternatives together, whose few finds are then sorted into
 * the groups with `matches`. A query is pooled while it finds less than one element per scan on
 * average, so which ones are depends on the page, and changes with it.
 */

import { ElementMap } from './element-map';

/** What PartQueries needs of a selector group. */
export interface QueryGroup {
  /** The group's alternatives, with `inside` set for `A *` ones (its A). */
  parts: readonly { selector: string; inside: string | null }[];
}

/** Most groups one PartQueries serves: an element's groups are the bits of one number. */
export const MAX_QUERY_GROUPS = 31;

/** Alternatives that belong to exactly the same groups, queried together. */
interface PartQuery {
  selector: string;
  /** Bit i set: the alternatives belong to group i. */
  mask: number;
  /** Elements found per scan, as a moving average. */
  found: number;
  /** Elements found in the scan under way. */
  now: number;
  pooled: boolean;
}

/** Average finds per scan below which a query is pooled. */
const POOL_BELOW = 1;
/** Weight of the latest scan in a query's moving average of finds. */
const FOUND_WEIGHT = 0.1;

export class PartQueries {
  /** Queries of plain alternatives (matched as they are). */
  readonly #plain: PartQuery[];
  /** Queries of the A of `A *` alternatives: every element inside a match is a candidate. */
  readonly #inside: PartQuery[];
  /** The pooled plain queries and their alternatives joined; rebuilt when the pool changes. */
  #pool: { selector: string; queries: PartQuery[] } | null = null;
  /** Every plain alternative / every A, joined: one `matches` or `closest` for the root. */
  readonly #anyPlain: string;
  readonly #anyInside: string;

  constructor(groups: readonly QueryGroup[]) {
    if (groups.length > MAX_QUERY_GROUPS) throw new Error(`at most ${MAX_QUERY_GROUPS} groups`);
    const plain = new Map<string, number>();
    const inside = new Map<string, number>();
    groups.forEach((group, i) => {
      for (const part of group.parts) {
        const [map, key] = part.inside ? [inside, part.inside] : [plain, part.selector];
        map.set(key, (map.get(key) ?? 0) | (1 << i));
      }
    });
    this.#plain = byGroupSet(plain);
    this.#inside = byGroupSet(inside);
    this.#anyPlain = [...plain.keys()].join(',');
    this.#anyInside = [...inside.keys()].join(',');
  }

  /**
   * The candidates in `root` (and `root` itself, when it is an element), each with the groups
   * it is a candidate of (bit i: group i), in no particular order (an ElementMap: see there why).
   */
  find(root: ParentNode, self: Element | null): ElementMap<number> {
    const found = new ElementMap<number>();
    const add = (el: Element, mask: number) => found.set(el, (found.get(el) ?? 0) | mask);
    for (const query of this.#plain) query.now = 0;
    // The root itself: one question for every alternative, and which ones only when it matches.
    if (self && this.#anyPlain && matchesSafely(self, this.#anyPlain)) {
      for (const query of this.#plain) {
        if (!matchesSafely(self, query.selector)) continue;
        add(self, query.mask);
        query.now++;
      }
    }
    for (const query of this.#plain) {
      if (query.pooled) continue;
      const els = queryAll(root, query.selector);
      for (let i = 0; i < els.length; i++) add(els[i], query.mask);
      query.now += els.length;
    }
    const pool = this.#pooled();
    if (pool) {
      let els: ArrayLike<Element>;
      try {
        els = root.querySelectorAll(pool.selector);
      } catch {
        // One alternative this DOM rejects fails the whole pool: ask each query on its own.
        els = [...new Set(pool.queries.flatMap((q) => [...queryAll(root, q.selector)]))];
      }
      for (let i = 0; i < els.length; i++) {
        for (const query of pool.queries) {
          if (!matchesSafely(els[i], query.selector)) continue;
          add(els[i], query.mask);
          query.now++;
        }
      }
    }
    for (const query of this.#plain) this.#learn(query);
    this.#findInside(root, self, add);
    return found;
  }

  /** `A *`: everything below an A. When an ancestor of the root is an A, that is all of it. */
  #findInside(root: ParentNode, self: Element | null, add: (el: Element, mask: number) => void): void {
    if (this.#inside.length === 0) return;
    const above = self?.parentElement && closestSafely(self.parentElement, this.#anyInside) ? self.parentElement : null;
    const below = (top: Element, mask: number) => {
      const els = top.querySelectorAll('*');
      for (let i = 0; i < els.length; i++) add(els[i], mask);
    };
    for (const query of this.#inside) {
      if (above && closestSafely(above, query.selector)) {
        add(self!, query.mask);
        below(self!, query.mask);
        continue;
      }
      if (self && matchesSafely(self, query.selector)) below(self, query.mask);
      const tops = queryAll(root, query.selector);
      for (let i = 0; i < tops.length; i++) below(tops[i], query.mask);
    }
  }

  /** The pool, or null when nothing is pooled. */
  #pooled(): { selector: string; queries: PartQuery[] } | null {
    if (this.#pool) return this.#pool.queries.length > 0 ? this.#pool : null;
    const queries = this.#plain.filter((q) => q.pooled);
    this.#pool = { selector: queries.map((q) => q.selector).join(','), queries };
    return queries.length > 0 ? this.#pool : null;
  }

  #learn(query: PartQuery): void {
    query.found += FOUND_WEIGHT * (query.now - query.found);
    const pooled = query.found < POOL_BELOW;
    if (pooled === query.pooled) return;
    query.pooled = pooled;
    this.#pool = null;
  }
}

/** One query per set of groups (a mask), joining the alternatives that belong to exactly that set. */
function byGroupSet(members: Map<string, number>): PartQuery[] {
  const parts = new Map<number, string[]>();
  for (const [part, mask] of members) parts.set(mask, [...(parts.get(mask) ?? []), part]);
  // Every query starts pooled: the first scans tell which ones find enough to run alone.
  return [...parts].map(([mask, of]) => ({ selector: of.join(','), mask, found: 0, now: 0, pooled: true }));
}

const NOTHING: readonly Element[] = [];

/**
 * `querySelectorAll` that finds nothing where this DOM rejects a selector that the compile-time
 * check let through: that rule finds nothing here, and every other rule's results still count.
 */
function queryAll(root: ParentNode, selector: string): ArrayLike<Element> & Iterable<Element> {
  try {
    return root.querySelectorAll(selector);
  } catch {
    return NOTHING;
  }
}

export function matchesSafely(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

export function closestSafely(el: Element | null, selector: string): Element | null {
  try {
    return el?.closest(selector) ?? null;
  } catch {
    return null;
  }
}
