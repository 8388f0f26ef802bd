/**
 * One candidate element as the signals see it: its label and links are read once, and each
 * signal's outcome is memoised on it, so rules sharing a signal test it once. Also the link
 * helpers it uses: resolving an href against the page URL and unwrapping redirector links.
 */
import type { Redirector } from '../../rules/schema';
import { hostMatches } from '../hosts';
import { MAX_LABEL_EVIDENCE, featureEvidence, linkShape, linkTextShape, redactText } from '../redact';
import type { CompiledSignal, MatchState, RuleInfo, SignalResult } from './signals';
import { attributeOf, excerpt, labelOf, safeLabelOf, windowAround } from './text';

/** Most links inside one candidate that are read for `link` signals. */
export const MAX_LINKS_PER_CANDIDATE = 20;

/**
 * One candidate element as the signals see it: its label and its links are read on first use
 * and kept, so several rules looking at the same element read it once.
 */
export class Candidate {
  #label: string | undefined;
  #links: string[] | undefined;
  /** What each signal found on this element, so rules sharing a signal test it once. */
  readonly memo = new Map<CompiledSignal, SignalResult>();

  readonly #redirectors: readonly Redirector[];

  constructor(
    readonly el: Element,
    readonly url: string,
    redirectors: readonly Redirector[],
    /** Results of `page` signals, shared by every candidate of a page. */
    readonly pageHeld: ReadonlyMap<CompiledSignal, boolean> = new Map(),
  ) {
    this.#redirectors = redirectors;
  }

  getLabel(): string {
    return (this.#label ??= labelOf(this.el));
  }

  /** The candidate's own link, the link around it, and links inside it, each also unwrapped. */
  getLinks(): string[] {
    if (this.#links) return this.#links;
    const anchors: Element[] = [];
    const around = this.el.closest('a[href]');
    if (around) anchors.push(around);
    for (const a of this.el.querySelectorAll('a[href]')) {
      if (anchors.length >= MAX_LINKS_PER_CANDIDATE) break;
      anchors.push(a);
    }
    const links: string[] = [];
    for (const a of anchors) {
      const href = resolveHref(attributeOf(a, 'href'), this.url);
      if (!href) continue;
      links.push(href);
      const target = unwrapRedirect(href, this.#redirectors);
      if (target) links.push(target);
    }
    return (this.#links = links);
  }
}

export function holds(signal: CompiledSignal, c: Candidate, state: MatchState): boolean {
  let result = c.memo.get(signal);
  if (!result) c.memo.set(signal, (result = test(signal, c)));
  if (!result.held) return false;
  if (result.text && !state.text) state.text = result.text;
  if (result.link && state.link === null) {
    state.link = result.link;
    state.linkMatched = result.linkMatched ?? 0;
  }
  return true;
}

function test(signal: CompiledSignal, c: Candidate): SignalResult {
  switch (signal.kind) {
    case 'page': {
      const known = c.pageHeld.get(signal);
      return { held: known ?? signal.test(c.url) !== null };
    }
    case 'attr': {
      const value = attributeOf(c.el, signal.name!);
      return { held: value !== null && signal.test(value) !== null };
    }
    case 'has':
      return { held: c.el.matches(signal.selector!) || c.el.querySelector(signal.selector!) !== null };
    case 'link':
      for (const link of c.getLinks()) {
        const m = signal.test(link);
        if (m) return { held: true, link, linkMatched: m.index === 0 ? m[0].length : 0 };
      }
      return { held: false };
    case 'text': {
      const m = signal.test(c.getLabel());
      return m ? { held: true, text: { index: m.index, length: m[0].length } } : { held: false };
    }
  }
}

/**
 * The evidence of a hit: the feature's own label, never its surroundings, and never a person's
 * details (see lib/redact.ts). In order: a container rule's heading; the rule's fixed
 * description; for a `link` rule, the matched link's shape; a short label whole; the part of a
 * long label that the text pattern matched; the link's shape; else the feature's id. A JSON <script>
 * is never quoted. Only hits get here, so the redaction costs nothing for the many candidates
 * that match no rule.
 */
export function evidenceOf(rule: RuleInfo, c: Candidate, state: MatchState): string {
  const heading = headingEvidence(c.el, rule.heading);
  if (heading) return heading;
  if (rule.evidenceText) return redactText(rule.evidenceText);
  if (c.el.tagName === 'SCRIPT') return `page data: ${rule.feature}`;
  const found = rule.evidence === 'link' ? linkEvidence(c, state) : labelEvidence(c, state) || linkEvidence(c, state);
  return found || featureEvidence(rule.feature);
}

function linkEvidence(c: Candidate, state: MatchState): string {
  const link = state.link ?? c.getLinks()[0];
  return link ? redactText(linkShape(link, state.link ? state.linkMatched : 0)) : '';
}

function headingEvidence(el: Element, selector: string | undefined): string {
  if (!selector) return '';
  let heading: Element | null;
  try {
    heading = el.matches(selector) ? el : el.querySelector(selector);
  } catch {
    return '';
  }
  return heading ? redactText(excerpt(safeLabelOf(heading), MAX_LABEL_EVIDENCE)) : '';
}

function labelEvidence(c: Candidate, state: MatchState): string {
  const label = safeLabelOf(c.el);
  if (!label) return '';
  const written = linkTextShape(label);
  if (written) return redactText(written);
  if (label.length <= MAX_LABEL_EVIDENCE) return redactText(label);
  if (!state.text) return '';
  // A long label is a container: show only what the pattern matched, found again in the safe
  // label (which lacks what personal elements hold), widened to whole words.
  const matched = c
    .getLabel()
    .slice(state.text.index, state.text.index + state.text.length)
    .trim();
  const at = matched ? label.indexOf(matched) : -1;
  if (at < 0) return '';
  let start = at;
  let end = at + matched.length;
  while (start > 0 && label[start - 1] !== ' ') start--;
  while (end < label.length && label[end] !== ' ') end++;
  const words = label.slice(start, end).replace(/^[\s,;:·|•]+|[\s,;:·|•]+$/g, '');
  return redactText(windowAround(words, at - start, matched.length, MAX_LABEL_EVIDENCE));
}

/** The URL a redirector link really points at, or null when `href` is not a redirector link. */
export function unwrapRedirect(href: string, redirectors: readonly Redirector[]): string | null {
  if (!href.startsWith('http')) return null;
  // A host that is not in the string cannot be the URL's host: skip the URL parser for the many
  // links that go through no redirector (every post link in a feed). The same for a redirector's
  // path, unless the href has characters the parser turns into a slash or drops (`\`, tab,
  // newline): TikTok's and YouTube's redirectors sit on the platform's own host, which every
  // resolved post link names, so the host alone let every one of them through to the parser.
  const plain = !/[\\\t\n\r]/.test(href);
  const possible = (r: Redirector) => href.includes(r.host) && (!r.path || !plain || href.includes(r.path));
  if (!redirectors.some(possible)) return null;
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
