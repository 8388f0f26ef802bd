import { describe, expect, it } from 'vitest';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { findingCatalogues, getMarketplaces, regulationById } from '@/utils/catalogues';
import { badgeSummary, buildPopupModel, hostOf, operatorOf, severityOf, type PopupModel } from '@/lib/findings';
import { detection, tabReport, testCatalogues, testLookup, testMarketplaces } from '../helpers/popup-data';

type Found = Extract<PopupModel, { state: 'found' }>;
function found(model: PopupModel): Found {
  if (model.state !== 'found') throw new Error(`expected found, got ${model.state}`);
  return model;
}

const SHOP_ID = 'https://shop-id.tokopedia.com/pdp/kemeja-batik/1729384756001234567';

describe('buildPopupModel: page states', () => {
  it('a page outside the platforms is "other-site"', () => {
    const model = buildPopupModel(tabReport({ platform: null, url: 'https://example.org/x' }), testCatalogues);
    expect(model).toEqual({ state: 'other-site', tabId: 7, url: 'https://example.org/x', host: 'example.org' });
  });

  it('a browser or extension page is "extension-page"', () => {
    for (const url of ['chrome-extension://abcdefgh/popup.html', 'chrome://extensions/', 'about:addons']) {
      expect(buildPopupModel(tabReport({ platform: null, url }), testCatalogues).state).toBe('extension-page');
    }
  });

  it('a platform page with nothing found is "clean"', () => {
    const model = buildPopupModel(tabReport({ platform: 'youtube', url: 'https://www.youtube.com/' }), testCatalogues);
    expect(model).toMatchObject({ state: 'clean', platform: 'youtube', host: 'www.youtube.com' });
  });

  it('keeps going when the URL is empty (a tab the background has not seen)', () => {
    expect(buildPopupModel(tabReport({ platform: null, url: '' }), testCatalogues)).toMatchObject({
      state: 'other-site',
      host: '',
    });
    expect(hostOf('not a url')).toBe('');
  });
});

describe('buildPopupModel: one row per feature', () => {
  const report = tabReport({
    detections: [
      detection('marketplace-link', { regulationIds: ['permendag-31-2023-pasal-1-17'], count: 2 }),
      detection('shop-tab', { regulationIds: ['permendag-31-2023-pasal-1-17'] }),
      detection('checkout', {
        ruleId: 'tiktok.checkout-page',
        regulationIds: ['permendag-31-2023-pasal-21-3'],
        count: 1,
        evidence: 'Checkout',
      }),
      detection('checkout', {
        ruleId: 'tiktok.checkout',
        regulationIds: ['permendag-31-2023-pasal-21-3', 'pp-80-2019-pasal-13-1'],
        count: 3,
        evidence: 'Pay now',
      }),
      detection('cart', { ruleId: 'tiktok.cart', regulationIds: ['permendag-31-2023-pasal-21-3'], count: 4 }),
      detection('cart', {
        ruleId: 'tiktok.cart-icon',
        regulationIds: ['permendag-31-2023-pasal-21-3'],
        count: 1,
        evidence: '',
      }),
      detection('product-tag', {
        regulationIds: ['permendag-31-2023-pasal-1-17'],
        evidence: 'Shop | Batik Tulis Pekalongan',
        product: 'Batik Tulis Pekalongan · Rp150.000',
      }),
    ],
  });
  const model = found(buildPopupModel(report, testCatalogues));

  it('merges the rules that found the same feature, transaction first, then taxonomy order', () => {
    expect(model.rows.map((r) => r.feature)).toEqual([
      'checkout',
      'cart',
      'shop-tab',
      'product-tag',
      'marketplace-link',
    ]);
    expect(model.rows.map((r) => r.category)).toEqual(['transaction', 'transaction', 'offer', 'offer', 'link-out']);
  });

  it('a merged row adds up the elements and keeps every rule id and each distinct evidence once', () => {
    const checkout = model.rows[0];
    expect(checkout.count).toBe(4);
    expect(checkout.ruleIds).toEqual(['tiktok.checkout', 'tiktok.checkout-page']);
    expect(checkout.evidence).toEqual(['Pay now', 'Checkout']);
    expect(checkout.regulationIds).toEqual(['permendag-31-2023-pasal-21-3', 'pp-80-2019-pasal-13-1']);
    const cart = model.rows[1];
    expect(cart).toMatchObject({ count: 5, ruleIds: ['tiktok.cart', 'tiktok.cart-icon'], evidence: [] });
  });

  it('takes the product name from the product data of an offer, cleaned', () => {
    expect(model.productQuery).toBe('Batik Tulis Pekalongan');
    expect(model.rows[3].productQuery).toBe('Batik Tulis Pekalongan');
  });

  it('lists each cited entry once in the rules section, and each caveat once with what it qualifies', () => {
    expect(model.rules.entries.map((e) => e.id)).toEqual([
      'permendag-31-2023-pasal-21-3',
      'pp-80-2019-pasal-13-1',
      'permendag-31-2023-pasal-1-17',
    ]);
    expect(model.rules.caveats.map((c) => [c.id, c.qualifies])).toEqual([
      ['permendag-19-2026', ['permendag-31-2023-pasal-21-3', 'permendag-31-2023-pasal-1-17']],
    ]);
    expect(model.rules.caveats[0].hedged).toBe(true);
  });

  it('says what the page does in its verdict: two transaction features the platform runs', () => {
    expect(model.verdict).toMatchObject({
      kind: 'transaction',
      hedged: false,
      features: { transaction: 2, offer: 2, 'link-out': 1 },
    });
    expect(model.verdict.basis?.id).toBe('permendag-31-2023-pasal-21-3');
  });

  it('never searches for the evidence, nor for a product on a checkout, cart or payment feature', () => {
    const m = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('checkout', { evidence: 'Checkout | Batik Tulis Pekalongan', product: 'Batik Tulis Pekalongan' }),
            detection('cart', { evidence: 'Kemeja Batik Parang' }),
            detection('product-tag', { evidence: 'Shop | Kemeja Batik Parang' }),
          ],
        }),
        testCatalogues,
      ),
    );
    expect(m.productQuery).toBeNull();
    expect(m.rows.map((r) => r.productQuery)).toEqual([null, null, null]);
  });

  it('groups by the feature even if a detection states another category', () => {
    const odd = found(
      buildPopupModel(tabReport({ detections: [detection('checkout', { category: 'offer' })] }), testCatalogues),
    );
    expect(odd.rows.map((r) => r.category)).toEqual(['transaction']);
  });
});

