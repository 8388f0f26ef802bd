/**
 * The content script's guard for tab messages (utils/tab-messages.ts) must accept exactly what
 * the zod schema of the same message (utils/messages.ts) accepts: one schema, two readers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HighlightReveal } from '@/utils/messages';
import { isHighlightReveal } from '@/utils/tab-messages';

const same = (value: unknown) => isHighlightReveal(value) === HighlightReveal.safeParse(value).success;
const agree = (value: unknown) => expect(isHighlightReveal(value)).toBe(HighlightReveal.safeParse(value).success);

describe('isHighlightReveal', () => {
  it.each([
    { type: 'highlight:reveal', ruleId: 'tiktok.buy-button' },
    { type: 'highlight:reveal', ruleId: '' },
    { type: 'highlight:reveal' },
    { type: 'highlight:reveal', ruleId: 3 },
    { type: 'highlight:reveal', ruleId: 'a', extra: true },
    { type: 'detections:get', ruleId: 'a' },
    { ruleId: 'a' },
    ['highlight:reveal', 'a'],
    Object.assign(Object.create({ type: 'highlight:reveal' }), { ruleId: 'a' }),
    null,
    undefined,
    'highlight:reveal',
    42,
  ])('agrees with the schema on %j', (value) => {
    agree(value);
  });

  it('accepts the message the popup sends', () => {
    expect(isHighlightReveal({ type: 'highlight:reveal', ruleId: 'youtube.product-tag' })).toBe(true);
  });

  it('agrees with the schema on random objects near the message', () => {
    const near = fc.record(
      {
        type: fc.oneof(fc.constant('highlight:reveal'), fc.string(), fc.integer()),
        ruleId: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined)),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(near, fc.anything()), same), { numRuns: 2000 });
  });
});
