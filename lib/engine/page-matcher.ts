/**
 * The matcher for one page: the rules of its platform grouped by candidate selector. A scanned
 * root asks the selector engine about each distinct alternative of those selectors once (see
 * part-queries.ts), and what a candidate offers the signals is read at most once per scan for every
 * rule that looks at it.
 */
import type { PlatformId, Redirector } from '../../rules/schema';
import { Candidate, evidenceOf, holds } from './candidate';
import { byDocumentOrder } from './selectors';
import { ElementMap } from './element-map';
import type { CompiledRule, CompiledSignal, MatchState, SelectorPart } from './signals';
import { closestSafely, matchesSafely, MAX_QUERY_GROUPS, PartQueries } from './part-queries';
import { GroupClock, RULE_BUDGET_MS, RULE_WINDOW_MS, type RuleGuard } from './rule-guard';

export interface Hit {
  rule: CompiledRule;
  element: Element;
  evidence: string;
}

/**
 * A wrapper and the element inside it count once: per rule, the last hit in document order, and
 * whether a later element lies inside it. Elements must be offered in document order.
 */
export class HitNesting {
  readonly #last = new Map<string, Element>();

  /** True when `el` lies inside the last element counted for `ruleId`. */
  covers(ruleId: string, el: Element): boolean {
    const previous = this.#last.get(ruleId);
    return previous !== undefined && previous.contains(el);
  }

  count(ruleId: string, el: Element): void {
    this.#last.set(ruleId, el);
  }

  /** Counts the hit unless an earlier one of its rule holds it; true when counted. */
  admit(hit: Hit): boolean {
    const id = hit.rule.rule.id;
    if (this.covers(id, hit.element)) return false;
    this.count(id, hit.element);
    return true;
  }
}

/** Rules that share one candidate selector. */
interface SelectorGroup {
  selector: string;
  rules: CompiledRule[];
  /** For rules of imported packs: the time the group has spent (rule-guard.ts); null for bundled rules. */
  clock: GroupClock | null;
  /** For rules of imported packs: the group's own queries, so their time is the group's. */
  queries: PartQueries | null;
  /** The selector's alternatives (the same for every rule of the group). */
  parts: readonly SelectorPart[];
}

export class PageMatcher {
  /**
   * Union of the candidate selectors of the unguarded rules: one `matches`/`closest` tells whether
   * an element is a candidate for any of them. Guarded rules stay out of it, so a slow selector of
   * theirs is only ever run where it is timed.
   */
  readonly selector: string;
  /** Rules grouped by candidate selector (most rules of a platform share a few selectors). */
  readonly #groups: SelectorGroup[];
  /** The groups of guarded rules (also in `groups`), each with its own clock. */
  readonly #guardedGroups: SelectorGroup[];
  readonly #order: Map<CompiledRule, number>;
  /**
   * Attributes the rules look at (in `attr` signals and in selectors), less `class` and `style`:
   * a later change to one of them can make an element match. Pages toggle classes and styles on
   * every hover and animation, so watching those would cost work on every frame; a class filled in
   * later is found when the element or a neighbour is added or relabelled.
   */
  readonly attributes: string[];
  /**
   * The tags an element without attributes can match as, or null when that is not known: most
   * candidate selectors need an attribute, so a walk over 200,000 bare siblings asks `matches`
   * of none of them.
   */
  readonly #bareTags: ReadonlySet<string> | null;
  /**
   * The union split for a walk that knows each element's ancestors: `plain` holds the parts other
   * than `A *`, `inside` the A of every `A *` part (compounds, so testing one element is cheap).
   * An element is a candidate when it matches `plain` or an ancestor matches `inside`: the walk
   * carries the second down its path instead of letting the selector engine climb every
   * ancestor of every element (10,000-deep nesting made that quadratic: the hostile suite).
   */
  readonly plain: string;
  readonly inside: string;
  /** `bareTags` for the `plain` parts alone. */
  readonly #plainBareTags: ReadonlySet<string> | null;
  /**
   * Find the candidates of the unguarded groups (part-queries.ts), each for at most
   * MAX_QUERY_GROUPS of them (the bundled rules of a platform make a dozen groups).
   */
  readonly #partQueries: { queries: PartQueries; groups: SelectorGroup[] }[] = [];
  readonly #redirectors: readonly Redirector[];
  readonly #pageHeld: Map<CompiledSignal, boolean>;
  readonly #guard: RuleGuard | null;

