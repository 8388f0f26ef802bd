/**
 * The rule engine: compiles validated rule packs once, then matches DOM subtrees against them.
 *
 *   packs ──compileRules()──▶ RuleEngine ──forPage(url)──▶ PageMatcher ──scan(root)──▶ Hit[]
 *
 * Pure and synchronous: no extension APIs, no timers, no global state. The detection loop calls
 * `scan` on small subtrees in time slices; tests call it on fixture documents.
 *
 * Cost model (measured by `npm run bench`): rules are grouped by candidate selector once per page,
 * so a scanned root costs one `matches` and one `querySelectorAll` per distinct selector and no
 * per-rule `matches` on each candidate. What a candidate offers the signals (its label, its links)
 * is read at most once per scan and shared by every rule that looks at it. Signals run in a
 * cheap-first order (attributes and selectors before links, links before text), and a rule stops
 * as soon as its outcome is known.
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

/**
 * A `checkSelector` for a DOM: the selector must work both for `querySelector` and for `matches`
 * (DOM implementations differ on which one rejects what; a selector that fails in either would
 * break the union query of every rule on the page).
 */
export function domSelectorCheck(doc: Document): (selector: string) => void {
  // Some DOM implementations (happy-dom in the tests) parse a selector lazily, part by part, as
  // elements are tested: the probe has a few kinds of element so every part gets evaluated.
  const probe = doc.createElement('div');
  const inner = doc.createElement('p');
  const link = doc.createElement('a');
  link.setAttribute('href', '#');
  link.append(doc.createElement('span'));
  inner.append(link, doc.createElement('button'));
  probe.append(inner);
  return (selector) => {
    probe.matches(selector);
    probe.querySelectorAll(selector);
    for (const el of probe.querySelectorAll('*')) el.matches(selector);
  };
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
  // A host that is not in the string cannot be the URL's host: skip the URL parser for the many
  // links that go through no redirector (every post link in a feed).
  if (!redirectors.some((r) => href.includes(r.host))) return null;
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
    // Identical signals (rules of a platform share their exclusions) compile to one object, so a
    // candidate's memo answers each of them once (see Candidate).
    const interned = new Map<string, CompiledSignal>();
    const compile = (signal: Signal): CompiledSignal => {
      const key = JSON.stringify(signal);
      let compiled = interned.get(key);
      if (!compiled) interned.set(key, (compiled = compileSignal(signal, compilePattern)));
      return compiled;
    };
    this.rules = [];
    this.problems = [];
    this.platformHosts = packs.flatMap((p) => p.platforms);
    this.redirectors = packs.flatMap((p) => p.redirectors);
    this.packs = packs.map((p) => ({ name: p.name, version: p.version }));
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

/** Rules that share one candidate selector. */
interface SelectorGroup {
  selector: string;
  rules: CompiledRule[];
  /** The alternatives queried as they are (joined), or '' when there are none. */
  plain: string;
  /**
   * From alternatives of the form `A *` (any element inside an A): the A parts, joined, or ''.
   * A query for `A *` makes the browser walk every element's ancestors; finding the few A
   * elements and taking what lies below them costs a fraction of that (bench: TikTok rules with
   * six such alternatives spent as long in them as in the other fifty together).
   */
  inside: string;
}

/** `A` when `selector` is exactly `A *` with a compound `A` (no combinator of its own), else null. */
export function insideOf(selector: string): string | null {
  const m = /^(.*\S)\s+\*$/.exec(selector);
  if (!m) return null;
  const a = m[1];
  let depth = 0;
  let quote = '';
  for (let i = 0; i < a.length; i++) {
    const ch = a[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && /[\s>+~,]/.test(ch)) return null;
  }
  return depth === 0 && !quote ? a : null;
}

function byDocumentOrder(a: Element, b: Element): number {
  return a === b ? 0 : a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1;
}

export class PageMatcher {
  /** Union of the candidate selectors: one `matches`/`closest` tells whether an element is a candidate at all. */
  readonly selector: string;
  /** Rules grouped by candidate selector (most rules of a platform share a few selectors). */
  private readonly groups: SelectorGroup[];
  private readonly order: Map<CompiledRule, number>;

  constructor(
    readonly platform: PlatformId,
    readonly url: string,
    readonly rules: readonly CompiledRule[],
    private readonly redirectors: readonly Redirector[],
    /** Results of `page` signals on this URL (they are the same for every element). */
    private readonly pageHeld: Map<CompiledSignal, boolean> = new Map(),
  ) {
    const groups = new Map<string, SelectorGroup>();
    for (const rule of rules) {
      const selector = rule.rule.selector;
      let group = groups.get(selector);
      if (!group) {
        const plain: string[] = [];
        const inside: string[] = [];
        for (const part of splitSelectorList(selector)) {
          const a = insideOf(part);
          if (a) inside.push(a);
          else plain.push(part);
        }
        groups.set(selector, (group = { selector, rules: [], plain: plain.join(','), inside: inside.join(',') }));
      }
      group.rules.push(rule);
    }
    this.groups = [...groups.values()];
    // Rules repeat the same alternatives ("button", "a[href]", …): list each one once.
    this.selector = [...new Set(this.groups.flatMap((g) => splitSelectorList(g.selector)))].join(',');
    this.order = new Map(rules.map((r, i) => [r, i]));
  }

  /** What the signals read from `el`, computed lazily; pass the same object to every rule for `el`. */
  candidate(el: Element): Candidate {
    return new Candidate(el, this.url, this.redirectors, this.pageHeld);
  }

  /** The rules whose candidate selector `el` matches, in rule order. */
  rulesFor(el: Element): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const group of this.groups) if (el.matches(group.selector)) out.push(...group.rules);
    if (this.groups.length > 1) out.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    return out;
  }

  /**
   * Every rule hit inside `root` (and on `root` itself when it is an element). An element that
   * lies inside another hit of the same rule is not counted again, so a wrapper and its inner
   * label make one detection, not two. Hits come in document order, then rule order.
   */
  scan(root: ParentNode): Hit[] {
    if (this.rules.length === 0) return [];
    const hits: Hit[] = [];
    const candidates = new Map<Element, Candidate>();
    const candidateOf = (el: Element) => {
      let c = candidates.get(el);
      if (!c) candidates.set(el, (c = this.candidate(el)));
      return c;
    };
    const self = isElement(root) ? root : null;
    for (const group of this.groups) {
      let found: Element[];
      try {
        found = this.candidatesIn(root, self, group);
      } catch {
        // A selector the compile-time check let through but this DOM rejects: skip its rules
        // rather than lose every other rule's results for the page.
        continue;
      }
      if (found.length === 0) continue;
      for (const rule of group.rules) {
        // Candidates come in document order, so a hit's descendants follow it directly.
        let previous: Element | null = null;
        const visit = (el: Element) => {
          if (previous && previous.contains(el)) return;
          const evidence = this.evaluate(rule, el, candidateOf(el));
          if (evidence === null) return;
          previous = el;
          hits.push({ rule, element: el, evidence });
        };
        for (const el of found) visit(el);
      }
    }
    if (hits.length > 1 && this.groups.length > 1) {
      hits.sort((a, b) =>
        a.element === b.element
          ? this.order.get(a.rule)! - this.order.get(b.rule)!
          : byDocumentOrder(a.element, b.element),
      );
    }
    return hits;
  }

  /** The elements of `root` (itself included) that match the group's selector, in document order. */
  private candidatesIn(root: ParentNode, self: Element | null, group: SelectorGroup): Element[] {
    const out: Element[] = [];
    if (group.plain) {
      if (self?.matches(group.plain)) out.push(self);
      for (const el of root.querySelectorAll(group.plain)) out.push(el);
    }
    if (!group.inside) return out;
    // `A *`: everything below an A. When an ancestor of the root is an A, that is all of it.
    if (self?.parentElement?.closest(group.inside)) return [self, ...self.querySelectorAll('*')];
    const tops: Element[] = [];
    if (self?.matches(group.inside)) tops.push(self);
    for (const el of root.querySelectorAll(group.inside)) tops.push(el);
    if (tops.length === 0) return out;
    const seen = new Set(out);
    const before = out.length;
    for (const top of tops) {
      for (const el of top.querySelectorAll('*')) {
        if (seen.has(el)) continue;
        seen.add(el);
        out.push(el);
      }
    }
    if (before > 0 && out.length > before) out.sort(byDocumentOrder);
    return out;
  }

  /** The evidence excerpt when `el` satisfies `rule`, else null. */
  evaluate(rule: CompiledRule, el: Element, candidate: Candidate = this.candidate(el)): string | null {
    const state: MatchState = { text: null, link: null };
    for (const signal of rule.exclude) if (holds(signal, candidate, state)) return null;
    let held = 0;
    let remaining = rule.signals.length;
    for (const signal of rule.signals) {
      if (held >= rule.needed) break;
      if (held + remaining < rule.needed) return null;
      remaining--;
      if (holds(signal, candidate, state)) held++;
    }
    if (held < rule.needed) return null;
    return evidenceOf(rule.rule.evidence, candidate, state);
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
  // Root-relative paths made only of characters the URL parser leaves as they are, with no dot
  // segments: the result is the page's origin followed by the path, without parsing (feeds are
  // full of links like "/@user" and "/tag/x").
  if (SIMPLE_PATH.test(href) && !href.includes('/.')) {
    const origin = originOf(pageUrl);
    if (origin) return origin + href;
  }
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return href;
  }
}

