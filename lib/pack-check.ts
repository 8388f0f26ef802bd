/**
 * Checking a rule pack before it is used: every pack a user imports (the background installs it
 * only if this passes: entrypoints/background/pack-install.ts), and every bundled pack
 * (`npm run rules:check`). Kept out of page scripts: it pulls in the RE2 port and a
 * regular-expression analyser (lib/pattern-safety.ts).
 *
 *   raw (object or JSON text) ─▶ size limits ─▶ RulePack schema ─▶ per-rule limits, ids, hosts,
 *   regulation ids ─▶ every pattern: RE2 syntax and nesting (patternProblems), then the
 *   backtracking analysis (backtrackingProblems)
 *
 * Why a second pattern check. The content script runs imported patterns on the browser's own
 * backtracking RegExp (re2js is too big for page scripts), so a pattern that can backtrack
 * catastrophically must never get past this file. `patternProblems` rejects what RE2 cannot run
 * (backreferences, lookaround) and nesting it can see in the source text. `backtrackingProblems`
 * works on the parsed pattern:
 * - scslre (the analyser behind eslint-plugin-regexp's super-linear-backtracking rules) finds
 *   repetitions that can hand characters to one another: nested ones (`(a+)+`, also behind extra
 *   groups: `((a+))+`) and neighbouring ones (`\d*\d*x`, `a.*b.*c`). Exponential or polynomial,
 *   both are refused: a polynomial blow-up on a long page text still freezes the tab.
 * - scslre models a pattern as an automaton, where `(a|a)*` and `(\w|\d)+` are plain loops. For
 *   backtracking they are not: each repetition can take either branch. So alternatives under an
 *   unbounded repetition must not be able to start with the same character or match nothing
 *   (`(a|ab)*`, `(\w|\d)+$`, `(?:a|a?)+`), checked with regexp-ast-analysis.
 * - A pattern that costs quadratic time because it is searched from every position of its input
 *   (`\s*$`, scslre's "move" report) is refused too: the engine does not shorten every input (an
 *   href, an attribute value, the page URL, the JSON of a data <script>), and a page chooses them.
 *   Anchoring with `^` fixes it. No bundled pattern has this problem.
 * All of this is deterministic (no time limits), so a pack that imports on one machine imports on
 * every machine.
 *
 * All or nothing: a pack with any problem is refused whole and nothing installed changes.
 */
import {
  RulePack,
  validate,
  type PlatformId,
  type Rule,
  type RulePack as RulePackType,
  type Signal,
} from '../rules/schema';
import { hostMatches } from './hosts';
import { backtrackingProblems, patternProblems } from './pattern-safety';
import { selectorProblems } from './selector-budget';

export { backtrackingProblems };

/** Longest pack accepted, as JSON text. The bundled packs are a few tens of kB each. */
export const MAX_PACK_CHARS = 1_000_000;
/** Signals (plus exclusions) one rule may carry. Bundled rules use at most a handful. */
export const MAX_SIGNALS_PER_RULE = 32;
/** Patterns one pack may carry, counted before any is analysed, so the work stays bounded. */
export const MAX_PATTERNS_PER_PACK = 4000;
/**
 * Rules of one pack that may share one candidate selector. Every element matching it is evaluated
 * against each of them; bundled packs share a selector among at most six rules.
 */
export const MAX_RULES_PER_SELECTOR = 50;
/** Problems listed in an answer; more are summarised in one last line. */
export const MAX_REPORTED_PROBLEMS = 50;
/** How much of a pattern a message quotes. */
const QUOTED_PATTERN_LENGTH = 120;

export type CheckResult = { ok: true; pack: RulePackType } | { ok: false; errors: string[] };