describe('severity follows the operator', () => {
  it('the platform running a transaction backed by a regulation in force: concern', () => {
    const model = found(
      buildPopupModel(
        tabReport({ detections: [detection('checkout', { regulationIds: ['permendag-31-2023-pasal-21-3'] })] }),
        testCatalogues,
      ),
    );
    expect(model.operator).toEqual({ kind: 'platform' });
    expect(model.rows[0]).toMatchObject({ severity: 'concern', explanation: 'transaction' });
  });

  it('backed only by reported, unverified or unknown entries: possible concern, and the verdict is hedged', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('payment', {
              regulationIds: ['test-unverified-claim', 'no-such-regulation', 'test-unverified-claim'],
            }),
          ],
        }),
        testCatalogues,
      ),
    );
    expect(model.rows[0].severity).toBe('possible-concern');
    expect(model.rules.entries.map((e) => [e.id, e.hedged, e.regulation === null])).toEqual([
      ['test-unverified-claim', true, false],
      ['no-such-regulation', false, true],
    ]);
    expect(model.verdict).toMatchObject({ kind: 'transaction', hedged: true });
  });

  it('on shop-id.tokopedia.com the same checkout is a marketplace transaction, with the arrangement once', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          url: SHOP_ID,
          detections: [
            detection('buy-button', {
              regulationIds: ['permendag-31-2023-pasal-21-3', 'event-tiktok-tokopedia-2023'],
            }),
            detection('cart', { regulationIds: ['permendag-31-2023-pasal-21-3', 'event-tiktok-tokopedia-2023'] }),
            detection('product-page', { regulationIds: ['permendag-31-2023-pasal-1-17'] }),
          ],
        }),
        testCatalogues,
      ),
    );
    // The page stays TikTok's (the taxonomy says so); its transactions are Tokopedia's.
    expect(model.platform).toBe('tiktok');
    expect(model.operator).toMatchObject({
      kind: 'marketplace',
      marketplace: { id: 'tokopedia' },
      regulationIds: ['event-tiktok-tokopedia-2023'],
    });
    expect(model.rows.map((r) => [r.feature, r.severity, r.explanation])).toEqual([
      ['cart', 'info', 'marketplace-transaction'],
      ['buy-button', 'info', 'marketplace-transaction'],
      ['product-page', 'info', 'offer'],
    ]);
    expect(model.verdict).toMatchObject({ kind: 'marketplace', basis: { id: 'event-tiktok-tokopedia-2023' } });
    // Stated once, first, not inside each row.
    expect(model.rules.entries.map((e) => e.id)).toEqual([
      'event-tiktok-tokopedia-2023',
      'permendag-31-2023-pasal-21-3',
      'permendag-31-2023-pasal-1-17',
    ]);
    expect(model.rows.flatMap((r) => r.regulationIds)).not.toContain('event-tiktok-tokopedia-2023');
  });

  it('on www.tiktok.com the platform runs its checkout', () => {
    expect(operatorOf('www.tiktok.com', 'tiktok', testMarketplaces.marketplaces)).toEqual({ kind: 'platform' });
    expect(operatorOf('', 'tiktok', testMarketplaces.marketplaces)).toEqual({ kind: 'platform' });
  });

  it('a marketplace’s own domain is its own, with no arrangement to cite', () => {
    expect(operatorOf('www.blibli.com', 'x', testMarketplaces.marketplaces)).toMatchObject({
      kind: 'marketplace',
      marketplace: { id: 'blibli' },
      regulationIds: [],
    });
  });

  it('offers and link-outs are information whoever runs the page', () => {
    for (const feature of ['storefront', 'cross-border-offer', 'chat-order-link'] as const) {
      expect(severityOf(feature, [testLookup('permendag-31-2023-pasal-21-3')!], { kind: 'platform' })).toBe('info');
    }
  });

  it('offers only, and link-outs only, get their own verdicts', () => {
    const offers = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('storefront', { regulationIds: ['permendag-31-2023-pasal-1-17'] }),
            detection('chat-order-link'),
          ],
        }),
        testCatalogues,
      ),
    );
    expect(offers.verdict).toMatchObject({ kind: 'offer', features: { transaction: 0, offer: 1, 'link-out': 1 } });
    expect(offers.verdict.basis?.id).toBe('permendag-31-2023-pasal-1-17');
    const links = found(buildPopupModel(tabReport({ detections: [detection('marketplace-link')] }), testCatalogues));
    expect(links.verdict).toMatchObject({ kind: 'link-out', basis: null });
  });
});

