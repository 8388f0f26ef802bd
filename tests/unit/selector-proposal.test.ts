import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePacks, summarize } from '@/lib/engine';
import { checkPack } from '@/lib/pack-check';
import { isHashedClass, proposeRule, proposeSelector } from '@/lib/selector-proposal';
import { RulePack, type RulePackInput } from '@/rules/schema';
import { personalDataIn } from '../helpers/personal-data';

const PAGE = 'https://www.tiktok.com/@toko.batik';

function docOf(html: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = html;
  return doc;
}

/** A pack with one rule made from a proposal for `el`, checked as an import is. */
function packFor(el: Element, url = PAGE): RulePackInput {
  const proposal = proposeRule(el, url);
  return {
    name: 'picked',
    version: '1.0.0',
    engine: 1,
    platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
    rules: [
      {
        id: 'picked.one',
        platform: 'tiktok',
        feature: 'marketplace-link',
        regulationIds: ['r'],
        selector: proposal.selector,
        signals: proposal.signals,
        evidence: proposal.evidence,
      },
    ],
  };
}

function hitsOf(pack: RulePackInput, doc: Document, url = PAGE): Element[] {
  const matcher = compilePacks([RulePack.parse(pack)]).forPage(url)!;
  return matcher.scan(doc.body).map((h) => h.element);
}

describe('isHashedClass', () => {
  it('spots class names a build tool generated', () => {
    for (const name of [
      'css-1x2y3z',
      'e1abc2de0',
      '_3xk9Q',
      'x1lliihq',
      'sc-bdVaJa',
      'tiktok-1abc2de-DivWrapper',
      'makeStyles-root-12a',
      '1col',
      'jsx-3214567890',
    ]) {
      expect(isHashedClass(name), name).toBe(true);
    }
  });

  it('keeps names people wrote', () => {
    for (const name of [
      'ytd-merch-shelf-renderer',
      'ProductCardTitle',
      'DivShopTab',
      'buy-now',
      'col-md-6',
      'style-scope',
      'btn_primary',
      'h1',
      'iPhone',
    ]) {
      expect(isHashedClass(name), name).toBe(false);
    }
  });
});

describe('proposeSelector', () => {
  it('uses data attributes, role and aria-label, never hashed classes', () => {
    const doc = docOf('<div class="css-1x2y3z DivShopTab" data-e2e="shop-tab" role="tab" aria-label="Toko">Toko</div>');
    const el = doc.querySelector('div')!;
    expect(proposeSelector(el, PAGE)).toBe('div[data-e2e="shop-tab"][role="tab"]');
    expect(proposeSelector(el, PAGE)).not.toContain('css-1x2y3z');
  });

  it('names a link to another site by its host only, and on the own site by its path words', () => {
    const doc = docOf(
      '<a class="e1abc2de0" href="https://shop-id.tokopedia.com/budisantoso/123">Toko</a>' +
        '<a class="e1abc2de0" href="/view/product/1729384756001234567">Produk</a>',
    );
    const [out, own] = doc.querySelectorAll('a');
    expect(proposeSelector(out, PAGE)).toBe('a[href*="shop-id.tokopedia.com"]');
    expect(proposeSelector(own, PAGE)).toBe('a[href*="/view/product/"]');
  });

  it('anchors an element with nothing stable of its own to the nearest stable ancestor', () => {
    const doc = docOf(
      '<section data-e2e="buy-panel"><div class="x1a2b3c"><button class="_3xk9Q">Beli</button></div></section>',
    );
    expect(proposeSelector(doc.querySelector('button')!, PAGE)).toBe('section[data-e2e="buy-panel"] button');
  });

  it('leaves out values that change or hold personal data', () => {
    const doc = docOf(
      '<span data-id="88123" data-index="3" data-user="Siti Nurhaliza · 0812-3456-7890" data-e2e="buyer-phone" ' +
        'aria-label="Penerima: Siti" data-e2e-kind="cart-icon">x</span>',
    );
    const selector = proposeSelector(doc.querySelector('span')!, PAGE);
    expect(selector).toBe('span[data-e2e-kind="cart-icon"]');
  });

  it('makes a more specific selector for an exclusion: more parts and an anchor', () => {
    const doc = docOf(
      '<div data-e2e="user-bio"><a data-e2e="bio-link" role="link" href="https://shopee.co.id/x">shopee.co.id/x</a></div>',
    );
    expect(proposeSelector(doc.querySelector('a')!, PAGE, true)).toBe(
      'div[data-e2e="user-bio"] a[data-e2e="bio-link"][href*="shopee.co.id"][role="link"]',
    );
  });
});

