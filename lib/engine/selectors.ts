/**
 * CSS selector helpers the engine needs beyond what the DOM offers: splitting a selector list
 * into its parts, recognising `A *`, checking that a selector works in a given DOM, and ordering
 * elements.
 */

/**
 * The characters of a selector that stand at its top level: not escaped, and outside brackets,
 * parentheses and strings (an opening bracket or parenthesis at the top level is included, what
 * it encloses is not). `balanced` is false when a bracket, parenthesis or string is left open.
 */
function topLevel(s: string): { at: number[]; balanced: boolean } {
  const at: number[] = [];
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') {
      i++; // an escaped character never delimits anything
      continue;
    }
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ')' || ch === ']') depth--;
    else {
      if (depth === 0) at.push(i);
      if (ch === '(' || ch === '[') depth++;
    }
  }
  return { at, balanced: depth === 0 && !quote };
}

/**
 * The complex selectors of a selector list ("a, b > c, d:is(e, f)" → "a", "b > c", "d:is(e, f)"):
 * splits on top-level commas.
 */
export function splitSelectorList(list: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const i of topLevel(list).at) {
    if (list[i] !== ',') continue;
    parts.push(list.slice(start, i).trim());
    start = i + 1;
  }
  parts.push(list.slice(start).trim());
  return parts.filter(Boolean);
}

/** A selector list from its parts: the one way precompiled rules write a list (lib/engine/packed.ts relies on it). */
export function joinSelectorParts(parts: readonly string[]): string {
  return parts.join(', ');
}

/** `A` when `selector` is exactly `A *` with a compound `A` (no combinator of its own), else null. */
export function insideOf(selector: string): string | null {
  const m = /^(.*\S)\s+\*$/.exec(selector);
  if (!m) return null;
  const a = m[1];
  const { at, balanced } = topLevel(a);
  return balanced && !at.some((i) => /[\s>+~,]/.test(a[i])) ? a : null;
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

export function byDocumentOrder(a: Element, b: Element): number {
  return a === b ? 0 : a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1;
}

/**
 * What an element without any attribute must be to match one part of a selector list: the tag
 * name ("button"), `false` when the part needs an attribute (a `[…]`, `.class` or `#id` at the top
 * level of its last compound: the element it selects), or `null` when that cannot be told from
 * the text (`*`, a bare pseudo-class).
 */
export function bareSubject(part: string): string | false | null {
  // The last compound: after the last top-level combinator.
  let start = 0;
  for (const i of topLevel(part).at) if (/[\s>+~]/.test(part[i])) start = i + 1;
  const compound = part.slice(start).trim();
  if (topLevel(compound).at.some((i) => /[[.#]/.test(compound[i]))) return false;
  const tag = /^([A-Za-z][\w-]*)/.exec(compound);
  return tag ? tag[1].toLowerCase() : null;
}
