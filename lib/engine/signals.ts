/**
 * Compiled signals and rules. A rule's signals are sorted cheap-first (attributes and selectors
 * before links, links before text), so a rule stops as soon as its outcome is known.
 */
import type { Category, Pattern, Rule, Signal } from '../../rules/schema';

export type Test = (value: string) => RegExpExecArray | null;

export interface CompiledSignal {
  kind: Signal['kind'];
  /** Lower is cheaper; signals are evaluated in this order so `any` can stop early. */
  cost: number;
  test: Test;
  name?: string;
  selector?: string;
}

export interface CompiledRule {
  rule: Rule;
  category: Category;
  signals: CompiledSignal[];
  exclude: CompiledSignal[];
  /** How many signals must hold. */
  needed: number;
  page: Test | null;
  /**
   * The selectors of the exclusions for this rule ("not a shopping feature", any pack), joined
   * into one list: an element matching it is never a hit of the rule. Absent when there are none.
   */
  excludedBy?: string;
}

export function nativePattern({ pattern, flags }: Pattern): Test {
  const re = new RegExp(pattern, flags ?? '');
  return (value) => re.exec(value);
}

const SIGNAL_COST: Record<Signal['kind'], number> = { page: 0, attr: 1, has: 2, link: 3, text: 4 };

/**
 * Patterns run on the browser's own RegExp. Imported packs cannot make that dangerous: the import
 * check refuses every pattern that could backtrack badly before a pack is stored.
 */
export function compileSignal(signal: Signal): CompiledSignal {
  const cost = SIGNAL_COST[signal.kind];
  if (signal.kind === 'has') {
    return { kind: 'has', cost, selector: signal.selector, test: () => null };
  }
  const test = nativePattern(signal);
  return signal.kind === 'attr' ? { kind: 'attr', cost, name: signal.name, test } : { kind: signal.kind, cost, test };
}

/** What one rule's evaluation matched first: the text span and the link used for evidence. */
export interface MatchState {
  text: { index: number; length: number } | null;
  link: string | null;
  /** How much of `link` the link pattern matched: its structural part, kept in the link's shape. */
  linkMatched: number;
}

/** A signal's outcome on one element, with what it matched (for evidence). */
export type SignalResult =
  { held: false } | { held: true; text?: { index: number; length: number }; link?: string; linkMatched?: number };