  constructor(
    readonly platform: PlatformId,
    readonly url: string,
    readonly rules: readonly CompiledRule[],
    redirectors: readonly Redirector[],
    /** Results of `page` signals on this URL (they are the same for every element). */
    pageHeld: Map<CompiledSignal, boolean> = new Map(),
    guard: RuleGuard | null = null,
  ) {
    this.#redirectors = redirectors;
    this.#pageHeld = pageHeld;
    this.#guard = guard;
    const groups = new Map<string, SelectorGroup>();
    for (const rule of rules) {
      const selector = rule.rule.selector;
      const guarded = guard?.ruleIds.has(rule.rule.id) ?? false;
      // A guarded rule never shares a group with a bundled one: its time must be its own.
      const key = guarded ? `guarded ${selector}` : selector;
      let group = groups.get(key);
      if (!group) {
        group = {
          selector,
          rules: [],
          parts: rule.parts,
          clock: guarded ? new GroupClock() : null,
          queries: guarded ? new PartQueries([{ parts: rule.parts }]) : null,
        };
        groups.set(key, group);
      }
      group.rules.push(rule);
    }
    this.#groups = [...groups.values()];
    this.#guardedGroups = this.#groups.filter((g) => g.clock);
    // Rules repeat the same alternatives ("button", "a[href]", …): list each one once.
    const unguarded = this.#groups.filter((g) => !g.clock);
    const parts = new Map(
      unguarded.flatMap((g) => g.rules.flatMap((r) => r.parts.map((p) => [p.selector, p] as const))),
    );
    this.selector = [...parts.keys()].join(',');
    this.#order = new Map(rules.map((r, i) => [r, i]));
    this.attributes = [...new Set(rules.flatMap((r) => r.attributes))].sort();
    this.#bareTags = bareTagsOf([...parts.values()]);
    const plain = [...parts.values()].filter((p) => !p.inside);
    this.plain = plain.map((p) => p.selector).join(',');
    this.inside = [...new Set([...parts.values()].flatMap((p) => (p.inside ? [p.inside] : [])))].join(',');
    this.#plainBareTags = bareTagsOf(plain);
    for (let i = 0; i < unguarded.length; i += MAX_QUERY_GROUPS) {
      const groups = unguarded.slice(i, i + MAX_QUERY_GROUPS);
      this.#partQueries.push({ queries: new PartQueries(groups), groups });
    }
  }

