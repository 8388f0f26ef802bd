/**
 * What keeps hostile shapes cheap without changing what is found: the tree walk answers `A *`
 * from its own path instead of letting the selector engine climb every ancestor, and attribute
 * values are read at most MAX_ATTRIBUTE_CHARS long.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TreeWalk } from '@/entrypoints/content/tree-walk';
import { compilePacks, labelOf, summarize, type Hit } from '@/lib/engine';
import { attributeOf, MAX_ATTRIBUTE_CHARS } from '@/lib/engine/text';
import { RulePack } from '@/rules/schema';

const pack = RulePack.parse({
  name: 't',
  version: '1',
  engine: 1,
  platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
  rules: [
    {
      id: 'inside',
      platform: 'tiktok',
      feature: 'product-tag',
      regulationIds: ['r'],
      selector: '[data-card] *, b.tag',
      signals: [{ kind: 'text', pattern: '^Beli' }],
    },
    {
      id: 'attr',
      platform: 'tiktok',
      feature: 'buy-button',
      regulationIds: ['r'],
      selector: 'a[data-x]',
      signals: [{ kind: 'attr', name: 'data-x', pattern: 'buy' }],
    },
  ],
});
const matcher = () => compilePacks([pack]).forPage('https://www.tiktok.com/')!;

function walkAll(root: Element): Hit[] {
  const hits: Hit[] = [];
  const walk = new TreeWalk(root);
  while (!walk.step(matcher(), () => true, hits));
  return hits;
}

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

/** Counts `matches` calls whose selector has an `A *` part (each climbs every ancestor). */
function countClimbs(): () => number {
  const { matches } = Element.prototype;
  let climbs = 0;
  Element.prototype.matches = function (this: Element, s: string) {
    if (/\s\*(,|$)/.test(s)) climbs++;
    return matches.call(this, s);
  };
  restore = () => (Element.prototype.matches = matches);
  return () => climbs;
}

function chain(doc: Document, depth: number, top: Element): Element {
  let node = top;
  for (let i = 0; i < depth; i++) node = node.appendChild(doc.createElement('div'));
  return node;
}

describe('the walk over deep and wide trees', () => {
  it('finds in 1,000-deep chains what one native scan finds', () => {
    const doc = document.implementation.createHTMLDocument('t');
    const card = doc.body.appendChild(doc.createElement('section'));
    card.setAttribute('data-card', '');
    chain(doc, 1000, card).appendChild(doc.createElement('span')).textContent = 'Beli sekarang';
    const outside = chain(doc, 1000, doc.body.appendChild(doc.createElement('div')));
    outside.appendChild(doc.createElement('span')).textContent = 'Beli juga';
    outside.appendChild(doc.createElement('b')).className = 'tag';
    (outside.lastElementChild as HTMLElement).textContent = 'Beli tag';
    const walked = summarize(walkAll(doc.documentElement));
    expect(walked).toEqual(summarize(matcher().scan(doc.documentElement)));
    expect(walked.map((d) => [d.ruleId, d.count])).toEqual([['inside', 2]]); // the span in the card, the b.tag
  });

  it('walks a 1,000-deep chain outside every A without asking the engine to climb per element', () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.appendChild(doc.createElement('section')).setAttribute('data-card', '');
    const bottom = chain(doc, 1000, doc.body.appendChild(doc.createElement('div')));
    bottom.appendChild(doc.createElement('b')).className = 'tag';
    (bottom.lastElementChild as HTMLElement).textContent = 'Beli tag';
    const climbs = countClimbs();
    expect(summarize(walkAll(doc.documentElement)).map((d) => d.ruleId)).toEqual(['inside']);
    // Only the one candidate asks about its rules (`b.tag` and `[data-card] *` in one group).
    expect(climbs()).toBeLessThan(5);
  });

  it('finds the same in 20,000 siblings, one of them a candidate inside an A', () => {
    const doc = document.implementation.createHTMLDocument('t');
    const list = doc.body.appendChild(doc.createElement('ul'));
    list.setAttribute('data-card', '');
    for (let i = 0; i < 20_000; i++) list.appendChild(doc.createElement('i'));
    list.appendChild(doc.createElement('li')).textContent = 'Beli di sini';
    const walked = summarize(walkAll(doc.documentElement));
    expect(walked).toEqual(summarize(matcher().scan(doc.documentElement)));
    expect(walked.map((d) => d.ruleId)).toEqual(['inside']);
  });
});

describe('attribute reads are capped', () => {
  it('reads at most MAX_ATTRIBUTE_CHARS of a value: labels, attr signals and links', () => {
    const doc = document.implementation.createHTMLDocument('t');
    const big = 'x'.repeat(1 << 20);
    const a = doc.body.appendChild(doc.createElement('a'));
    a.setAttribute('aria-label', `Beli ${big}`);
    a.setAttribute('data-x', `buy ${big}`);
    a.setAttribute('href', `https://shop-id.tokopedia.com/view/product/${big}`);
    expect(attributeOf(a, 'aria-label')).toHaveLength(MAX_ATTRIBUTE_CHARS);
    expect(labelOf(a).length).toBeLessThanOrEqual(300);
    const [d] = summarize(matcher().scan(doc.body));
    expect(d).toMatchObject({ ruleId: 'attr' });
    expect(d.evidence.length).toBeLessThanOrEqual(120);
    // What lies beyond the cap is not read: a pattern that needs it does not match.
    a.setAttribute('data-x', `${big}buy`);
    expect(summarize(matcher().scan(doc.body))).toEqual([]);
  });
});
