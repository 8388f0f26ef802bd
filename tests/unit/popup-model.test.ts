import { describe, expect, it } from 'vitest';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { regulationById } from '@/utils/catalogues';
import { buildPopupModel, hostOf, PLATFORM_CONTEXT, type PopupModel } from '@/lib/findings';
import { detection, tabReport, testLookup } from '../helpers/popup-data';

type Found = Extract<PopupModel, { state: 'found' }>;
function found(model: PopupModel): Found {
  if (model.state !== 'found') throw new Error(`expected found, got ${model.state}`);
  return model;
}

describe('buildPopupModel: page states', () => {
  it('a page outside the platforms is "other-site"', () => {
    const model = buildPopupModel(tabReport({ platform: null, url: 'https://example.org/x' }), testLookup);
    expect(model).toEqual({ state: 'other-site', tabId: 7, url: 'https://example.org/x', host: 'example.org' });
  });

  it('a platform page with nothing found is "clean"', () => {
    const model = buildPopupModel(tabReport({ platform: 'youtube', url: 'https://www.youtube.com/' }), testLookup);
    expect(model).toMatchObject({ state: 'clean', platform: 'youtube', host: 'www.youtube.com' });
  });

  it('keeps going when the URL is empty (a tab the background has not seen)', () => {
    expect(buildPopupModel(tabReport({ platform: null, url: '' }), testLookup)).toMatchObject({
      state: 'other-site',
      host: '',
    });
    expect(hostOf('not a url')).toBe('');
  });
});

describe('buildPopupModel: grouping and order', () => {
  const report = tabReport({
    detections: [
      detection('marketplace-link', { regulationIds: ['permendag-31-2023-pasal-1-17'], count: 2 }),
      detection('shop-tab', { regulationIds: ['permendag-31-2023-pasal-1-17'] }),
      detection('checkout', { regulationIds: ['permendag-31-2023-pasal-21-3'], count: 3 }),
      detection('cart', { regulationIds: ['permendag-31-2023-pasal-21-3'], count: 4 }),
      detection('product-tag', {
        regulationIds: ['permendag-31-2023-pasal-1-17'],
        evidence: 'Shop | Batik Tulis Pekalongan',
        product: 'Batik Tulis Pekalongan · Rp150.000',
      }),
    ],
  });
  const model = found(buildPopupModel(report, testLookup));

  it('lists all three categories, transaction first', () => {
    expect(model.groups.map((g) => g.category)).toEqual(['transaction', 'offer', 'link-out']);
    expect(model.groups.map((g) => g.concern)).toEqual([true, false, false]);
  });

  it('orders detections within a category by the taxonomy and counts elements', () => {
    expect(model.groups[0].items.map((v) => v.detection.feature)).toEqual(['checkout', 'cart']);
    expect(model.groups[1].items.map((v) => v.detection.feature)).toEqual(['shop-tab', 'product-tag']);
    expect(model.groups.map((g) => g.elementCount)).toEqual([7, 2, 2]);
  });

  it('takes the product name from the product data of an offer, cleaned', () => {
    expect(model.productQuery).toBe('Batik Tulis Pekalongan');
    expect(model.groups[1].items[1].productQuery).toBe('Batik Tulis Pekalongan');
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
        testLookup,
      ),
    );
    expect(m.productQuery).toBeNull();
    expect(m.groups.flatMap((g) => g.items.map((i) => i.productQuery))).toEqual([null, null, null]);
  });

  it('groups by the feature even if a detection states another category', () => {
    const odd = found(
      buildPopupModel(tabReport({ detections: [detection('checkout', { category: 'offer' })] }), testLookup),
    );
    expect(odd.groups[0].items).toHaveLength(1);
    expect(odd.groups[1].items).toHaveLength(0);
  });
});

