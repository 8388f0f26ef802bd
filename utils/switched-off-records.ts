/**
 * The stored list of rules the time guard switched off (utils/switched-off-rules.ts writes it):
 * its key, its records' shape and how to leave them out. Free of WXT's storage helper, so that a
 * content script can read it (utils/content-storage.ts) without that helper's weight.
 */
import type { PlatformId } from '../rules/schema';

/** The storage.local key (WXT's `local:switchedOffRules`). */
export const SWITCHED_OFF_RULES_KEY = 'switchedOffRules';

export interface SwitchedOffRule {
  ruleId: string;
  /** The name of the user pack that has the rule. */
  pack: string;
  platform: PlatformId;
  /** The host of the page it was too slow on. */
  host: string;
  /** Matching time spent within `windowMs`, rounded to a millisecond, and the budget it exceeded. */
  spentMs: number;
  budgetMs: number;
  windowMs: number;
  /** When it was switched off (ms since the epoch). */
  at: number;
}

function isRecord(value: unknown): value is SwitchedOffRule {
  const v = value as SwitchedOffRule | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.ruleId === 'string' &&
    typeof v.pack === 'string' &&
    typeof v.platform === 'string' &&
    typeof v.host === 'string' &&
    typeof v.spentMs === 'number' &&
    typeof v.budgetMs === 'number' &&
    typeof v.windowMs === 'number' &&
    typeof v.at === 'number'
  );
}

/** Records kept at most: more rules than an installed pack may hold is not a real state. */
export const MAX_RECORDS = 2000;

export function clean(value: unknown): SwitchedOffRule[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The compiled user packs without the switched-off rules (what the content script runs). */
export function withoutSwitchedOff<P extends { rules: { rule: { id: string } }[] }>(
  packs: readonly P[],
  off: readonly Pick<SwitchedOffRule, 'ruleId'>[],
): P[] {
  if (off.length === 0) return packs.slice();
  const ids = new Set(off.map((r) => r.ruleId));
  return packs.map((p) => ({ ...p, rules: p.rules.filter((r) => !ids.has(r.rule.id)) }));
}
