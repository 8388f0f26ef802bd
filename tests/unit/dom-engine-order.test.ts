/**
 * The scanner's linkedom DOM must put nodes in document order the way a browser does: the engine
 * orders a rule's hits with compareDocumentPosition, and the first hit's evidence is reported.
 */
import { DOMParser } from 'linkedom';
import { expect, it } from 'vitest';
import { DomEngine } from '@/scripts/scan/dom-engine';

it('orders nodes in different parents, siblings and nested nodes as a browser does', () => {
  new DomEngine([], 'linkedom');
  const doc = new DOMParser().parseFromString(
    '<div><p id="a"></p></div><p id="b"></p><section><i id="c"></i></section>',
    'text/html',
  ) as unknown as Document;
  const [a, b, c] = ['a', 'b', 'c'].map((id) => doc.getElementById(id)!);
  const FOLLOWING = 4;
  const PRECEDING = 2;
  expect(a.compareDocumentPosition(b) & FOLLOWING).toBe(FOLLOWING);
  expect(b.compareDocumentPosition(a) & PRECEDING).toBe(PRECEDING);
  expect(b.compareDocumentPosition(c) & FOLLOWING).toBe(FOLLOWING);
  expect(c.compareDocumentPosition(a) & PRECEDING).toBe(PRECEDING);
  expect(a.parentElement!.compareDocumentPosition(a)).toBe(16 | FOLLOWING);
});
