/**
 * The rule engine: compiles validated rule packs once, then matches DOM subtrees against them.
 *
 *   packs ──compileRules()──▶ RuleEngine ──forPage(url)──▶ PageMatcher ──scan(root)──▶ Hit[]
 *
 * Pure and synchronous: no extension APIs, no timers, no global state. The detection loop calls
 * `scan` on small subtrees in time slices; tests call it on fixture documents.
 *
 * Cost model: one `querySelectorAll` per scanned root with the union of the page's candidate
 * selectors, then `matches` per rule only on those candidates, then signals in a cheap-first
 * order (attributes and selectors before links, links before text).
 */
import {
  type Category,
  type FeatureKind,
  type Pattern,
  type PlatformId,
  type Redirector,
  type Rule,
  type RulePack,
  type Signal,
  categoryOf,
  MAX_EVIDENCE_LENGTH,
} from '../../rules/schema';
import { excerpt, excerptAround, labelOf } from './text';

/** Most links inside one candidate that are read for `link` signals. */
export const MAX_LINKS_PER_CANDIDATE = 20;

type Test = (value: string) => RegExpExecArray | null;

interface CompiledSignal {
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
}

export interface Hit {
  rule: CompiledRule;
  element: Element;
  evidence: string;
}

export interface CompileProblem {
  ruleId: string;
  message: string;
}

export interface CompileOptions {
  /**
   * Turns a pattern into a test. Bundled packs use native RegExp; imported packs can pass a
   * linear-time engine so a hostile pattern cannot backtrack.
   */
  compilePattern?: (pattern: Pattern) => Test;
  /** Checks a CSS selector; throws if the browser cannot parse it. */
  checkSelector?: (selector: string) => void;
}

export function nativePattern({ pattern, flags }: Pattern): Test {
  const re = new RegExp(pattern, flags ?? '');
  return (value) => re.exec(value);
}

const SIGNAL_COST: Record<Signal['kind'], number> = { page: 0, attr: 1, has: 2, link: 3, text: 4 };

function compileSignal(signal: Signal, compilePattern: (p: Pattern) => Test): CompiledSignal {
  const cost = SIGNAL_COST[signal.kind];
  if (signal.kind === 'has') {
    return { kind: 'has', cost, selector: signal.selector, test: () => null };
  }
  const test = compilePattern(signal);
  return signal.kind === 'attr' ? { kind: 'attr', cost, name: signal.name, test } : { kind: signal.kind, cost, test };
}

function hostMatches(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith('.' + suffix);
}

/** The URL a redirector link really points at, or null when `href` is not a redirector link. */
export function unwrapRedirect(href: string, redirectors: readonly Redirector[]): string | null {
  if (!href.startsWith('http')) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  for (const r of redirectors) {
    if (!hostMatches(url.hostname, r.host)) continue;
    if (r.path && !url.pathname.startsWith(r.path)) continue;
    const target = url.searchParams.get(r.param);
    if (target) return target;
  }
  return null;
}

export class RuleEngine {
  readonly rules: CompiledRule[];
  readonly problems: CompileProblem[];
  readonly platformHosts: { id: PlatformId; hosts: string[] }[];
  readonly redirectors: Redirector[];
  readonly packs: { name: string; version: string }[];