  /**
   * The same matcher with the rules in `guard.ruleIds` timed and switched off when they take too
   * long (rule-guard.ts), less the rules already switched off (`off`).
   */
  withGuard(guard: RuleGuard, off: ReadonlySet<string> = new Set()): PageMatcher {
    const rules = this.rules.filter((r) => !off.has(r.rule.id));
    return new PageMatcher(this.platform, this.url, rules, this.#redirectors, this.#pageHeld, guard);
  }

  /** True while some guarded rule is still running on this page (the walk then offers it elements). */
  get guarding(): boolean {
    return this.#guardedGroups.some((g) => !g.clock!.tripped);
  }

  /** False when `el` cannot be a candidate, told without asking the selector engine. */
  mayMatch(el: Element): boolean {
    return this.#bareTags === null || el.hasAttributes() || this.#bareTags.has(el.localName);
  }

  /** False when `el` cannot match `plain`, told without asking the selector engine. */
  mayMatchPlain(el: Element): boolean {
    return this.#plainBareTags === null || el.hasAttributes() || this.#plainBareTags.has(el.localName);
  }

  /** What the signals read from `el`, computed lazily; pass the same object to every rule for `el`. */
  candidate(el: Element): Candidate {
    return new Candidate(el, this.url, this.#redirectors, this.#pageHeld);
  }

  /** The unguarded rules whose candidate selector `el` matches, in rule order. */
  rulesFor(el: Element): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const group of this.#groups) if (!group.clock && el.matches(group.selector)) out.push(...group.rules);
    if (this.#groups.length > 1) out.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!);
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
    const candidates = new ElementMap<Candidate>();
    const candidateOf = (el: Element) => {
      let c = candidates.get(el);
      if (!c) candidates.set(el, (c = this.candidate(el)));
      return c;
    };
    const self = isElement(root) ? root : null;
    const evaluate = (queries: PartQueries, groups: readonly SelectorGroup[]) => {
      const found = queries.find(root, self);
      for (let f = 0; f < found.keys.length; f++) {
        const el = found.keys[f];
        const mask = found.values[f];
        const candidate = candidateOf(el);
        for (let m = mask, i = 0; m !== 0; m >>>= 1, i++) {
          if (m & 1) for (const rule of groups[i].rules) this.#tryRule(rule, el, candidate, null, hits);
        }
      }
    };
    for (const { queries, groups } of this.#partQueries) evaluate(queries, groups);
    for (const group of this.#guardedGroups) {
      if (group.clock!.tripped) continue;
      const started = this.#guard!.now();
      evaluate(group.queries!, [group]);
      this.#charge(group, started);
    }
    if (hits.length < 2) return hits;
    hits.sort((a, b) =>
      a.element === b.element
        ? this.#order.get(a.rule)! - this.#order.get(b.rule)!
        : byDocumentOrder(a.element, b.element),
    );
    // In document order, an element inside an element already counted for the same rule is a
    // part of that hit, not a hit of its own.
    const nesting = new HitNesting();
    return hits.filter((hit) => nesting.admit(hit));
  }

  /**
   * Evaluate one candidate element against each rule whose selector it matches, pushing the hits.
   * With `nesting`, an element inside an element already counted for a rule is skipped.
   */
  hitsOn(el: Element, hits: Hit[], nesting: HitNesting | null = null): void {
    const rules = this.rulesFor(el);
    if (rules.length === 0) return;
    const candidate = this.candidate(el);
    for (const rule of rules) this.#tryRule(rule, el, candidate, nesting, hits);
  }

  /**
   * The guarded rules on elements a walk visits one by one (a batch, in document order): each
   * guarded group tests the whole batch and is timed once for it. With `nesting`, an element
   * inside an element already counted for a rule is skipped.
   */
  guardedHitsOn(els: readonly Element[], hits: Hit[], nesting: HitNesting | null = null): void {
    if (els.length === 0) return;
    const candidates = new ElementMap<Candidate>();
    for (const group of this.#guardedGroups) {
      if (group.clock!.tripped) continue;
      const started = this.#guard!.now();
      for (const el of els) {
        if (!matchesSafely(el, group.selector)) continue;
        let c = candidates.get(el);
        if (!c) candidates.set(el, (c = this.candidate(el)));
        for (const rule of group.rules) this.#tryRule(rule, el, c, nesting, hits);
      }
      this.#charge(group, started);
    }
  }

  /**
   * The guarded rules on the candidates around `el` (its ancestors and itself), after something
   * inside it changed; `seen` holds, per group, the candidates looked at already in this slice.
   */
  guardedAround(el: Element, hits: Hit[], seen: Map<object, Set<Element>>): void {
    for (const group of this.#guardedGroups) {
      if (group.clock!.tripped) continue;
      let looked = seen.get(group);
      if (!looked) seen.set(group, (looked = new Set()));
      const started = this.#guard!.now();
      // Once a candidate was looked at, so were all above it: the climb stops there.
      for (
        let c = closestSafely(el, group.selector);
        c && !looked.has(c);
        c = closestSafely(c.parentElement, group.selector)
      ) {
        looked.add(c);
        const candidate = this.candidate(c);
        for (const rule of group.rules) this.#tryRule(rule, c, candidate, null, hits);
      }
      this.#charge(group, started);
    }
  }

  /** Charge a guarded group for the time since `started`; past its budget it is switched off. */
  #charge(group: SelectorGroup, started: number): void {
    const now = this.#guard!.now();
    const trip = group.clock!.charge(now - started, now, this.#guard!.limits ?? DEFAULT_LIMITS);
    if (trip) this.#guard!.onTrip([...new Set(group.rules.map((r) => r.rule.id))], trip);
  }

  #tryRule(rule: CompiledRule, el: Element, candidate: Candidate, nesting: HitNesting | null, hits: Hit[]) {
    const id = rule.rule.id;
    if (nesting?.covers(id, el)) return;
    const evidence = this.evaluate(rule, el, candidate);
    if (evidence === null) return;
    nesting?.count(id, el);
    hits.push({ rule, element: el, evidence });
  }

  /** The evidence excerpt when `el` satisfies `rule`, else null. */
  evaluate(rule: CompiledRule, el: Element, candidate: Candidate = this.candidate(el)): string | null {
    // Marked "not a shopping feature" by the user: one `matches` per candidate of such a rule.
    if (rule.excludedBy && el.matches(rule.excludedBy)) return null;
    const state: MatchState = { text: null, link: null, linkMatched: 0 };
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
    return evidenceOf(rule.rule, candidate, state);
  }
}

/** The tags an element without attributes can match some of `parts` as; null when not known. */
function bareTagsOf(parts: readonly SelectorPart[]): ReadonlySet<string> | null {
  const tags = new Set<string>();
  for (const { subject } of parts) {
    if (subject === null) return null;
    if (subject) tags.add(subject);
  }
  return tags;
}

const DEFAULT_LIMITS = { budgetMs: RULE_BUDGET_MS, windowMs: RULE_WINDOW_MS };

function isElement(node: ParentNode): node is Element {
  return (node as Node).nodeType === 1;
}
