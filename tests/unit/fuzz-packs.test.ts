/**
 * Fuzzing the rule-pack schema and the import check, which face whatever a user imports: on arbitrary JSON, on valid packs
 * broken in one random place, and on arbitrary regular expressions, nothing throws, nothing hangs,
 * and a refused pack always comes back as `ok: false` with readable one-line messages.
 *
 * fast-check shrinks a failure to a small counterexample and prints its seed; rerun with that seed
 * (`fc.assert(…, { seed })`) to reproduce it.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { FEATURE_IDS, PLATFORM_IDS, RulePack, validate } from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { getRegulations } from '@/utils/catalogues';
import { checkPack } from '@/lib/pack-check';
import { installPack, type InstallDeps } from '@/utils/pack-install';
import { readStoredPacks } from '@/utils/user-packs';

/** Longest one generated case may take: far above a normal case (a few ms) even on a loaded CI box,
 * far below what a hang (exponential backtracking, an endless loop) would take. */
const CASE_BUDGET_MS = 5_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = run();
  return { value, ms: performance.now() - t0 };
}

/** A refusal must say what is wrong: non-empty lines, each on one line, each naming the input. */
function expectClearRefusal(result: { ok: boolean; errors?: string[] }): void {
  expect(result.ok).toBe(false);
  expect(result.errors!.length).toBeGreaterThan(0);
  for (const line of result.errors!) {
    expect(typeof line).toBe('string');
    expect(line).not.toMatch(/[\r\n]/);
    expect(line.length).toBeGreaterThan(6);
    expect(line.length).toBeLessThan(2_000);
    expect(line).toMatch(/^(pack|… and \d+ more problems)/);
  }
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const REGULATION = 'permendag-31-2023-pasal-21-3';
const ruleId = fc.stringMatching(/^[a-z0-9]{1,8}(?:[.-][a-z0-9]{1,8}){0,3}$/);
const safePattern = fc.constantFrom('^beli$', 'keranjang|cart', 'checkout', '^https://', 'Rp\\s?\\d+', 'shop', '^nav-');
const flags = fc.option(fc.constantFrom('i', 'u', 'is', 'im', 'ims'), { nil: undefined });
const signal = fc.oneof(
  fc.record(
    { kind: fc.constantFrom('text', 'link', 'page'), pattern: safePattern, flags },
    { requiredKeys: ['kind', 'pattern'] },
  ),
  fc.record({
    kind: fc.constant('attr'),
    name: fc.constantFrom('data-e2e', 'aria-label', 'href', 'title'),
    pattern: safePattern,
  }),
  fc.record({ kind: fc.constant('has'), selector: fc.constantFrom('a', 'svg', '[data-e2e]', 'img[alt]') }),
);
const rule = fc.record(
  {
    id: ruleId,
    platform: fc.constantFrom(...PLATFORM_IDS),
    feature: fc.constantFrom(...FEATURE_IDS),
    regulationIds: fc.constant([REGULATION]),
    selector: fc.constantFrom('button', 'a[href]', 'div', '[data-e2e]', 'script[type="application/json"]'),
    signals: fc.array(signal, { minLength: 1, maxLength: 4 }),
    require: fc.constantFrom('all', 'any', 1),
    exclude: fc.array(signal, { maxLength: 2 }),
    evidence: fc.constantFrom('label', 'link'),
  },
  { requiredKeys: ['id', 'platform', 'feature', 'regulationIds', 'selector'] },
);
/** A schema-valid pack (unique rule ids). */
const validPack = fc.record({
  name: fc.string({ minLength: 1, maxLength: 40 }),
  version: fc.constantFrom('1', '1.0.0', '2.3.4-beta.1'),
  engine: fc.constant(1),
  rules: fc.uniqueArray(rule, { minLength: 1, maxLength: 6, selector: (r) => r.id }),
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value, for picking a place to break. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: 'replace'; value: Json } | { kind: 'delete' } | { kind: 'unknown-key'; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('unknown-key' as const), key: fc.string({ minLength: 1, maxLength: 12 }) }),
);