export interface CheckContext {
  /** Names the input in every message ("pack", a file name). */
  file?: string;
  /** Rule ids that are taken, with where they come from ("the bundled pack …"). */
  takenRuleIds?: ReadonlyMap<string, string>;
  /** Regulation ids a rule may cite (rules/regulations.json). Unchecked when absent. */
  regulationIds?: ReadonlySet<string>;
  /** Hosts the extension runs on, per platform. A pack may not claim other hosts. Unchecked when absent. */
  platformHosts?: readonly { id: PlatformId; hosts: readonly string[] }[];
}

function quote(pattern: string): string {
  return pattern.length > QUOTED_PATTERN_LENGTH ? `${pattern.slice(0, QUOTED_PATTERN_LENGTH)}…` : pattern;
}

const LINE_BREAK = /[\r\n\u2028\u2029]/g;
const escapeBreak = (c: string) => ({ '\r': '\\r', '\n': '\\n' })[c] ?? `\\u${c.charCodeAt(0).toString(16)}`;

/**
 * One line per problem (a pattern may contain line breaks; they are shown escaped), at most
 * MAX_REPORTED_PROBLEMS of them, then one that says how many more there were.
 */
function capped(errors: string[]): string[] {
  const lines = errors.map((e) => e.replace(LINE_BREAK, escapeBreak));
  if (lines.length <= MAX_REPORTED_PROBLEMS) return lines;
  return [...lines.slice(0, MAX_REPORTED_PROBLEMS), `… and ${lines.length - MAX_REPORTED_PROBLEMS} more problems`];
}

/**
 * The pack as a value, from an object or from JSON text (a pasted or picked file), with the size
 * limit applied before anything else looks at it.
 */
export function readPackInput(
  raw: unknown,
  file = 'pack',
): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  if (typeof raw === 'string') {
    if (raw.length > MAX_PACK_CHARS)
      return { ok: false, errors: [`${file}: larger than ${MAX_PACK_CHARS} characters`] };
    if (raw.trim() === '') return { ok: false, errors: [`${file}: empty`] };
    try {
      return { ok: true, value: JSON.parse(raw) };
    } catch (error) {
      return { ok: false, errors: [`${file}: not valid JSON: ${(error as Error).message}`] };
    }
  }
  let size: number;
  try {
    size = JSON.stringify(raw)?.length ?? 0;
  } catch {
    // Cycles, BigInt, or nesting deep enough to exhaust the stack: not something JSON can carry.
    return { ok: false, errors: [`${file}: cannot be read as JSON`] };
  }
  if (size > MAX_PACK_CHARS)
    return { ok: false, errors: [`${file}: larger than ${MAX_PACK_CHARS} characters as JSON`] };
  return { ok: true, value: raw };
}

type PatternSite = { path: string; pattern: string; flags?: string };

function patternSites(rule: Rule, i: number): PatternSite[] {
  const sites: PatternSite[] = [];
  const site = (s: Signal, path: string) => {
    if ('pattern' in s) sites.push({ path, pattern: s.pattern, flags: s.flags });
  };
  rule.signals.forEach((s, j) => site(s, `$.rules[${i}].signals[${j}]`));
  rule.exclude.forEach((s, j) => site(s, `$.rules[${i}].exclude[${j}]`));
  if (rule.page) sites.push({ path: `$.rules[${i}].page`, pattern: rule.page.pattern, flags: rule.page.flags });
  return sites;
}

/**
 * Validation plus everything that makes a pack safe to run: the schema, size limits, rule ids that
 * collide with installed ones, unknown regulation ids, hosts outside the extension's reach, and
 * every pattern's safety. One readable line per problem, naming the rule and the pattern.
 */
