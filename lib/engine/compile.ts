/**
 * Compiling validated rule packs, once: signals compiled (identical ones to one object), rules
 * checked against the DOM's selector parser, and the platform of a page found from the packs'
 * host lists.
 *
 *   packs ──new RuleEngine()──▶ RuleEngine ──forPage(url)──▶ PageMatcher ──scan(root)──▶ Hit[]
 */
import { type PlatformId, type Redirector, type RulePack, type Signal, categoryOf } from '../../rules/schema';
import { hostMatches } from '../hosts';
import { PageMatcher } from './page-matcher';
import { splitSelectorList } from './selectors';
import { type CompiledRule, type CompiledSignal, compileSignal, nativePattern } from './signals';

export interface CompileProblem {
  ruleId: string;
  message: string;
}

export interface CompileOptions {
  /** Checks a CSS selector; throws if the browser cannot parse it. */
  checkSelector?: (selector: string) => void;
}

export class RuleEngine {
  readonly rules: CompiledRule[];
  readonly problems: CompileProblem[];
  readonly platformHosts: { id: PlatformId; hosts: string[] }[];
  readonly redirectors: Redirector[];
  readonly packs: { name: string; version: string }[];

  constructor(packs: readonly RulePack[], options: CompileOptions = {}) {
    // Identical signals (rules of a platform share their exclusions) compile to one object, so a
    // candidate's memo answers each of them once (see Candidate).
    const interned = new Map<string, CompiledSignal>();
    const compile = (signal: Signal): CompiledSignal => {
      const key = JSON.stringify(signal);
      let compiled = interned.get(key);
      if (!compiled) interned.set(key, (compiled = compileSignal(signal)));
      return compiled;
    };
    this.rules = [];
    this.problems = [];
    this.platformHosts = packs.flatMap((p) => p.platforms);
    this.redirectors = packs.flatMap((p) => p.redirectors);
    this.packs = packs.map((p) => ({ name: p.name, version: p.version }));
    const excludedBy = this.exclusionsByRule(packs, options);
    for (const pack of packs) {
      for (const rule of pack.rules) {
        try {
          options.checkSelector?.(rule.selector);
          // PageMatcher queries the list's parts one by one: each must parse on its own too.
          for (const part of splitSelectorList(rule.selector)) options.checkSelector?.(part);
          for (const s of [...rule.signals, ...rule.exclude]) if (s.kind === 'has') options.checkSelector?.(s.selector);
          const signals = rule.signals.map(compile).sort((a, b) => a.cost - b.cost);
          const needed =
            rule.require === 'all'
              ? signals.length
              : rule.require === 'any'
                ? Math.min(1, signals.length)
                : rule.require;
          if (needed > signals.length) throw new Error(`require ${needed} but the rule has ${signals.length} signals`);
          this.rules.push({
            rule,
            category: categoryOf(rule.feature),
            signals,
            exclude: rule.exclude.map(compile).sort((a, b) => a.cost - b.cost),
            needed,
            page: rule.page ? nativePattern(rule.page) : null,
            ...(excludedBy.has(rule.id) ? { excludedBy: excludedBy.get(rule.id)!.join(',') } : {}),
          });
        } catch (error) {
          this.problems.push({ ruleId: rule.id, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  /**
   * Every pack's exclusions by the rule they apply to (an exclusion may name a rule of another
   * pack). One the DOM cannot parse is a problem and left out, so it cannot break its rule.
   */
  private exclusionsByRule(packs: readonly RulePack[], options: CompileOptions): Map<string, string[]> {
    const byRule = new Map<string, string[]>();
    for (const pack of packs) {
      for (const { ruleId, selector } of pack.exclusions ?? []) {
        try {
          options.checkSelector?.(selector);
        } catch (error) {
          this.problems.push({
            ruleId,
            message: `exclusion: ${error instanceof Error ? error.message : String(error)}`,
          });
          continue;
        }
        const list = byRule.get(ruleId) ?? [];
        if (!list.includes(selector)) list.push(selector);
        byRule.set(ruleId, list);
      }
    }
    return byRule;
  }

  /** Which platform a page belongs to, from the packs' host lists. */
  platformForUrl(url: string): PlatformId | null {
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return null;
    }
    for (const p of this.platformHosts) if (p.hosts.some((h) => hostMatches(host, h))) return p.id;
    return null;
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
