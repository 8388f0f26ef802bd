/**
 * Reading an element the way a person sees it: its accessible label and its visible text, both
 * capped so that a huge container never costs more than a short walk.
 */
import { insidePersonalElement, isPersonalElement } from '../redact';

/** Longest label a rule's text patterns are tested against (patterns never see more than this). */
export const MAX_LABEL_LENGTH = 300;
/** Longest text read from a JSON <script> candidate (hydration data such as TikTok's anchors). */
export const MAX_SCRIPT_TEXT_LENGTH = 200_000;

/**
 * Most characters of an attribute value that matching reads (labels, `attr` signals, hrefs). Real
 * labels and links are far shorter; a page can set megabytes, and folding white space, parsing a
 * URL or running a pattern over all of it was one task of about 90 ms (the hostile suite).
 */
export const MAX_ATTRIBUTE_CHARS = 4096;

/** An attribute's value, cut to MAX_ATTRIBUTE_CHARS; null when it is not set. */
export function attributeOf(el: Element, name: string): string | null {
  const value = el.getAttribute(name);
  return value !== null && value.length > MAX_ATTRIBUTE_CHARS ? value.slice(0, MAX_ATTRIBUTE_CHARS) : value;
}

/** Most nodes `safeVisibleText` visits. */
const MAX_SAFE_TEXT_NODES = 2_000;

const SKIPPED_TEXT_PARENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * One line of text (spaces folded) cut to at most `max` characters at the last space, when that
 * leaves more than half of it (else at `max`); without an ellipsis, for text that is used again
 * (a product title, a search query).
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  return head.slice(0, space > max / 2 ? space : max);
}

/** Visible text under `el`, skipping script/style, stopping once `limit` characters are read. */
export function visibleText(el: Element, limit = MAX_LABEL_LENGTH): string {
  // Most candidates (links, buttons, labels) hold only text: read it as one string, without a
  // TreeWalker and without touching the text nodes (each node script touches keeps a wrapper object
  // for as long as the page keeps the node: heap that grew with the feed, in the bench).
  if (el.childElementCount === 0) {
    if (SKIPPED_TEXT_PARENTS.has(el.tagName)) return '';
    const value = el.textContent ?? '';
    return normalizeSpace(value.length > limit * 2 ? value.slice(0, limit * 2) : value).slice(0, limit);
  }
  const doc = el.ownerDocument;
  const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  let out = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && SKIPPED_TEXT_PARENTS.has(parent.tagName)) continue;
    const value = node.nodeValue;
    if (!value) continue;
    out += value.length > limit ? value.slice(0, limit) : value;
    out += ' ';
    if (out.length >= limit * 2) break; // whitespace is folded below; read a little extra
  }
  return normalizeSpace(out).slice(0, limit);
}

/**
 * The label a text pattern is tested against: aria-label, title, alt, placeholder and then the
 * visible text, joined. A JSON <script> is read as its (longer-capped) text, since some platforms
 * mark shopping only in page data.
 */
export function labelOf(el: Element): string {
  if (el.tagName === 'SCRIPT') return (el.textContent ?? '').slice(0, MAX_SCRIPT_TEXT_LENGTH);
  const parts: string[] = [];
  for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
    const value = attributeOf(el, name);
    if (value) parts.push(normalizeSpace(value));
  }
  const labelled = attributeOf(el, 'aria-labelledby');
  if (labelled) {
    for (const id of labelled.split(/\s+/).slice(0, 4)) {
      const ref = el.ownerDocument.getElementById(id);
      if (ref) parts.push(visibleText(ref, 120));
    }
  }
  const text = visibleText(el);
  if (text && !parts.includes(text)) parts.push(text);
  return parts.join(' · ').slice(0, MAX_LABEL_LENGTH);
}

/** Cut `text` to `max` characters on a word boundary where one is near, marking the cut. */
export function excerpt(text: string, max: number): string {
  const clean = normalizeSpace(text);
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

/**
 * Visible text under `el` as evidence may show it: like `visibleText`, but form fields, editable
 * elements and elements that hold a person's details (see lib/redact.ts) are skipped whole.
 * Read only for hits, never for matching.
 */
export function safeVisibleText(el: Element, limit = MAX_LABEL_LENGTH): string {
  let out = '';
  const stack: Node[] = [el];
  // A budget of nodes, like visibleText's character cap: a huge container costs a short walk.
  for (let budget = MAX_SAFE_TEXT_NODES; stack.length > 0 && out.length < limit * 2 && budget > 0; budget--) {
    const node = stack.pop()!;
    if (node.nodeType === 3 /* TEXT_NODE */) {
      out += (node.nodeValue ?? '') + ' ';
      continue;
    }
    if (node.nodeType !== 1) continue;
    const child = node as Element;
    if (child !== el && (SKIPPED_TEXT_PARENTS.has(child.tagName) || isPersonalElement(child))) continue;
    for (let c = child.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return normalizeSpace(out).slice(0, limit);
}

/**
 * The label as evidence may show it: aria-label, title and alt, then the safe visible text; ''
 * when `el` is or lies inside an element that holds a person's details.
 */
export function safeLabelOf(el: Element): string {
  if (insidePersonalElement(el)) return '';
  const parts: string[] = [];
  for (const name of ['aria-label', 'title', 'alt']) {
    const value = attributeOf(el, name);
    if (value) parts.push(normalizeSpace(value));
  }
  const text = safeVisibleText(el);
  if (text && !parts.includes(text)) parts.push(text);
  return parts.join(' · ').slice(0, MAX_LABEL_LENGTH);
}

/**
 * At most `max` characters of `text` around a match, cut on word boundaries, with `…` where text
 * was left out.
 */
export function windowAround(text: string, index: number, length: number, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - 2 - length);
  let start = Math.max(0, index - Math.floor(room / 2));
  let end = Math.min(text.length, start + length + room);
  start = Math.max(0, Math.min(start, end - length - room));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < index) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > index + length) end = space;
  }
  return (start > 0 ? '…' : '') + text.slice(start, end).trim() + (end < text.length ? '…' : '');
}
