import { describe, expect, it } from 'vitest';
import { domSelectorCheck, compilePacks, summarize } from '@/lib/engine';
import { bareSubject } from '@/lib/engine/selectors';
import { RulePack, type RulePackInput } from '@/rules/schema';
import { productName } from '@/lib/product-query';

function engineFor(rules: RulePackInput['rules'], extra: Partial<RulePackInput> = {}) {
  const pack = RulePack.parse({
    name: 'test',
    version: '1.0.0',
    engine: 1,
    platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
    redirectors: [{ host: 'l.facebook.com', param: 'u' }],
    rules,
    ...extra,
  });
  return compilePacks([pack]);
}

function docOf(html: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = html;
  return doc;
}

const base = { platform: 'tiktok' as const, regulationIds: ['r'] };

describe('RuleEngine', () => {
  it('maps hosts to platforms by suffix and ignores other sites', () => {
    const engine = engineFor([{ ...base, id: 'a', feature: 'cart', selector: 'button' }]);
    expect(engine.platformForUrl('https://www.tiktok.com/@a')).toBe('tiktok');
    expect(engine.platformForUrl('https://tiktok.com/')).toBe('tiktok');
    expect(engine.platformForUrl('https://nottiktok.com/')).toBeNull();
    expect(engine.platformForUrl('not a url')).toBeNull();
    expect(engine.forPage('https://example.com/')).toBeNull();
  });

  it('requires all signals by default and any one with require "any"', () => {
    const engine = engineFor([
      {
        ...base,
        id: 'all',
        feature: 'buy-button',
        selector: 'button',
        signals: [
          { kind: 'text', pattern: 'beli', flags: 'i' },
          { kind: 'attr', name: 'data-e2e', pattern: 'buy' },
        ],
      },
      {
        ...base,
        id: 'any',
        feature: 'cart',
        selector: 'button',
        require: 'any',
        signals: [
          { kind: 'text', pattern: 'keranjang', flags: 'i' },
          { kind: 'attr', name: 'data-e2e', pattern: 'cart' },
        ],
      },
    ]);
    const doc = docOf(`
      <button data-e2e="buy">Beli sekarang</button>
      <button>Beli</button>
      <button data-e2e="cart-icon"></button>
      <button>Keranjang</button>`);
    const found = summarize(engine.forPage('https://www.tiktok.com/x')!.scan(doc));
    expect(found.map((d) => [d.ruleId, d.count])).toEqual([
      ['all', 1],
      ['any', 2],
    ]);
    expect(found[0]).toMatchObject({ feature: 'buy-button', category: 'transaction', evidence: 'Beli sekarang' });
  });

  it('supports a minimum number of signals and exclusions', () => {
    const engine = engineFor([
      {
        ...base,
        id: 'two',
        feature: 'checkout',
        selector: 'div',
        require: 2,
        signals: [
          { kind: 'text', pattern: 'checkout', flags: 'i' },
          { kind: 'has', selector: 'button' },
          { kind: 'link', pattern: '/checkout' },
        ],
        exclude: [{ kind: 'text', pattern: 'berita', flags: 'i' }],
      },
    ]);
    const doc = docOf(`
      <div id="a">Checkout <button>Go</button></div>
      <section><div id="b">Checkout only text</div></section>
      <section><div id="c">Berita: checkout <button>x</button></div></section>`);
    const hits = engine.forPage('https://www.tiktok.com/')!.scan(doc);
    expect(hits.map((h) => h.element.id)).toEqual(['a']);
  });

  it('reads links around, inside and through redirectors', () => {
    const engine = engineFor([
      {
        ...base,
        id: 'mp',
        feature: 'marketplace-link',
        selector: 'a[href], div.card',
        evidence: 'link',
        signals: [{ kind: 'link', pattern: '^https://(www\\.)?tokopedia\\.com/' }],
      },
    ]);
    const doc = docOf(`
      <a href="https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.tokopedia.com%2Fshop%2Fitem">Lihat</a>
      <a href="https://example.com/">Other</a>`);
    const found = summarize(engine.forPage('https://www.tiktok.com/')!.scan(doc));
    expect(found).toHaveLength(1);
    expect(found[0].evidence).toBe('tokopedia.com/…');
  });

  it("resolves relative links against the page URL, whatever the DOM's own origin", () => {
    const engine = engineFor([
      {
        ...base,
        id: 'shop',
        feature: 'shop-tab',
        selector: 'a[href]',
        evidence: 'link',
        signals: [{ kind: 'link', pattern: '^https://www\\.tiktok\\.com/shop$' }],
      },
    ]);
    const doc = docOf('<a href="/shop">Shop</a><a href="https://example.com/shop">x</a>');
    const [d] = summarize(engine.forPage('https://www.tiktok.com/@seller')!.scan(doc));
    expect(d).toMatchObject({ ruleId: 'shop', count: 1, evidence: 'tiktok.com/shop' });
  });

  it('scans a subtree, counts a nested match once, and honours page patterns', () => {
    const engine = engineFor([
      {
        ...base,
        id: 'anchor',
        feature: 'product-tag',
        selector: "[class*='EcomAnchor']",
        signals: [{ kind: 'text', pattern: '^Shop \\|' }],
      },
      { ...base, id: 'pdp', feature: 'product-page', selector: 'h1', page: { pattern: '/pdp/' } },
    ]);
    const doc = docOf(`
      <div id="feed"><div class="DivEcomAnchorContainer-x"><div class="DivEcomAnchorMobile-y">Shop | Batik</div></div></div>
      <h1>Title</h1>`);
    const feed = doc.getElementById('feed')!;
    const onVideo = engine.forPage('https://www.tiktok.com/@a/video/1')!;
    expect(onVideo.rules.map((r) => r.rule.id)).toEqual(['anchor']);
    expect(summarize(onVideo.scan(feed))).toMatchObject([{ ruleId: 'anchor', count: 1, evidence: 'Shop | Batik' }]);
    expect(onVideo.scan(feed.firstElementChild!)).toHaveLength(1);
    const onPdp = engine.forPage('https://www.tiktok.com/shop/id/pdp/batik/1')!;
    expect(summarize(onPdp.scan(doc)).map((d) => d.ruleId)).toEqual(['anchor', 'pdp']);
  });

  it('caps evidence at 120 characters around the matched text', () => {
    const engine = engineFor([
      { ...base, id: 'long', feature: 'cart', selector: 'p', signals: [{ kind: 'text', pattern: 'keranjang' }] },
    ]);
    const doc = docOf(`<p>${'kata '.repeat(50)}keranjang ${'lagi '.repeat(50)}</p>`);
    const [d] = summarize(engine.forPage('https://www.tiktok.com/')!.scan(doc));
    expect(d.evidence.length).toBeLessThanOrEqual(120);
    expect(d.evidence).toContain('keranjang');
  });

  describe('evidence is the feature, never its surroundings', () => {
    const page = 'https://www.tiktok.com/view/fe_tiktok_ecommerce_in_web/order_submit/index.html';
    const html = `<div class="order">
        <h1>Checkout</h1>
        <p>Budi Santoso · 0812-3456-7890 · budi.santoso@gmail.com</p>
        <p>Jl. Slamet Riyadi No. 10, Surakarta</p>
        <label>Nama penerima <input value="Budi Santoso"></label>
        <button>Bayar · Budi Santoso</button>
        <button>Buat pesanan</button>
      </div>
      <script type="application/json">{"anchors":[{"type":33,"buyer":"Budi Santoso"}]}</script>`;
    const run = (rule: Partial<RulePackInput['rules'][number]>) => {
      const engine = engineFor([{ ...base, id: 'r', feature: 'checkout', selector: 'div.order', ...rule }]);
      return summarize(engine.forPage(page)!.scan(docOf(html)))[0]?.evidence;
    };

    it('a container reports its heading, or the feature when it has none', () => {
      expect(run({ heading: 'h1' })).toBe('Checkout');
      expect(run({})).toBe('feature: checkout');
      expect(run({ evidenceText: 'checkout page' })).toBe('checkout page');
    });

    it('a long label shows the part the text pattern matched', () => {
      expect(run({ signals: [{ kind: 'text', pattern: 'Buat pesanan' }] })).toBe('Buat pesanan');
    });

    it('page data is never quoted', () => {
      expect(run({ selector: 'script', signals: [{ kind: 'text', pattern: '"anchors"' }] })).toBe(
        'page data: checkout',
      );
      expect(
        run({
          selector: 'script',
          evidenceText: 'page data: order',
          signals: [{ kind: 'text', pattern: '"anchors"' }],
        }),
      ).toBe('page data: order');
    });

    it('a short label is shown whole, without what is personal in it; a mostly personal one not at all', () => {
      expect(run({ selector: 'button', signals: [{ kind: 'text', pattern: '^Bayar' }] })).toBe('Bayar · Budi Santoso');
      expect(run({ selector: 'p', signals: [{ kind: 'text', pattern: '0812' }] })).toBe('feature: checkout');
    });
  });

  it('reads a product name only where the rule says, and only for offers', () => {
    const html = `<a class="card" href="/shop/id/pdp/x/1"><span class="name">Kemeja Batik Parang</span>
      <span>Rp189.000</span> <span>4.9 ★</span></a>`;
    const rule = { ...base, id: 'p', feature: 'product-tag' as const, selector: 'a.card', signals: [] };
    const productOf = (extra: object) => {
      const engine = engineFor([{ ...rule, ...extra }]);
      return summarize(engine.forPage('https://www.tiktok.com/@a/video/1')!.scan(docOf(html)))[0].product;
    };
    expect(productOf({})).toBeUndefined();
    expect(productOf({ product: { selector: '.name' } })).toBe('Kemeja Batik Parang');
    // The card's whole label: the page side reads the title, the background's gate names it.
    const title = productOf({ product: {} });
    expect(title).toMatch(/^Kemeja Batik Parang\b.*Rp189\.000/);
    expect(productName(title!)).toBe('Kemeja Batik Parang');
    expect(() => engineFor([{ ...rule, feature: 'checkout', product: {} }])).toThrow(/offer features/);
  });

  it.each([' 0', 'r{hedIa/:>', 'button, 0'])(
    'drops a rule whose selector %j fails in any part, and still scans',
    (selector) => {
      const engine = compilePacks(
        [
          RulePack.parse({
            name: 't',
            version: '1',
            engine: 1,
            platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
            rules: [
              { ...base, id: 'bad', feature: 'cart', selector },
              { ...base, id: 'good', feature: 'cart', selector: 'button' },
            ],
          }),
        ],
        { checkSelector: domSelectorCheck(document) },
      );
      expect(engine.problems.map((p) => p.ruleId)).toEqual(['bad']);
      const doc = docOf('<main><a href="/shop">Shop</a><button>Beli</button></main>');
      expect(summarize(engine.forPage('https://www.tiktok.com/')!.scan(doc)).map((d) => d.ruleId)).toEqual(['good']);
    },
  );

  it('reports a rule it cannot compile instead of throwing', () => {
    const engine = compilePacks(
      [
        RulePack.parse({
          name: 't',
          version: '1',
          engine: 1,
          rules: [{ ...base, id: 'bad', feature: 'cart', selector: 'a[' }],
        }),
      ],
      { checkSelector: (s) => void document.createDocumentFragment().querySelector(s) },
    );
    expect(engine.rules).toHaveLength(0);
    expect(engine.problems).toEqual([{ ruleId: 'bad', message: expect.any(String) }]);
  });
});