describe('proposeRule', () => {
  it('pairs the selector with a link signal for a link, which finds that link and its kind only', () => {
    const doc = docOf(
      '<a data-e2e="bio-link" href="https://shop-id.tokopedia.com/toko-a">Toko A</a>' +
        '<a data-e2e="bio-link" href="https://shop-id.tokopedia.com/toko-b">Toko B</a>' +
        '<a data-e2e="bio-link" href="https://example.com/blog">Blog</a>',
    );
    const first = doc.querySelector('a')!;
    const pack = packFor(first);
    expect(pack.rules[0].signals).toEqual([
      { kind: 'link', pattern: '^https?://(?:www\\.)?shop-id\\.tokopedia\\.com(?:[/?#]|$)', flags: 'i' },
    ]);
    expect(checkPack(pack, { file: 'pack' })).toMatchObject({ ok: true });
    expect(hitsOf(pack, doc).map((a) => a.textContent)).toEqual(['Toko A', 'Toko B']);
    // The evidence is the link's shape: no shop name.
    expect(
      summarize(
        compilePacks([RulePack.parse(pack)])
          .forPage(PAGE)!
          .scan(doc.body),
      )[0].evidence,
    ).toBe('shop-id.tokopedia.com/…');
  });

  it('pairs it with a label signal otherwise: its first words, up to a count', () => {
    const doc = docOf(
      '<div role="button" data-e2e="basket">Keranjang belanja 2</div><div role="button" data-e2e="basket">Keranjang belanja 5</div>' +
        '<div role="button" data-e2e="basket">Favorit</div>',
    );
    const pack = packFor(doc.querySelector('div')!);
    expect(pack.rules[0].signals).toEqual([{ kind: 'text', pattern: '^Keranjang belanja(?:\\s|$)', flags: 'i' }]);
    expect(checkPack(pack, { file: 'pack' })).toMatchObject({ ok: true });
    expect(hitsOf(pack, doc)).toHaveLength(2);
  });

  it("quotes nothing of a checkout page full of a buyer's details, and every proposal passes the import check", () => {
    const html = readFileSync('tests/fixtures/tiktok/checkout-personal-data.html', 'utf8');
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const url = 'https://www.tiktok.com/view/fe_tiktok_ecommerce_in_web/order_submit/index.html';
    const elements = [...doc.body.querySelectorAll('*')].filter((el) => el.localName !== 'script');
    expect(elements.length).toBeGreaterThan(30);
    let withText = 0;
    for (const el of elements) {
      const proposal = proposeRule(el, url);
      const specific = proposeSelector(el, url, true);
      const written = JSON.stringify({ proposal, specific });
      expect(personalDataIn(written), `${el.outerHTML.slice(0, 80)} → ${written}`).toEqual([]);
      if (proposal.signals.some((s) => s.kind === 'text')) withText++;
      const pack = packFor(el, url);
      const checked = checkPack(pack, { file: 'pack' });
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
      // The rule finds the element it was made for (or says nothing but its selector).
      if (proposal.signals.length) expect(hitsOf(pack, doc, url)).toContain(el);
    }
    // Labels of the page's own controls are still proposed ("Buat pesanan", "Checkout").
    expect(withText).toBeGreaterThan(3);
  });
});
