/**
 * Turning hits into the `Detection` records of the `detections:get` contract (README): one record per
 * rule, counting distinct elements seen on the current route.
 */
import type { Detection } from '../../rules/schema';
import type { Hit } from './page-matcher';
import { productOf } from './product';

export class DetectionTracker {
  readonly #records = new Map<string, Detection>();
  readonly #seen = new WeakSet<Element>();
  readonly #seenPerRule = new Map<string, WeakSet<Element>>();
  /** Rules whose product name was looked for (once per rule, so a nameless card costs one read). */
  readonly #productTried = new Set<string>();

  /**
   * Adds hits; returns the records that are new or changed, for sending as a diff. Hits on an
   * element the rule had already counted are ignored; the others are pushed onto `fresh`.
   */
  add(hits: readonly Hit[], now: number, fresh?: Hit[]): Detection[] {
    const changed = new Map<string, Detection>();
    for (const hit of hits) {
      const rule = hit.rule.rule;
      let elements = this.#seenPerRule.get(rule.id);
      if (!elements) this.#seenPerRule.set(rule.id, (elements = new WeakSet()));
      if (elements.has(hit.element)) continue;
      elements.add(hit.element);
      fresh?.push(hit);
      this.#seen.add(hit.element);
      const existing = this.#records.get(rule.id);
      const record: Detection = existing
        ? { ...existing, count: existing.count + 1, lastSeen: now }
        : {
            ruleId: rule.id,
            platform: rule.platform,
            feature: rule.feature,
            category: hit.rule.category,
            regulationIds: [...rule.regulationIds],
            count: 1,
            evidence: hit.evidence,
            firstSeen: now,
            lastSeen: now,
          };
      // The first element of a rule that shows a product names it (read once, not per hit).
      if (!record.product && rule.product && !this.#productTried.has(rule.id)) {
        this.#productTried.add(rule.id);
        const product = productOf(hit.rule, hit.element);
        if (product) record.product = product;
      }
      this.#records.set(rule.id, record);
      changed.set(rule.id, record);
    }
    return [...changed.values()];
  }

  /** True when some rule has already counted this element. */
  has(element: Element): boolean {
    return this.#seen.has(element);
  }

  list(): Detection[] {
    return [...this.#records.values()];
  }

  get size(): number {
    return this.#records.size;
  }
}

/** Detections of one scan, as a fresh tracker would report them (used by tests and the report). */
export function summarize(hits: readonly Hit[], now = 0): Detection[] {
  const tracker = new DetectionTracker();
  tracker.add(hits, now);
  return tracker.list();
}
