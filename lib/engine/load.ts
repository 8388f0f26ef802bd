/**
 * The run-time half of compiling rules: precompiled data (precompile.ts) to a ready engine. This
 * is all a page does with its rules: it makes RegExp objects from the patterns, joins identical
 * signals of several data sets (the bundled rules and each user pack) into one object, and asks
 * the DOM whether it can parse each selector. No schema and no validation runs here.
 *
 *   EngineData[] ──new RuleEngine()──▶ RuleEngine ──forPage(url)──▶ PageMatcher ──scan(root)──▶ Hit[]
 */
import type { PlatformId, Redirector } from '../../rules/schema';
import { platformForUrl } from '../hosts';
import { PageMatcher } from './page-matcher';
import { ENGINE_DATA_FORMAT, type CompileProblem, type EngineData } from './precompile';
import { type CompiledRule, type CompiledSignal, loadSignal, type SignalData } from './signals';

export interface LoadOptions {
  /**
   * Checks a CSS selector; throws if the browser cannot parse it. This stays at run time: only
   * the browser that runs the rules can say which selectors it accepts (a build has no CSS
   * parser, and browsers differ), and a check costs microseconds per selector.
   */
  checkSelector?: (selector: string) => void;
}

/**
 * Whether `value` has the shape of EngineData of this version: a cheap look at the top-level
 * fields, for data read back from storage. It trusts the contents, which the import checked.
 */
export function isEngineData(value: unknown): value is EngineData {
  const v = value as Partial<EngineData> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === ENGINE_DATA_FORMAT &&
    Array.isArray(v.packs) &&
    Array.isArray(v.platformHosts) &&
    Array.isArray(v.redirectors) &&
    Array.isArray(v.signals) &&
    Array.isArray(v.rules) &&
    Array.isArray(v.problems)
  );
}

export class RuleEngine {
  readonly rules: CompiledRule[] = [];
  readonly problems: CompileProblem[] = [];
  readonly platformHosts: { id: PlatformId; hosts: string[] }[];
  readonly redirectors: Redirector[];
  readonly packs: { name: string; version: string }[];

  constructor(data: readonly EngineData[], options: LoadOptions = {}) {
    const check = options.checkSelector ?? (() => {});
    // One object per distinct signal across the data sets (each set lists its own once already).
    const interned = new Map<string, CompiledSignal>();
    const intern = (raw: SignalData): CompiledSignal => {
      const key = JSON.stringify(raw);
      let s = interned.get(key);
      if (!s) interned.set(key, (s = loadSignal(raw)));
      return s;
    };
    this.platformHosts = data.flatMap((d) => d.platformHosts);
    this.redirectors = data.flatMap((d) => d.redirectors);
    this.packs = data.flatMap((d) => d.packs);
    const excludedBy = this.#exclusionsByRule(data, check);
    for (const set of data) {
      this.problems.push(...set.problems);
      const compiled: (CompiledSignal | undefined)[] = [];
      const signal = (index: number): CompiledSignal => {
        let s = compiled[index];
        if (!s) compiled[index] = s = intern(set.signals[index]);
        return s;
      };
      for (const r of set.rules) {
        try {
          check(r.rule.selector);
          // PageMatcher queries the list's parts one by one: each must parse on its own too.
          for (const part of r.parts) check(part.selector);
          const signals = r.signals.map(signal);
          const exclude = r.exclude.map(signal);
          for (const s of [...signals, ...exclude]) if (s.kind === 'has') check(s.selector!);
          const excluded = excludedBy.get(r.rule.id);
          this.rules.push({
            ...r,
            signals,
            exclude,
            // As a `page` signal: one RegExp per distinct pattern (a platform's rules mostly share
            // theirs), compiled once on the first URL instead of once per rule.
            page: r.page ? intern({ kind: 'page', cost: 0, ...r.page }).test : null,
            ...(excluded && { excludedBy: excluded.join(',') }),
          });
        } catch (error) {
          this.problems.push(problem(r.rule.id, error));
        }
      }
    }
  }

  /**
   * Every data set's exclusions by the rule they apply to (an exclusion may name a rule of another
   * pack). One the DOM cannot parse is a problem and left out, so it cannot break its rule.
   */
  #exclusionsByRule(data: readonly EngineData[], check: (selector: string) => void): Map<string, string[]> {
    const byRule = new Map<string, string[]>();
    for (const { ruleId, selector } of data.flatMap((d) => d.exclusions ?? [])) {
      try {
        check(selector);
      } catch (error) {
        this.problems.push(problem(ruleId, error, 'exclusion: '));
        continue;
      }
      const list = byRule.get(ruleId) ?? [];
      if (!list.includes(selector)) list.push(selector);
      byRule.set(ruleId, list);
    }
    return byRule;
  }

  /** Which platform a page belongs to, from the packs' host lists. */
  platformForUrl(url: string): PlatformId | null {
    return platformForUrl(this.platformHosts, url);
  }

  /**
   * The matcher for one page: the rules of its platform whose `page` pattern fits the URL, less
   * those that `page` signals rule out on this URL (an exclusion that holds, or too few signals
   * left to reach `require`): they could not match any element here.
   */
  forPage(url: string): PageMatcher | null {
    const platform = this.platformForUrl(url);
    if (!platform) return null;
    const pageHeld = new Map<CompiledSignal, boolean>();
    const held = (s: CompiledSignal) => {
      let v = pageHeld.get(s);
      if (v === undefined) pageHeld.set(s, (v = s.test(url) !== null));
      return v;
    };
    const rules = this.rules.filter((r) => {
      if (r.rule.platform !== platform || (r.page && !r.page(url))) return false;
      if (r.exclude.some((s) => s.kind === 'page' && held(s))) return false;
      const possible = r.signals.filter((s) => s.kind !== 'page' || held(s)).length;
      return possible >= r.needed;
    });
    return new PageMatcher(platform, url, rules, this.redirectors, pageHeld);
  }
}

function problem(ruleId: string, error: unknown, about = ''): CompileProblem {
  return { ruleId, message: about + (error instanceof Error ? error.message : String(error)) };
}
