/**
 * Regular expressions from rule packs are untrusted input (a user can import a pack), and the
 * content script runs them on the browser's own backtracking RegExp. Two checks, both applied to
 * imported packs (lib/pack-check.ts) and to the bundled ones (`npm run rules:check`):
 *
 * 1. `patternProblems` rejects, with a message, what cannot be run safely: over-long sources,
 *    syntax outside RE2 (backreferences, lookaround: the features that force backtracking), and
 *    nested quantifiers such as `(a+)+` that can be seen in the source text.
 * 2. `backtrackingProblems` analyses the parsed pattern for repetitions that can backtrack
 *    exponentially or polynomially.
 *
 * re2js is used only to parse: compiling a pattern with it tells whether RE2 could run it.
 */
import { getFirstConsumedChar } from 'regexp-ast-analysis';
import { RE2JS } from 're2js';
import { analyse, type AnalysisResult } from 'scslre';
import { MAX_PATTERN_LENGTH } from '../rules/schema';

/** A quantified group whose body is itself quantified: `(a+)+`, `(\w*)*`, `(x{2,})+`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;
/** Backreferences by number or name; RE2 rejects `\1`, but re2js reads `\k<name>` as literal text. */
const BACKREFERENCE = /\\(?:[1-9]|k<)/;
/** Alternatives that overlap under a quantifier: `(a|a)*`, `(\w|\d)+`. */
const QUANTIFIED_ALTERNATION = /\(([^()|]+)\|\1\)[+*]/;

function re2Flags(flags = ''): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  return out;
}

export function patternProblems(source: string, flags?: string): string[] {
  const problems: string[] = [];
  if (source.length > MAX_PATTERN_LENGTH) problems.push(`longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    RE2JS.compile(RE2JS.translateRegExp(source), re2Flags(flags));
  } catch (error) {
    problems.push(
      `not allowed (backreferences and lookaround can backtrack without limit): ${(error as Error).message}`,
    );
  }
  if (BACKREFERENCE.test(source.replace(/\\\\/g, ''))) {
    problems.push('not allowed (backreferences and lookaround can backtrack without limit): backreference');
  }
  if (NESTED_QUANTIFIER.test(source)) problems.push('nested quantifier, e.g. (a+)+, can backtrack catastrophically');
  if (QUANTIFIED_ALTERNATION.test(source))
    problems.push('overlapping alternatives under a quantifier can backtrack catastrophically');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Backtracking analysis (scslre, the analyser behind eslint-plugin-regexp): used by the import
// check for user packs and by `npm run rules:check` for the bundled ones. Kept out of page scripts.
// ---------------------------------------------------------------------------------------------

/** A repetition allowed more times than this counts as unbounded (`(a|a){0,1000}` is 2^1000). */
const UNBOUNDED_REPEAT = 10;

type Parsed = AnalysisResult['parsed'];
type AstNode =
  | Parsed['pattern']
  | Parsed['pattern']['alternatives'][number]
  | Parsed['pattern']['alternatives'][number]['elements'][number];
type Group = Extract<AstNode, { type: 'Group' | 'CapturingGroup' }>;

/** Alternatives under an unbounded repetition that can start alike, or match nothing. */
function overlappingAlternatives({ pattern, flags }: Parsed): string | null {
  function check(group: Group): string | null {
    const firsts = group.alternatives.map((alt) => getFirstConsumedChar(alt, 'ltr', flags));
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i].empty) {
        return `the alternative "${group.alternatives[i].raw}" can match nothing inside a repetition, so the repetition can backtrack without end`;
      }
      for (let j = i + 1; j < firsts.length; j++) {
        if (!firsts[i].char.isDisjointWith(firsts[j].char)) {
          return `the alternatives "${group.alternatives[i].raw}" and "${group.alternatives[j].raw}" can start with the same character inside a repetition, so it can backtrack catastrophically`;
        }
      }
    }
    return null;
  }
  function walk(node: AstNode, inLoop: boolean): string | null {
    switch (node.type) {
      case 'Pattern':
      case 'Alternative':
      case 'Group':
      case 'CapturingGroup':
      case 'Assertion': {
        if ((node.type === 'Group' || node.type === 'CapturingGroup') && inLoop && node.alternatives.length > 1) {
          const problem = check(node);
          if (problem) return problem;
        }
        const children: AstNode[] =
          node.type === 'Alternative' ? node.elements : 'alternatives' in node ? node.alternatives : [];
        for (const child of children) {
          const problem = walk(child, inLoop);
          if (problem) return problem;
        }
        return null;
      }
      case 'Quantifier':
        return walk(node.element, inLoop || node.max > UNBOUNDED_REPEAT);
      default:
        return null;
    }
  }
  return walk(pattern, false);
}

/**
 * Why `pattern` could take more than linear time on a backtracking engine, one line per cause
 * (empty when it cannot).
 */
export function backtrackingProblems(pattern: string, flags = ''): string[] {
  let result: AnalysisResult;
  try {
    // The rejecting suffix is assumed, not guessed: a rule's pattern meets any text a page shows.
    result = analyse({ source: pattern, flags }, { assumeRejectingSuffix: true });
  } catch (error) {
    return [`could not be analysed: ${(error as Error).message}`];
  }
  const problems = new Set<string>();
  for (const report of result.reports) {
    const how = report.exponential ? 'exponentially' : 'polynomially';
    if (report.type === 'Self') {
      problems.add(
        `the repetition "${report.quant.raw}" is repeated again by "${report.parentQuant.raw}" (nested quantifiers), so it can backtrack ${how}`,
      );
    } else if (report.type === 'Trade') {
      problems.add(
        `the repetitions "${report.startQuant.raw}" and "${report.endQuant.raw}" can match the same characters (e.g. ${JSON.stringify(report.character.pick)}), so it can backtrack ${how}; make them exclusive`,
      );
    } else {
      problems.add(
        `searching for "${report.quant.raw}" from every position of a long text, link or attribute takes quadratic time; anchor the pattern with ^`,
      );
    }
  }
  try {
    const alternatives = overlappingAlternatives(result.parsed);
    if (alternatives) problems.add(alternatives);
  } catch (error) {
    problems.add(`could not be analysed: ${(error as Error).message}`);
  }
  return [...problems];
}
