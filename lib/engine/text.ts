/**
 * Reading an element the way a person sees it: its accessible label and its visible text, both
 * capped so that a huge container never costs more than a short walk.
 */

/** Longest label a rule's text patterns are tested against (patterns never see more than this). */
export const MAX_LABEL_LENGTH = 300;
/** Longest text read from a JSON <script> candidate (hydration data such as TikTok's anchors). */
export const MAX_SCRIPT_TEXT_LENGTH = 200_000;

const SKIPPED_TEXT_PARENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Visible text under `el`, skipping script/style, stopping once `limit` characters are read. */
export function visibleText(el: Element, limit = MAX_LABEL_LENGTH): string {
  // Most candidates (links, buttons, labels) hold one text node: read it without a TreeWalker.
  const only = el.firstChild;
  if (only === null) return '';
  if (only === el.lastChild && only.nodeType === 3 /* TEXT_NODE */) {
    if (SKIPPED_TEXT_PARENTS.has(el.tagName)) return '';
    const value = only.nodeValue ?? '';
    return normalizeSpace((value.length > limit ? value.slice(0, limit) : value) + ' ').slice(0, limit);
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
    const value = el.getAttribute(name);
    if (value) parts.push(normalizeSpace(value));
  }
  const labelled = el.getAttribute('aria-labelledby');
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

/** A window of `max` characters around a match inside a long text. */
export function excerptAround(text: string, index: number, length: number, max: number): string {
  if (text.length <= max) return normalizeSpace(text);
  const pad = Math.max(0, Math.floor((max - length) / 2));
  const start = Math.max(0, index - pad);
  const piece = text.slice(start, start + max);
  return excerpt((start > 0 ? '…' : '') + piece, max);
}