  constructor(packs: readonly RulePack[], options: CompileOptions = {}) {
    const compilePattern = options.compilePattern ?? nativePattern;
    this.rules = [];
    this.problems = [];
    this.platformHosts = packs.flatMap((p) => p.platforms);
    this.redirectors = packs.flatMap((p) => p.redirectors);
    this.packs = packs.map((p) => ({ name: p.name, version: p.version }));
    for (const pack of packs) {
      for (const rule of pack.rules) {
        try {
          options.checkSelector?.(rule.selector);
          for (const s of [...rule.signals, ...rule.exclude]) if (s.kind === 'has') options.checkSelector?.(s.selector);
          const signals = rule.signals.map((s) => compileSignal(s, compilePattern)).sort((a, b) => a.cost - b.cost);
          const needed =
            rule.require === 'all' ? signals.length : rule.require === 'any' ? Math.min(1, signals.length) : rule.require;
          if (needed > signals.length) throw new Error(`require ${needed} but the rule has ${signals.length} signals`);
          this.rules.push({
            rule,
            category: categoryOf(rule.feature),
            signals,
            exclude: rule.exclude.map((s) => compileSignal(s, compilePattern)).sort((a, b) => a.cost - b.cost),
            needed,
            page: rule.page ? compilePattern(rule.page) : null,
          });
        } catch (error) {
          this.problems.push({ ruleId: rule.id, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
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

  /** The matcher for one page: the rules of its platform whose `page` pattern fits the URL. */
  forPage(url: string): PageMatcher | null {
    const platform = this.platformForUrl(url);
    if (!platform) return null;
    const rules = this.rules.filter((r) => r.rule.platform === platform && (!r.page || r.page(url)));
    return new PageMatcher(platform, url, rules, this.redirectors);
  }
}

export class PageMatcher {
  /** Union of the candidate selectors: one query finds every candidate of every rule. */
  readonly selector: string;

  constructor(
    readonly platform: PlatformId,
    readonly url: string,
    readonly rules: readonly CompiledRule[],
    private readonly redirectors: readonly Redirector[],
  ) {
    this.selector = [...new Set(rules.map((r) => r.rule.selector))].join(',');
  }

  /**
   * Every rule hit inside `root` (and on `root` itself when it is an element). An element that
   * lies inside another hit of the same rule is not counted again, so a wrapper and its inner
   * label make one detection, not two.
   */
  scan(root: ParentNode): Hit[] {
    if (this.rules.length === 0) return [];
    const candidates: Element[] = [];
    if (isElement(root) && root.matches(this.selector)) candidates.push(root);
    for (const el of root.querySelectorAll(this.selector)) candidates.push(el);
    if (candidates.length === 0) return [];
    const hits: Hit[] = [];
    const lastHit = new Map<CompiledRule, Element>();
    for (const el of candidates) {
      for (const rule of this.rules) {
        if (!el.matches(rule.rule.selector)) continue;
        const previous = lastHit.get(rule);
        if (previous && previous.contains(el)) continue;
        const evidence = this.evaluate(rule, el);
        if (evidence === null) continue;
        lastHit.set(rule, el);
        hits.push({ rule, element: el, evidence });
      }
    }
    return hits;
  }

  /** The evidence excerpt when `el` satisfies `rule`, else null. */
  evaluate(rule: CompiledRule, el: Element): string | null {
    const reader = new CandidateReader(el, this.url, this.redirectors);
    for (const signal of rule.exclude) if (reader.holds(signal)) return null;
    let held = 0;
    let remaining = rule.signals.length;
    for (const signal of rule.signals) {
      if (held >= rule.needed) break;
      if (held + remaining < rule.needed) return null;
      remaining--;
      if (reader.holds(signal)) held++;
    }
    if (held < rule.needed) return null;
    return reader.evidence(rule.rule.evidence);
  }
}

/**
 * An href resolved against the page URL, the way the browser resolves it, but the same in every
 * DOM (test DOMs resolve against their own origin). Absolute links skip the URL parser.
 */
export function resolveHref(raw: string | null, pageUrl: string): string {
  if (!raw) return '';
  const href = raw.trim();
  if (/^https?:\/\//i.test(href)) return href;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return href;
  }
}

function isElement(node: ParentNode): node is Element {
  return (node as Node).nodeType === 1;
}

/** Reads one candidate lazily: the label and links are computed once, and only if a signal needs them. */
class CandidateReader {
  private label: string | undefined;
  private links: string[] | undefined;
  private textMatch: { index: number; length: number } | null = null;
  private linkMatch: string | null = null;

  constructor(
    private readonly el: Element,
    private readonly url: string,
    private readonly redirectors: readonly Redirector[],
  ) {}

  holds(signal: CompiledSignal): boolean {
    switch (signal.kind) {
      case 'page':
        return signal.test(this.url) !== null;
      case 'attr': {
        const value = this.el.getAttribute(signal.name!);
        return value !== null && signal.test(value) !== null;
      }
      case 'has':
        return this.el.matches(signal.selector!) || this.el.querySelector(signal.selector!) !== null;
      case 'link':
        for (const link of this.getLinks()) {
          if (signal.test(link)) {
            this.linkMatch ??= link;
            return true;
          }
        }
        return false;
      case 'text': {
        const label = this.getLabel();
        const m = signal.test(label);
        if (m && !this.textMatch) this.textMatch = { index: m.index, length: m[0].length };
        return m !== null;
      }
    }
  }

  evidence(mode: 'label' | 'link'): string {
    if (mode === 'link') {
      const link = this.linkMatch ?? this.getLinks()[0];
      if (link) return excerpt(link, MAX_EVIDENCE_LENGTH);
    }
    const label = this.getLabel();
    if (label.length > MAX_EVIDENCE_LENGTH && this.textMatch) {
      return excerptAround(label, this.textMatch.index, this.textMatch.length, MAX_EVIDENCE_LENGTH);
    }
    if (label) return excerpt(label, MAX_EVIDENCE_LENGTH);
    return excerpt(this.linkMatch ?? this.getLinks()[0] ?? this.el.tagName.toLowerCase(), MAX_EVIDENCE_LENGTH);
  }

  private getLabel(): string {
    return (this.label ??= labelOf(this.el));
  }

  /** The candidate's own link, the link around it, and links inside it, each also unwrapped. */
  private getLinks(): string[] {
    if (this.links) return this.links;
    const anchors: Element[] = [];
    const around = this.el.closest('a[href]');
    if (around) anchors.push(around);
    for (const a of this.el.querySelectorAll('a[href]')) {
      if (anchors.length >= MAX_LINKS_PER_CANDIDATE) break;
      anchors.push(a);
    }
    const links: string[] = [];
    for (const a of anchors) {
      const href = resolveHref(a.getAttribute('href'), this.url);
      if (!href) continue;
      links.push(href);
      const target = unwrapRedirect(href, this.redirectors);
      if (target) links.push(target);
    }
    return (this.links = links);
  }
}

export type { FeatureKind, PlatformId };