function mutate(pack: Json, at: (string | number)[], m: Mutation): Json {
  const copy = structuredClone(pack);
  if (at.length === 0) return m.kind === 'replace' ? m.value : copy;
  const parent = at.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string], copy) as
    Record<string, Json> | Json[];
  const key = at[at.length - 1];
  if (m.kind === 'replace') (parent as Record<string, Json>)[key as string] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key as string];
  } else {
    const target = (parent as Record<string, Json>)[key as string];
    if (target && typeof target === 'object' && !Array.isArray(target) && !(m.key in target)) target[m.key] = 1;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('the schema and the import check on arbitrary input', () => {
  it('never throw on 10,000 arbitrary JSON values, and refuse non-packs clearly', () => {
    let slowest = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const { value: result, ms } = timed(() => checkPack(value));
        slowest = Math.max(slowest, ms);
        expect(ms).toBeLessThan(CASE_BUDGET_MS);
        expect(() => validate(RulePack, value)).not.toThrow();
        if (!result.ok) expectClearRefusal(result);
        else expect(RulePack.safeParse(value).success).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(slowest).toBeLessThan(CASE_BUDGET_MS);
  }, 120_000);

  it('never throw on 10,000 valid packs broken in one random place', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        validPack.chain((pack) =>
          fc.tuple(fc.constant(pack as unknown as Json), fc.constantFrom(...paths(pack as unknown as Json)), mutation),
        ),
        ([pack, at, m]) => {
          expect(checkPack(pack).ok).toBe(true); // the generator makes valid packs
          const broken = mutate(pack, at, m);
          const { value: result, ms } = timed(() => checkPack(broken));
          expect(ms).toBeLessThan(CASE_BUDGET_MS);
          if (!result.ok) {
            refused++;
            expectClearRefusal(result);
          }
          // Structural breakage is always refused: a key the schema does not know, a required key gone.
          const top = at.length === 0 ? null : at[0];
          if (
            m.kind === 'unknown-key' &&
            at.length > 0 &&
            broken !== null &&
            JSON.stringify(broken) !== JSON.stringify(pack)
          ) {
            expect(result.ok).toBe(false);
          }
          if (m.kind === 'delete' && at.length === 1 && ['name', 'version', 'engine', 'rules'].includes(String(top))) {
            expect(result.ok).toBe(false);
          }
        },
      ),
      { numRuns: 10_000 },
    );
    // Most random breakage must be caught (a replacement can by chance be valid again).
    expect(refused).toBeGreaterThan(5_000);
  }, 120_000);

  it('accept or refuse 2,000 arbitrary regular expressions without throwing, and what they accept runs fast', () => {
    // Patterns from an alphabet rich in what makes backtracking blow up: groups, alternatives,
    // quantifiers, overlapping classes.
    const token = fc.constantFrom(
      'a',
      'b',
      'ab',
      '.',
      '\\d',
      '\\w',
      '\\s',
      '[a-c]',
      '(',
      ')',
      '(?:',
      '|',
      '*',
      '+',
      '?',
      '{2,}',
      '{1,3}',
      '^',
      '$',
      '\\1',
      '(?=',
      'x',
    );
    const pattern = fc.array(token, { minLength: 1, maxLength: 14 }).map((t) => t.join(''));
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(pattern, fc.constantFrom('', 'i'), (source, f) => {
        let compiles = true;
        try {
          new RegExp(source, f);
        } catch {
          compiles = false;
        }
        const pack = {
          name: 'fuzz',
          version: '1',
          engine: 1,
          rules: [
            {
              id: 'fuzz.r',
              platform: 'tiktok',
              feature: 'cart',
              regulationIds: [REGULATION],
              selector: 'button',
              signals: [{ kind: 'text', pattern: source, ...(f ? { flags: f } : {}) }],
            },
          ],
        };
        const { value: result, ms } = timed(() => checkPack(pack));
        expect(ms).toBeLessThan(CASE_BUDGET_MS);
        if (!compiles) {
          expect(result.ok).toBe(false);
          return;
        }
        if (!result.ok) {
          refused++;
          expectClearRefusal(result);
          return;
        }
        accepted++;
        // What the check lets through must not backtrack badly on inputs built from its own pieces.
        const re = new RegExp(source, f);
        for (const input of [
          'a'.repeat(40) + '!',
          'ab'.repeat(20) + '!',
          '1'.repeat(40) + '!',
          ' '.repeat(40) + '!',
          'a1 '.repeat(14) + '!',
        ]) {
          const run = timed(() => re.exec(input));
          expect(run.ms, `/${source}/${f} on ${JSON.stringify(input)}`).toBeLessThan(100);
        }
      }),
      { numRuns: 2_000 },
    );
    // Both outcomes occur, so the property tests something on each side (each is a few hundred in
    // a typical run; most random token strings do not compile at all).
    expect(accepted).toBeGreaterThan(25);
    expect(refused).toBeGreaterThan(25);
  }, 120_000);
});

describe('imports of malformed packs', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  const deps = (): InstallDeps => ({
    version: '1.0.0',
    bundled: loadBundledPacks(),
    regulationIds: new Set(getRegulations().regulations.map((r) => r.id)),
  });

  it('always end with ok: false, a clear message, and nothing stored (1,000 imports)', async () => {
    const malformed = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).filter((v) => !RulePack.safeParse(v).success),
      fc.string({ maxLength: 200 }), // pasted text that is not a pack
      validPack.map((p) => ({ ...p, engine: 2 })),
      validPack.map((p) => ({ ...p, rules: p.rules.map((r) => ({ ...r, regulationIds: ['not-a-regulation'] })) })),
      validPack.map((p) => ({
        ...p,
        rules: [...p.rules, { ...p.rules[0], signals: [{ kind: 'text', pattern: '(a|ab)+$' }] }],
      })),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async (raw) => {
        const answer = await installPack(raw, deps());
        expectClearRefusal(answer as { ok: boolean; errors?: string[] });
        expect(await readStoredPacks()).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  }, 120_000);
});