/**
 * The complex selectors of a selector list ("a, b > c, d:is(e, f)" → "a", "b > c", "d:is(e, f)"):
 * splits on top-level commas, outside brackets, parentheses and strings.
 */
export function splitSelectorList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '\\') {
      i++; // an escaped character never delimits anything
      continue;
    }
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter(Boolean);
}

const SIMPLE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;

let lastPageUrl = '';
let lastOrigin: string | null = null;

/** The origin of a page URL (one-entry cache: a matcher asks for the same page over and over). */
function originOf(pageUrl: string): string | null {
  if (pageUrl !== lastPageUrl) {
    lastPageUrl = pageUrl;
    try {
      const origin = new URL(pageUrl).origin;
      lastOrigin = origin.startsWith('http') ? origin : null;
    } catch {
      lastOrigin = null;
    }
  }
  return lastOrigin;
}

function isElement(node: ParentNode): node is Element {
  return (node as Node).nodeType === 1;
}

/**
 * One candidate element as the signals see it: its label and its links are read on first use
 * and kept, so several rules looking at the same element read it once.
 */
export class Candidate {
  private label: string | undefined;
  private links: string[] | undefined;
  /** What each signal found on this element, so rules sharing a signal test it once. */
  readonly memo = new Map<CompiledSignal, SignalResult>();