describe('buildPopupModel: regulations', () => {
  it('resolves a transaction to its regulation with its caveat, as a concern', () => {
    const model = found(
      buildPopupModel(
        tabReport({ detections: [detection('checkout', { regulationIds: ['permendag-31-2023-pasal-21-3'] })] }),
        testLookup,
      ),
    );
    const [view] = model.groups[0].items;
    expect(view.explanation).toBe('transaction');
    expect(view.severity).toBe('concern');
    expect(view.regulations).toHaveLength(1);
    expect(view.regulations[0].regulation?.citation).toContain('Pasal 21 ayat (3)');
    expect(view.regulations[0].hedged).toBe(false);
    expect(view.regulations[0].caveats).toEqual([
      { id: 'permendag-19-2026', regulation: testLookup('permendag-19-2026') },
    ]);
  });

  it('says a caveat once per detection, however many articles of the regulation it cites', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('cross-border-offer', {
              regulationIds: ['permendag-31-2023-pasal-19-2', 'permendag-31-2023-pasal-1-17'],
            }),
          ],
        }),
        testLookup,
      ),
    );
    const [view] = model.groups[1].items;
    expect(view.explanation).toBe('cross-border-offer');
    expect(view.regulations.map((r) => r.caveats.map((c) => c.id))).toEqual([['permendag-19-2026'], []]);
  });

  it('hedges reported and unverified entries and keeps unknown ids', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('payment', {
              regulationIds: ['test-unverified-claim', 'no-such-regulation', 'test-unverified-claim'],
            }),
          ],
        }),
        testLookup,
      ),
    );
    const [view] = model.groups[0].items;
    expect(view.regulations.map((r) => [r.id, r.hedged, r.regulation === null])).toEqual([
      ['test-unverified-claim', true, false],
      ['no-such-regulation', false, true],
    ]);
    // Nothing in force backs it: still a transaction, but only a possible concern.
    expect(view.severity).toBe('possible-concern');
  });

  it('offers and link-outs are information, not concerns', () => {
    const model = found(
      buildPopupModel(tabReport({ detections: [detection('storefront'), detection('chat-order-link')] }), testLookup),
    );
    expect(model.groups.flatMap((g) => g.items.map((v) => [v.explanation, v.severity]))).toEqual([
      ['offer', 'info'],
      ['link-out', 'info'],
    ]);
  });

  it('shows the TikTok–Tokopedia context once per TikTok page, not inside each detection', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          detections: [
            detection('checkout', { regulationIds: ['permendag-31-2023-pasal-21-3', 'event-tiktok-tokopedia-2023'] }),
            detection('cart', { regulationIds: ['event-tiktok-tokopedia-2023'] }),
          ],
        }),
        testLookup,
      ),
    );
    expect(model.context.map((c) => c.id)).toEqual(['event-tiktok-tokopedia-2023']);
    expect(model.context[0].regulation?.kind).toBe('event');
    expect(model.groups[0].items.flatMap((v) => v.regulations.map((r) => r.id))).toEqual([
      'permendag-31-2023-pasal-21-3',
    ]);
  });

  it('has no platform context on other platforms', () => {
    const model = found(
      buildPopupModel(
        tabReport({
          platform: 'youtube',
          url: 'https://www.youtube.com/watch?v=x',
          detections: [detection('storefront', { platform: 'youtube' })],
        }),
        testLookup,
      ),
    );
    expect(model.context).toEqual([]);
  });
});

describe('the bundled catalogue has what the popup shows', () => {
  const needed = [
    'permendag-31-2023-pasal-21-3',
    'permendag-31-2023-pasal-1-13',
    'permendag-31-2023-pasal-1-17',
    'permendag-31-2023-pasal-19-2',
    'permendag-31-2023-pasal-5',
    'permendag-31-2023-pasal-21-2',
    'pp-80-2019-pasal-13-1',
    'permenkominfo-5-2020-pasal-2',
    ...Object.values(PLATFORM_CONTEXT).flat(),
  ];

  it.each(needed)('%s resolves', (id) => {
    expect(regulationById(id)?.id).toBe(id);
  });

  it('every caveat id of every regulation the bundled rules cite resolves', () => {
    const cited = new Set(loadBundledPacks().flatMap((p) => p.rules.flatMap((r) => r.regulationIds)));
    const model = found(
      buildPopupModel(
        tabReport({ detections: [detection('checkout', { regulationIds: [...cited] })] }),
        regulationById,
      ),
    );
    const missing = model.groups[0].items[0].regulations.flatMap((r) => [
      ...(r.regulation ? [] : [r.id]),
      ...r.caveats.filter((c) => !c.regulation).map((c) => c.id),
    ]);
    expect(missing).toEqual([]);
  });
});
