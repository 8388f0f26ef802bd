/**
 * Regular expressions from rule packs are untrusted input (a user can import a pack). Two layers:
 *
 * 1. `patternProblems` rejects, with a message, what cannot be run safely: over-long sources,
 *    syntax outside RE2 (backreferences, lookaround: the features that force backtracking), and
 *    nested quantifiers such as `(a+)+`, which backtrack catastrophically in native RegExp.
 * 2. `linearPattern` runs a pattern on re2js, an RE2 port whose run time is linear in the input
 *    whatever the pattern, so an imported pack cannot freeze a page even if a check missed it.
 *
 * Bundled packs are checked with (1) by `npm run rules:check` and run on native RegExp for speed.
 */
import { RE2JS } from 're2js';
import { MAX_PATTERN_LENGTH, type Pattern } from '../rules/schema';

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
    problems.push(`not allowed (backreferences and lookaround can backtrack without limit): ${(error as Error).message}`);
  }
  if (BACKREFERENCE.test(source.replace(/\\\\/g, ''))) {
    problems.push('not allowed (backreferences and lookaround can backtrack without limit): backreference');
  }
  if (NESTED_QUANTIFIER.test(source)) problems.push('nested quantifier, e.g. (a+)+, can backtrack catastrophically');
  if (QUANTIFIED_ALTERNATION.test(source)) problems.push('overlapping alternatives under a quantifier can backtrack catastrophically');
  return problems;
}

/** A linear-time test for `pattern` (throws if RE2 cannot compile it). */
export function linearPattern({ pattern, flags }: Pattern): (value: string) => RegExpExecArray | null {
  const re = RE2JS.compile(RE2JS.translateRegExp(pattern), re2Flags(flags));
  return (value) => {
    const m = re.matcher(value);
    if (!m.find()) return null;
    const result = [m.group()] as unknown as RegExpExecArray;
    result.index = m.start();
    result.input = value;
    return result;
  };
}
