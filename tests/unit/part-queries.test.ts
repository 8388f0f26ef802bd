/**
 * PartQueries finds each group's candidates with one query per set of groups, pooling the
 * queries that find little: whatever it pools, every group gets exactly the elements its own
 * selector would find.
 */
import { describe, expect, it } from 'vitest';
import { ElementMap } from '@/lib/engine/element-map';
import { MAX_QUERY_GROUPS, PartQueries, type QueryGroup } from '@/lib/engine/part-queries';
import { insideOf, splitSelectorList } from '@/lib/engine/selectors';

function group(selector: string): QueryGroup & { selector: string } {
  const parts = splitSelectorList(selector).map((part) => ({ selector: part, inside: insideOf(part) }));
  return { selector, parts };
}

/** What `querySelectorAll` plus `root.matches` give each group, as sorted ids. */
function expected(groups: readonly { selector: string }[], root: Element): string[][] {
  return groups.map((g) =>
    [...(root.matches(g.selector) ? [root] : []), ...root.querySelectorAll(g.selector)].map((el) => el.id).sort(),
  );
}

function actual(queries: PartQueries, count: number, root: Element): string[][] {
  const out: string[][] = Array.from({ length: count }, () => []);
  const found = queries.find(root, root);
  found.keys.forEach((el, f) => {
    for (let i = 0; i < count; i++) if (found.values[f] & (1 << i)) out[i].push(el.id);
  });
  return out.map((ids) => ids.sort());
}

function post(i: number, shop: boolean): string {
  return `<article id="p${i}" class="post">
    <a id="a${i}" href="/@u${i}">u${i}</a><a id="c${i}" href="/tag/x">#x</a><button id="b${i}">Suka</button>
    ${shop ? `<div id="s${i}" class="ProductCard"><span id="t${i}">Beli</span><i id="i${i}" data-cart="1"></i></div>` : ''}
  </article>`;
}

describe('PartQueries', () => {
  const groups = [
    group('a[href], button'),
    group('button, [data-cart]'),
    group('[class*="Product"] *, a[href]'),
    group('[data-e2e="never"]'),
  ];

  it('gives every group the elements its own selector finds, before and after it learns', () => {
    document.body.innerHTML = `<main id="feed">${Array.from({ length: 40 }, (_, i) => post(i, i % 7 === 0)).join('')}</main>`;
    const queries = new PartQueries(groups);
    // The first scans run everything pooled; by the last, the frequent queries run alone.
    for (const root of document.querySelectorAll('article')) {
      expect(actual(queries, groups.length, root)).toEqual(expected(groups, root));
    }
    const feed = document.getElementById('feed')!;
    expect(actual(queries, groups.length, feed)).toEqual(expected(groups, feed));
  });

  it('lists an element once per group when two of its queries and nested A’s find it', () => {
    document.body.innerHTML = `<div id="r"><div id="o" class="Product"><div id="n" class="Product">
      <button id="b" data-cart="1"></button><a id="a" href="/x"></a></div></div></div>`;
    const root = document.getElementById('r')!;
    const found = new PartQueries(groups).find(root, root);
    expect(found.get(document.getElementById('b')!)).toBe(0b111);
    expect(found.get(document.getElementById('a')!)).toBe(0b101);
    expect(actual(new PartQueries(groups), groups.length, root)).toEqual(expected(groups, root));
  });

  it('takes the whole root when an element above it is an A', () => {
    document.body.innerHTML = `<div class="ProductList"><section id="r"><p id="x"><b id="y"></b></p></section></div>`;
    const root = document.getElementById('r')!;
    const found = new PartQueries([group('[class*="Product"] *')]).find(root, root);
    expect(found.keys.map((el) => el.id).sort()).toEqual(['r', 'x', 'y']);
  });

  it('finds nothing for a selector this DOM rejects, and the rest as before', () => {
    document.body.innerHTML = `<div id="r"><button id="b"></button><a id="a" href="/x"></a></div>`;
    const root = document.getElementById('r')!;
    // Rejected by every DOM; the compile-time check normally keeps such selectors out.
    const bad = { selector: 'x', parts: [{ selector: 'a:unknown-pseudo(1)', inside: null }] };
    const found = new PartQueries([group('button'), bad, group('a[href]')]).find(root, root);
    expect(found.get(document.getElementById('b')!)).toBe(0b001);
    expect(found.get(document.getElementById('a')!)).toBe(0b100);
  });

  it('refuses more groups than a mask holds', () => {
    const many = Array.from({ length: MAX_QUERY_GROUPS + 1 }, (_, i) => group(`.g${i}`));
    expect(() => new PartQueries(many)).toThrow(/at most/);
  });
});

describe('ElementMap', () => {
  it('keeps one entry per element, in the order first set, small or large', () => {
    document.body.innerHTML = Array.from({ length: 200 }, (_, i) => `<p id="p${i}"></p>`).join('');
    const els = [...document.querySelectorAll('p')];
    for (const n of [3, 64, 65, 200]) {
      const map = new ElementMap<number>();
      for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) map.set(els[i], (map.get(els[i]) ?? 0) + 1);
      expect(map.keys).toHaveLength(n);
      expect(map.keys).toEqual(els.slice(0, n));
      expect(map.values.every((v) => v === 2)).toBe(true);
      expect(map.get(els[n - 1])).toBe(2);
      expect(map.get(els[199])).toBe(n === 200 ? 2 : undefined);
    }
  });
});