describe('what a page matcher can tell without the selector engine', () => {
  const matcherFor = (selector: string, signals: RulePackInput['rules'][number]['signals']) =>
    compilePacks([
      RulePack.parse({
        name: 't',
        version: '1',
        engine: 1,
        platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
        rules: [{ ...base, id: 'r', feature: 'cart', selector, signals }],
      }),
    ]).forPage('https://www.tiktok.com/')!;
  const el = (html: string) => {
    const box = document.createElement('div');
    box.innerHTML = html;
    return box.firstElementChild!;
  };

  it.each([
    ['button', 'button'],
    ['a[href]', false],
    ["[data-e2e='x']", false],
    ['div.x', false],
    ['#id', false],
    ['a:not([href])', 'a'],
    ['li > a', 'a'],
    ["div[class*='x' i] span", 'span'],
    ['*', null],
    [':is(a, b)', null],
  ])('bareSubject(%s) is %s', (part, expected) => {
    expect(bareSubject(part)).toBe(expected);
  });

  it('skips bare elements that no candidate selector can match, and only those', () => {
    const m = matcherFor("button, a[href], [data-e2e='x']", [{ kind: 'text', pattern: 'x' }]);
    expect(m.mayMatch(el('<i></i>'))).toBe(false);
    expect(m.mayMatch(el('<span></span>'))).toBe(false);
    expect(m.mayMatch(el('<button></button>'))).toBe(true);
    expect(m.mayMatch(el('<i class="c"></i>'))).toBe(true);
    // With a part that anything may match, nothing is skipped.
    expect(matcherFor('button, :is(span, p)', [{ kind: 'text', pattern: 'x' }]).mayMatch(el('<i></i>'))).toBe(true);
  });

  it('lists the attributes its rules read, except class and style', () => {
    const m = matcherFor("a[href][role='link'], [class*='Ecom']", [
      { kind: 'attr', name: 'data-e2e', pattern: 'x' },
      { kind: 'attr', name: 'class', pattern: 'x' },
      { kind: 'has', selector: "[data-test-id='pin']" },
    ]);
    expect(m.attributes).toEqual(['data-e2e', 'data-test-id', 'href', 'role']);
  });
});
