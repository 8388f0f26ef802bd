/**
 * The selector budget: user-pack selectors that would be slow in the browser's matcher are
 * refused at import with a message naming the rule; the bundled packs stay within it.
 */
import { describe, expect, it } from 'vitest';
import { checkPack, MAX_RULES_PER_SELECTOR } from '@/lib/pack-check';
import { MAX_COMPOUND_PARTS, MAX_DESCENDANT_STEPS, selectorProblems } from '@/lib/selector-budget';
import { loadBundledPacks } from '@/utils/bundled-rules';

const rule = (id: string, patch: Record<string, unknown> = {}) => ({
  id,
  platform: 'tiktok',
  feature: 'buy-button',
  regulationIds: ['permendag-31-2023-pasal-21-3'],
  selector: 'button',
  signals: [{ kind: 'text', pattern: '^beli$', flags: 'i' }],
  ...patch,
});
const pack = (rules: unknown[]) => ({ name: 'toko-saya', version: '1.0.0', engine: 1, rules });
const errorsOf = (raw: unknown) => {
  const result = checkPack(raw);
  return result.ok ? [] : result.errors;
};

describe('selectorProblems', () => {
  it.each([
    ['a:has(b:has(c))', /:has\(\) inside :has\(\)/],
    [':has(:is(a:has(b)))', /:has\(\) inside :has\(\)/],
    ['a:has(b), c:has(d), e:has(f)', /3 :has\(\)/],
    ['li:nth-last-child(2)', /nth-last-child/],
    ['li:NTH-LAST-OF-TYPE(odd)', /nth-last-of-type/],
    [Array.from({ length: MAX_DESCENDANT_STEPS + 2 }, () => 'div').join(' '), /descendant combinators/],
    [':is(:not(:is(:not(a))))', /nested more than/],
    ['a' + '.c'.repeat(MAX_COMPOUND_PARTS), /compound of more than/],
  ])('refuses %s', (selector, message) => {
    expect(selectorProblems(selector).join('; ')).toMatch(message);
  });

  it.each([
    "[data-e2e='nav-shop'], a[href]",
    'a > b > c > d > e > f > g',
    "a[href*='a b c d e f g h']",
    'div:has(> a[href*="shopee"])',
    'ytd-merch-shelf-renderer, ytd-product-list-renderer',
    "button[aria-label='a:has(b:has(c))']",
    'li:nth-child(2n+1)',
  ])('accepts %s', (selector) => {
    expect(selectorProblems(selector)).toEqual([]);
  });

  it('passes every bundled selector', () => {
    for (const p of loadBundledPacks()) {
      for (const r of p.rules) {
        const has = [...r.signals, ...r.exclude].flatMap((s) => (s.kind === 'has' ? [s.selector] : []));
        for (const selector of [r.selector, ...has])
          expect(selectorProblems(selector), `${r.id}: ${selector}`).toEqual([]);
      }
    }
  });
});

describe('checkPack and the selector budget', () => {
  it('names the rule and the place of a slow candidate or has selector', () => {
    const errors = errorsOf(
      pack([
        rule('toko.lambat', { selector: 'div:has(a:has(b))' }),
        rule('toko.has', { signals: [{ kind: 'has', selector: 'li:nth-last-child(1)' }] }),
      ]),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /rule "toko\.lambat" \$\.rules\[0\]\.selector: selector "div:has\(a:has\(b\)\)" is too slow/,
      ),
      expect.stringMatching(/rule "toko\.has" \$\.rules\[1\]\.signals\[0\]\.selector: .*nth-last-child/),
    ]);
  });

  it(`refuses more than ${MAX_RULES_PER_SELECTOR} rules on one selector, once`, () => {
    const many = Array.from({ length: MAX_RULES_PER_SELECTOR + 5 }, (_, i) => rule(`toko.r${i}`));
    const errors = errorsOf(pack(many));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`more than ${MAX_RULES_PER_SELECTOR} rules share the selector "button"`));
    expect(errorsOf(pack(many.slice(0, MAX_RULES_PER_SELECTOR)))).toEqual([]);
  });
});