describe('badgeSummary', () => {
  it('counts distinct transaction features the platform runs, not rules', () => {
    const report = tabReport({
      detections: [
        detection('checkout', { ruleId: 'a', regulationIds: ['permendag-31-2023-pasal-21-3'] }),
        detection('checkout', { ruleId: 'b', regulationIds: ['permendag-31-2023-pasal-21-3'] }),
        detection('cart', { ruleId: 'c', regulationIds: ['permendag-31-2023-pasal-21-3'] }),
        detection('product-tag', { ruleId: 'd' }),
      ],
    });
    expect(badgeSummary(report, testCatalogues)).toEqual({ concerns: 2, features: 3, marketplace: null });
    expect(badgeSummary({ ...report, url: SHOP_ID }, testCatalogues)).toEqual({
      concerns: 0,
      features: 3,
      marketplace: 'Tokopedia',
    });
  });

  it('is zero for offers, link-outs and pages with nothing found', () => {
    expect(badgeSummary(tabReport({ detections: [detection('product-tag')] }), testCatalogues).concerns).toBe(0);
    expect(badgeSummary(tabReport(), testCatalogues)).toEqual({ concerns: 0, features: 0, marketplace: null });
  });
});

describe('the bundled catalogue has what the popup shows', () => {
  const operated = getMarketplaces().marketplaces.flatMap((m) => m.operates.flatMap((o) => o.regulationIds));
  const needed = [
    'permendag-31-2023-pasal-21-3',
    'permendag-31-2023-pasal-1-13',
    'permendag-31-2023-pasal-1-17',
    'permendag-31-2023-pasal-19-2',
    'permendag-31-2023-pasal-5',
    'permendag-31-2023-pasal-21-2',
    'pp-80-2019-pasal-13-1',
    'permenkominfo-5-2020-pasal-2',
    ...operated,
  ];

  it.each(needed)('%s resolves', (id) => {
    expect(regulationById(id)?.id).toBe(id);
  });

  it('says Tokopedia runs the TikTok shop pages on shop-id.tokopedia.com', () => {
    expect(operatorOf('shop-id.tokopedia.com', 'tiktok', getMarketplaces().marketplaces)).toMatchObject({
      kind: 'marketplace',
      marketplace: { name: 'Tokopedia' },
      regulationIds: ['event-tiktok-tokopedia-2023'],
    });
  });

  it('every entry and caveat the bundled rules lead to resolves', () => {
    const cited = new Set(loadBundledPacks().flatMap((p) => p.rules.flatMap((r) => r.regulationIds)));
    const model = found(
      buildPopupModel(
        tabReport({ detections: [detection('checkout', { regulationIds: [...cited] })] }),
        findingCatalogues(),
      ),
    );
    const missing = [...model.rules.entries, ...model.rules.caveats].filter((e) => !e.regulation).map((e) => e.id);
    expect(missing).toEqual([]);
  });
});
