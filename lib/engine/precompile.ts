/**
 * The build-side half of compiling rules: validated packs to plain, JSON-able data. Everything
 * that does not need a browser is done here once (at build time for the bundled packs, at import
 * for a user pack), so a page only turns the data into RegExp objects (load.ts):
 * - schema defaults are already filled in (the packs come validated);
 * - identical signals are listed once and rules point at them by index (rules of a platform share
 *   their exclusions; a candidate's memo then answers each of them once, see Candidate);
 * - each rule's signals are in cost order, cheap first, and `needed` says how many must hold;
 * - selector lists are split into their parts, with each part's `A *` form and bare subject (the
 *   rule's selector is kept as its parts joined, the same list written one way);
 * - the attributes each rule looks at are listed, and page patterns kept as sources.
 *
 *   RulePack[] ──precompilePacks()──▶ EngineData (JSON) ──new RuleEngine()──▶ RuleEngine (load.ts)
 */
import type { PlatformId, Redirector, RulePack, Signal } from '../../rules/schema';
import { categoryOf } from '../../rules/taxonomy';
import { bareSubject, insideOf, joinSelectorParts, splitSelectorList } from './selectors';
import type { Category, Pattern } from '../../rules/schema';
import type { RuleInfo, SelectorPart, SignalData } from './signals';

/**
 * Version of the data's shape. A change to EngineData raises it; data of another version is not
 * loaded (a stored user pack is then compiled again where the checker runs).
 */
export const ENGINE_DATA_FORMAT = 1;

export interface CompileProblem {
  ruleId: string;
  message: string;
}

export interface RuleData {
  rule: RuleInfo;
  category: Category;
  /** Indices into EngineData.signals, cheapest first. */
  signals: number[];
  exclude: number[];
  needed: number;
  page: Pattern | null;
  parts: SelectorPart[];
  attributes: string[];
}

export interface EngineData {
  format: typeof ENGINE_DATA_FORMAT;
  packs: { name: string; version: string }[];
  platformHosts: { id: PlatformId; hosts: string[] }[];
  redirectors: Redirector[];
  signals: SignalData[];
  rules: RuleData[];
  /**
   * "Not a shopping feature" marks (a pack's `exclusions`): a hit of `ruleId`, of any pack, on an
   * element matching `selector` is dropped. Absent in data stored before packs had them.
   */
  exclusions?: { ruleId: string; selector: string }[];
  /** Rules left out, and why. */
  problems: CompileProblem[];
}

const SIGNAL_COST: Record<Signal['kind'], number> = { page: 0, attr: 1, has: 2, link: 3, text: 4 };

/** `[name` in a selector: the attribute names it tests. */
const ATTRIBUTE_IN_SELECTOR = /\[\s*([A-Za-z_][\w-]*)/g;

function signalData(signal: Signal): SignalData {
  const cost = SIGNAL_COST[signal.kind];
  if (signal.kind === 'has') return { kind: 'has', cost, selector: signal.selector };
  const data: SignalData = { kind: signal.kind, cost, pattern: signal.pattern };
  if (signal.flags !== undefined) data.flags = signal.flags;
  if (signal.kind === 'attr') data.name = signal.name;
  return data;
}

/**
 * Attributes a rule looks at, in `attr` signals and in selectors, less `class` and `style`: pages
 * toggle those on every hover and animation, so watching them would cost work on every frame (a
 * class filled in later is found when the element or a neighbour is added or relabelled).
 */
function attributesOf(selector: string, signals: readonly Signal[]): string[] {
  const names = new Set<string>();
  const fromSelector = (s: string) => {
    for (const m of s.matchAll(ATTRIBUTE_IN_SELECTOR)) names.add(m[1].toLowerCase());
  };
  for (const s of signals) {
    if (s.kind === 'attr') names.add(s.name.toLowerCase());
    if (s.kind === 'has') fromSelector(s.selector);
  }
  fromSelector(selector);
  names.delete('class');
  names.delete('style');
  return [...names].sort();
}

/** `selector`: the rule's selector list written as its parts joined (see packed.ts). */
function ruleInfo(rule: RulePack['rules'][number], selector: string): RuleInfo {
  const info: RuleInfo = {
    id: rule.id,
    platform: rule.platform,
    feature: rule.feature,
    regulationIds: rule.regulationIds,
    selector,
    evidence: rule.evidence,
  };
  if (rule.evidenceText !== undefined) info.evidenceText = rule.evidenceText;
  if (rule.heading !== undefined) info.heading = rule.heading;
  if (rule.product !== undefined) info.product = rule.product;
  return info;
}

/** Validated packs (rules/schema.ts `RulePack`, defaults filled in) as engine data. */
export function precompilePacks(packs: readonly RulePack[]): EngineData {
  const signals: SignalData[] = [];
  const interned = new Map<string, number>();
  const intern = (signal: Signal): number => {
    const data = signalData(signal);
    const key = JSON.stringify(data);
    let index = interned.get(key);
    if (index === undefined) interned.set(key, (index = signals.push(data) - 1));
    return index;
  };
  const byCost = (indices: number[]) => indices.sort((a, b) => signals[a].cost - signals[b].cost);
  const rules: RuleData[] = [];
  const problems: CompileProblem[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      const needed =
        rule.require === 'all'
          ? rule.signals.length
          : rule.require === 'any'
            ? Math.min(1, rule.signals.length)
            : rule.require;
      if (needed > rule.signals.length) {
        problems.push({
          ruleId: rule.id,
          message: `require ${needed} but the rule has ${rule.signals.length} signals`,
        });
        continue;
      }
      const parts = splitSelectorList(rule.selector);
      rules.push({
        rule: ruleInfo(rule, joinSelectorParts(parts)),
        category: categoryOf(rule.feature),
        // A stable sort: signals of equal cost keep the rule's order.
        signals: byCost(rule.signals.map(intern)),
        exclude: byCost(rule.exclude.map(intern)),
        needed,
        page: rule.page
          ? { pattern: rule.page.pattern, ...(rule.page.flags !== undefined && { flags: rule.page.flags }) }
          : null,
        parts: parts.map((selector) => ({
          selector,
          inside: insideOf(selector),
          subject: bareSubject(selector),
        })),
        attributes: attributesOf(rule.selector, [...rule.signals, ...rule.exclude]),
      });
    }
  }
  return {
    format: ENGINE_DATA_FORMAT,
    packs: packs.map((p) => ({ name: p.name, version: p.version })),
    platformHosts: packs.flatMap((p) => p.platforms),
    redirectors: packs.flatMap((p) => p.redirectors),
    signals,
    rules,
    exclusions: packs.flatMap((p) => (p.exclusions ?? []).map(({ ruleId, selector }) => ({ ruleId, selector }))),
    problems,
  };
}
