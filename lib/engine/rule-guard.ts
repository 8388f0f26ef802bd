/**
 * The run-time time guard for rules from imported packs. The import check (lib/selector-budget.ts,
 * lib/pattern-safety.ts) refuses the selectors and patterns known to be slow, but how long a
 * selector takes depends on the page: a rule that passed can still cost a page too much (a
 * `:has()` over a 50,000-item list). The guard adds up, per group of guarded rules that share a
 * selector, the time their queries and signal tests take, and trips the group when it spends more
 * than its budget within one window: the page matcher then stops running those rules on the page.
 *
 * Bundled rules are not guarded: they are measured at build time (`npm run bench`, the hostile
 * suite) and an update replaces them.
 *
 * Timing is per group and per call (a scan, a batch of walked elements, one climb), never per
 * element: the clock is read twice for each, so the guard costs the same on a page of ten
 * elements and on one of a million.
 */

/** Matching time a group of guarded rules may spend within one window. */
export const RULE_BUDGET_MS = 50;
/** The window the budget applies to: the group may use at most 5 % of the page's time. */
export const RULE_WINDOW_MS = 1000;
/**
 * Most one call is charged. The clock is wall time, so a call that a garbage collection or the
 * operating system interrupted measures the pause too; capped, a cheap rule would need several
 * such pauses in its own few microseconds within one second to trip, while a slow rule still
 * trips after three calls.
 */
export const MAX_CHARGE_MS = 20;

export interface GuardLimits {
  budgetMs: number;
  windowMs: number;
}

/** Why a group was switched off: what it spent, within what window and against what budget. */
export interface Trip {
  spentMs: number;
  budgetMs: number;
  windowMs: number;
}

/** The time one guarded group has spent in the current window. */
export class GroupClock {
  #windowStart = -Infinity;
  #spent = 0;
  tripped = false;

  /**
   * Add `ms` spent at `now`. Returns the trip when this makes the group exceed its budget
   * (once: a tripped group is never charged again), else null.
   */
  charge(ms: number, now: number, limits: GuardLimits): Trip | null {
    if (this.tripped) return null;
    if (now - this.#windowStart >= limits.windowMs) {
      this.#windowStart = now - ms;
      this.#spent = 0;
    }
    this.#spent += Math.min(ms, MAX_CHARGE_MS);
    if (this.#spent <= limits.budgetMs) return null;
    this.tripped = true;
    return { spentMs: this.#spent, budgetMs: limits.budgetMs, windowMs: limits.windowMs };
  }
}

/** What the page matcher needs to guard rules: which ones, a clock, and whom to tell. */
export interface RuleGuard {
  /** Ids of the rules to guard (those of user packs). */
  ruleIds: ReadonlySet<string>;
  /** Monotonic milliseconds (performance.now()). */
  now(): number;
  limits?: GuardLimits;
  /** Called once per tripped group, with the ids of its rules. */
  onTrip(ruleIds: string[], trip: Trip): void;
}
