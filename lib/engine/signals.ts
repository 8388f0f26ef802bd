/**
 * Compiled signals and rules. A rule's signals are sorted cheap-first (attributes and selectors
 * before links, links before text), so a rule stops as soon as its outcome is known.
 */
import type { Category, Pattern, Rule, Signal } from '../../rules/schema';

/**
 * What the engine keeps of a rule besides its compiled signals: what it reports and where it
 * looks. Sources, descriptions and the raw signals stay behind in the pack.
 */
export type RuleInfo = Pick<
  Rule,
  'id' | 'platform' | 'feature' | 'regulationIds' | 'selector' | 'evidence' | 'evidenceText' | 'heading' | 'product'
>;

/** One complex selector of a rule's selector list, with what PageMatcher needs to know of it. */
export interface SelectorPart {
  selector: string;
  /** `A` when the part is `A *` (see insideOf), else null. */
  inside: string | null;
  /** What an element without attributes must be to match it (see bareSubject). */
  subject: string | false | null;
}

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
  rule: RuleInfo;
  category: Category;
  signals: CompiledSignal[];
  exclude: CompiledSignal[];
  /** How many signals must hold. */
  needed: number;
  page: Test | null;
  /** The rule's selector list, split. */
  parts: SelectorPart[];
  /** Attributes (lower case) its selector and signals look at, less `class` and `style`. */
  attributes: string[];
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

/**
 * A signal as precompiled data (lib/engine/precompile.ts): its cost worked out, its pattern still
 * a string, because a RegExp cannot be stored or bundled as JSON.
 */
export interface SignalData {
  kind: Signal['kind'];
  cost: number;
  pattern?: string;
  flags?: string;
  name?: string;
  selector?: string;
}

/**
 * Patterns run on the browser's own RegExp. Imported packs cannot make that dangerous: the import
 * check refuses every pattern that could backtrack badly before a pack is stored.
 */
export function loadSignal(data: SignalData): CompiledSignal {
  const { kind, cost } = data;
  if (kind === 'has') return { kind, cost, selector: data.selector, test: () => null };
  const test = nativePattern({ pattern: data.pattern!, flags: data.flags });
  return kind === 'attr' ? { kind, cost, name: data.name, test } : { kind, cost, test };
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