  constructor(
    readonly el: Element,
    readonly url: string,
    private readonly redirectors: readonly Redirector[],
    /** Results of `page` signals, shared by every candidate of a page. */
    readonly pageHeld: ReadonlyMap<CompiledSignal, boolean> = new Map(),
  ) {}

  getLabel(): string {
    return (this.label ??= labelOf(this.el));
  }

  /** The candidate's own link, the link around it, and links inside it, each also unwrapped. */
  getLinks(): string[] {
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

/** What one rule's evaluation matched first: the text span and the link used for evidence. */
interface MatchState {
  text: { index: number; length: number } | null;
  link: string | null;
}

/** A signal's outcome on one element, with what it matched (for evidence). */
type SignalResult = { held: false } | { held: true; text?: { index: number; length: number }; link?: string };

function holds(signal: CompiledSignal, c: Candidate, state: MatchState): boolean {
  let result = c.memo.get(signal);
  if (!result) c.memo.set(signal, (result = test(signal, c)));
  if (!result.held) return false;
  if (result.text && !state.text) state.text = result.text;
  if (result.link) state.link ??= result.link;
  return true;
}

function test(signal: CompiledSignal, c: Candidate): SignalResult {
  switch (signal.kind) {
    case 'page': {
      const known = c.pageHeld.get(signal);
      return { held: known ?? signal.test(c.url) !== null };
    }
    case 'attr': {
      const value = c.el.getAttribute(signal.name!);
      return { held: value !== null && signal.test(value) !== null };
    }
    case 'has':
      return { held: c.el.matches(signal.selector!) || c.el.querySelector(signal.selector!) !== null };
    case 'link':
      for (const link of c.getLinks()) if (signal.test(link)) return { held: true, link };
      return { held: false };
    case 'text': {
      const m = signal.test(c.getLabel());
      return m ? { held: true, text: { index: m.index, length: m[0].length } } : { held: false };
    }
  }
}

function evidenceOf(mode: 'label' | 'link', c: Candidate, state: MatchState): string {
  if (mode === 'link') {
    const link = state.link ?? c.getLinks()[0];
    if (link) return excerpt(link, MAX_EVIDENCE_LENGTH);
  }
  const label = c.getLabel();
  if (label.length > MAX_EVIDENCE_LENGTH && state.text) {
    return excerptAround(label, state.text.index, state.text.length, MAX_EVIDENCE_LENGTH);
  }
  if (label) return excerpt(label, MAX_EVIDENCE_LENGTH);
  return excerpt(state.link ?? c.getLinks()[0] ?? c.el.tagName.toLowerCase(), MAX_EVIDENCE_LENGTH);
}

export type { FeatureKind, PlatformId };
