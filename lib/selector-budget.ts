/**
 * What a rule pack's CSS selectors may cost. The content script matches every candidate selector
 * against each added subtree, so one selector that is slow in the browser's matcher is paid on
 * every batch of a feed. Selectors are refused at import when they can be much slower than the
 * element count:
 * - `:has()` makes the browser look below (or beside) each element it tests; one inside another
 *   multiplies those walks, and many of them add up. At most MAX_HAS per selector, never nested.
 * - `:nth-last-child()` and `:nth-last-of-type()` count the siblings after each element: over a
 *   list of 200,000 items that is quadratic.
 * - Long chains of descendant combinators (`a b c d e`) make the matcher try every ancestor for
 *   each step. At most MAX_DESCENDANT_STEPS per complex selector.
 * - Functional pseudo-classes nested deeper than MAX_NESTING, and compounds with more than
 *   MAX_COMPOUND_PARTS simple selectors, are refused: nothing a real rule needs is that intricate.
 * The checks read the selector text only, so they are the same on every machine.
 */

/** `:has()` per selector (its whole list). */
export const MAX_HAS = 2;
/** Descendant combinators in one complex selector. */
export const MAX_DESCENDANT_STEPS = 4;
/** Depth of functional pseudo-classes inside one another (`:is(:not(…))` is 2). */
export const MAX_NESTING = 3;
/** Simple selectors in one compound (`a.b[c]:d` is 4). */
export const MAX_COMPOUND_PARTS = 12;

const SLOW_PSEUDOS = ['nth-last-child', 'nth-last-of-type'];

/** Problems with one selector (a candidate selector or a `has` signal's), as readable sentences. */
export function selectorProblems(selector: string): string[] {
  const problems = new Set<string>();
  let hasCount = 0;
  /** For each open parenthesis: whether it belongs to a `:has(`. */
  const open: boolean[] = [];
  let quote = '';
  let bracket = 0;
  let descendants = 0;
  let parts = 0;
  let lastWasSpace = false;
  const endComplex = () => {
    if (descendants > MAX_DESCENDANT_STEPS)
      problems.add(`more than ${MAX_DESCENDANT_STEPS} descendant combinators in a row`);
    descendants = 0;
  };
  const endCompound = () => {
    if (parts > MAX_COMPOUND_PARTS) problems.add(`a compound of more than ${MAX_COMPOUND_PARTS} simple selectors`);
    parts = 0;
  };
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '\\') {
      i++;
      lastWasSpace = false;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (bracket > 0) {
      if (ch === ']') bracket--;
      else if (ch === '"' || ch === "'") quote = ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    const space = /\s/.test(ch);
    if (space) {
      lastWasSpace = true;
      continue;
    }
    if (lastWasSpace && !/[>+~,)]/.test(ch) && parts > 0) {
      // A space between two compounds (and no other combinator): a descendant step.
      descendants++;
      endCompound();
    }
    lastWasSpace = false;
    if (ch === '[') {
      bracket++;
      parts++;
    } else if (ch === ':') {
      const name = /^::?([a-zA-Z-]+)(\()?/.exec(selector.slice(i));
      if (name) {
        parts++;
        const pseudo = name[1].toLowerCase();
        if (SLOW_PSEUDOS.includes(pseudo)) problems.add(`:${pseudo}() counts every later sibling of each element`);
        if (name[2]) {
          const isHas = pseudo === 'has';
          if (isHas) {
            hasCount++;
            if (open.some(Boolean)) problems.add(':has() inside :has()');
          }
          open.push(isHas);
          if (open.length > MAX_NESTING) problems.add(`functional pseudo-classes nested more than ${MAX_NESTING} deep`);
        }
        i += name[0].length - 1;
        if (name[2]) {
          // The argument starts a new selector context.
          endCompound();
          endComplex();
        }
      }
    } else if (ch === '(') {
      open.push(false);
    } else if (ch === ')') {
      endCompound();
      endComplex();
      open.pop();
    } else if (ch === ',' || ch === '>' || ch === '+' || ch === '~') {
      endCompound();
      if (ch === ',') endComplex();
    } else if (ch === '.' || ch === '#') {
      parts++;
    } else if (/[a-zA-Z*_-]/.test(ch) && (i === 0 || /[\s>+~,(]/.test(selector[i - 1]))) {
      parts++; // a type or universal selector starts the compound
    }
  }
  endCompound();
  endComplex();
  if (hasCount > MAX_HAS) problems.add(`${hasCount} :has() (at most ${MAX_HAS})`);
  return [...problems];
}