export function checkPack(raw: unknown, context: CheckContext | string = {}): CheckResult {
  const ctx: CheckContext = typeof context === 'string' ? { file: context } : context;
  const file = ctx.file ?? 'pack';
  const input = readPackInput(raw, file);
  if (!input.ok) return input;
  const result = validate(RulePack, input.value, file);
  if (!result.ok) return { ok: false, errors: capped(result.errors) };
  const pack = result.value;
  const errors: string[] = [];
  const where = (rule: Rule) => `${file}: rule "${rule.id}"`;

  if (ctx.platformHosts) {
    pack.platforms.forEach((p, i) => {
      const allowed = ctx.platformHosts!.filter((q) => q.id === p.id).flatMap((q) => q.hosts);
      p.hosts.forEach((host, j) => {
        if (!allowed.some((a) => hostMatches(host, a))) {
          errors.push(`${file}: $.platforms[${i}].hosts[${j}]: "${host}" is not a ${p.id} host this extension runs on`);
        }
      });
    });
  }

  let patternCount = 0;
  const selectorUse = new Map<string, number>();
  pack.rules.forEach((rule, i) => {
    const selectors: [string, string][] = [[`$.rules[${i}].selector`, rule.selector]];
    for (const [list, key] of [
      [rule.signals, 'signals'],
      [rule.exclude, 'exclude'],
    ] as const) {
      list.forEach((s, j) => {
        if (s.kind === 'has') selectors.push([`$.rules[${i}].${key}[${j}].selector`, s.selector]);
      });
    }
    for (const [path, selector] of selectors) {
      for (const problem of selectorProblems(selector))
        errors.push(
          `${where(rule)} ${path}: selector "${quote(selector)}" is too slow to run on every page: ${problem}`,
        );
    }
    const uses = (selectorUse.get(rule.selector) ?? 0) + 1;
    selectorUse.set(rule.selector, uses);
    if (uses === MAX_RULES_PER_SELECTOR + 1) {
      errors.push(
        `${where(rule)} $.rules[${i}].selector: more than ${MAX_RULES_PER_SELECTOR} rules share the selector "${quote(rule.selector)}"`,
      );
    }
    const signals = rule.signals.length + rule.exclude.length;
    if (signals > MAX_SIGNALS_PER_RULE) {
      errors.push(
        `${where(rule)} $.rules[${i}]: ${signals} signals and exclusions, at most ${MAX_SIGNALS_PER_RULE} allowed`,
      );
    }
    const taken = ctx.takenRuleIds?.get(rule.id);
    if (taken) errors.push(`${where(rule)} $.rules[${i}].id: already used by ${taken}; give the rule its own id`);
    if (ctx.regulationIds) {
      rule.regulationIds.forEach((id, j) => {
        if (!ctx.regulationIds!.has(id))
          errors.push(`${where(rule)} $.rules[${i}].regulationIds[${j}]: unknown regulation id "${id}"`);
      });
    }
    patternCount += patternSites(rule, i).length;
  });
  pack.exclusions.forEach((exclusion, i) => {
    for (const problem of selectorProblems(exclusion.selector))
      errors.push(
        `${file}: exclusion of "${exclusion.ruleId}" $.exclusions[${i}].selector: selector "${quote(exclusion.selector)}" is too slow to run on every page: ${problem}`,
      );
  });
  if (patternCount > MAX_PATTERNS_PER_PACK) {
    errors.push(`${file}: ${patternCount} patterns, at most ${MAX_PATTERNS_PER_PACK} allowed in one pack`);
    return { ok: false, errors: capped(errors) };
  }

  // Every pattern, so one round of fixes can address every problem (about a millisecond each).
  const verdicts = new Map<string, string[]>();
  pack.rules.forEach((rule, i) => {
    for (const site of patternSites(rule, i)) {
      const key = `${site.flags ?? ''}/${site.pattern}`;
      let problems = verdicts.get(key);
      if (!problems) {
        problems = patternProblems(site.pattern, site.flags);
        // The analysis assumes syntax RE2 accepts; what RE2 refused is reported already.
        if (problems.length === 0) problems = backtrackingProblems(site.pattern, site.flags);
        verdicts.set(key, problems);
      }
      for (const message of problems)
        errors.push(`${where(rule)} ${site.path}: pattern /${quote(site.pattern)}/: ${message}`);
    }
  });
  return errors.length ? { ok: false, errors: capped(errors) } : { ok: true, pack };
}
