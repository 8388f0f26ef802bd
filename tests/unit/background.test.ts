import { describe, expect, it } from 'vitest';
import { createRouter, type Sender } from '@/entrypoints/background/router';
import { badgeFor, badgeTitle, BADGE_COLOR } from '@/entrypoints/background/badge';
import { testCatalogues } from '../helpers/popup-data';
import { TabStore, type SessionArea } from '@/entrypoints/background/tab-store';
import { TabReport, type Detection } from '@/rules/schema';

function memoryArea(initial: Record<string, unknown> = {}): SessionArea & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    async get() {
      return { ...data };
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(keys) {
      for (const k of [keys].flat()) delete data[k];
    },
  };
}

const det = (ruleId: string, category: Detection['category'], feature: Detection['feature'], count = 1): Detection => ({
  ruleId,
  platform: 'tiktok',
  feature,
  category,
  regulationIds: ['permendag-31-2023-pasal-21-3'],
  count,
  evidence: 'Beli sekarang',
  firstSeen: 10,
  lastSeen: 10,
});

const ID = 'ext-id';
const ORIGIN = 'chrome-extension://ext-id';
const contentSender: Sender = { id: ID, url: 'https://www.tiktok.com/@a', tab: { id: 7 }, frameId: 0 };
const popupSender: Sender = { id: ID, url: `${ORIGIN}/popup.html` };

function setup(area = memoryArea()) {
  const store = new TabStore(area);
  const reports: unknown[] = [];
  const handle = createRouter({ store, extensionId: ID, extensionOrigin: ORIGIN, onReport: (r) => reports.push(r) });
  return { store, handle, reports, area };
}

describe('background router', () => {
  it('answers detections:get with an empty TabReport for an unknown tab', async () => {
    const { handle } = setup();
    const report = await handle({ type: 'detections:get', tabId: 99 }, popupSender);
    expect(TabReport.parse(report)).toEqual({ tabId: 99, url: '', platform: null, detections: [], updatedAt: 0 });
  });

  it('lets a content script read only its own tab, and extension pages any tab', async () => {
    const { handle } = setup();
    const update = { type: 'detections:update', url: 'https://www.tiktok.com/@a', platform: 'tiktok', reset: true };
    await handle({ ...update, detections: [det('a', 'transaction', 'checkout')] }, contentSender);
    const other: Sender = { id: ID, url: 'https://www.tiktok.com/@b', tab: { id: 8 }, frameId: 0 };
    await handle(
      { ...update, url: 'https://www.tiktok.com/@b', detections: [det('b', 'offer', 'product-tag')] },
      other,
    );

    const own = TabReport.parse(await handle({ type: 'detections:get', tabId: 7 }, contentSender));
    expect(own.detections.map((d) => d.ruleId)).toEqual(['a']);
    expect(await handle({ type: 'detections:get', tabId: 8 }, contentSender)).toEqual({
      ok: false,
      error: expect.stringMatching(/own tab/),
    });
    // A subframe of tab 7 is still tab 7; a frame of tab 8 is not.
    const subframe = TabReport.parse(
      await handle({ type: 'detections:get', tabId: 7 }, { ...contentSender, frameId: 3 }),
    );
    expect(subframe.detections.map((d) => d.ruleId)).toEqual(['a']);
    expect(await handle({ type: 'detections:get', tabId: 7 }, { ...other, frameId: 3 })).toEqual({
      ok: false,
      error: expect.any(String),
    });
    for (const tabId of [7, 8, 99]) {
      expect(TabReport.safeParse(await handle({ type: 'detections:get', tabId }, popupSender)).success).toBe(true);
    }
    // The seller report opened as a tab is an extension page: it reads the tab it reports on.
    const reportTab: Sender = { id: ID, url: `${ORIGIN}/report.html?tabId=8`, tab: { id: 12 } };
    const report = TabReport.parse(await handle({ type: 'detections:get', tabId: 8 }, reportTab));
    expect(report.detections.map((d) => d.ruleId)).toEqual(['b']);
  });

  it('merges diffs from a content script and resets on a new route', async () => {
    const { handle, reports } = setup();
    const update = { type: 'detections:update', url: 'https://www.tiktok.com/@a', platform: 'tiktok' };
    expect(
      await handle({ ...update, reset: true, detections: [det('a', 'transaction', 'checkout')] }, contentSender),
    ).toEqual({ ok: true });
    await handle(
      {
        ...update,
        reset: false,
        detections: [det('b', 'offer', 'product-tag'), det('a', 'transaction', 'checkout', 3)],
      },
      contentSender,
    );
    let report = TabReport.parse(await handle({ type: 'detections:get', tabId: 7 }, popupSender));
    expect(report.detections.map((d) => [d.ruleId, d.count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(reports).toHaveLength(2);
    await handle({ ...update, url: 'https://www.tiktok.com/@b', reset: true, detections: [] }, contentSender);
    report = TabReport.parse(await handle({ type: 'detections:get', tabId: 7 }, popupSender));
    expect(report).toMatchObject({ url: 'https://www.tiktok.com/@b', detections: [] });
  });

  it('rejects invalid messages and senders with { ok: false, error }', async () => {
    const { handle } = setup();
    const bad = [
      [{ type: 'detections:get' }, popupSender],
      [{ type: 'detections:get', tabId: 'x' }, popupSender],
      [{ type: 'nope' }, popupSender],
      [null, popupSender],
      [
        { type: 'detections:get', tabId: 1 },
        { ...popupSender, id: 'other-extension' },
      ],
      // state changes only from a content script in a tab:
      [{ type: 'detections:update', url: 'u', platform: 'tiktok', reset: true, detections: [] }, popupSender],
      [
        { type: 'detections:update', url: 'u', platform: 'tiktok', reset: true, detections: [] },
        { ...contentSender, frameId: 3 },
      ],
      [
        { type: 'detections:update', url: 'u', platform: 'tiktok', reset: true, detections: [{ ruleId: 1 }] },
        contentSender,
      ],
      // packs are installed by the options page itself, never through the background:
      [{ type: 'rules:import', pack: {} }, contentSender],
      [{ type: 'rules:import', pack: {} }, popupSender],
    ] as const;
    for (const [message, sender] of bad) {
      expect(await handle(message, sender as Sender)).toEqual({ ok: false, error: expect.any(String) });
    }
  });

  it("keeps My rules proposals from a tab's top frame or an extension page, for the page's own platform", async () => {
    const kept: unknown[] = [];
    const handle = createRouter({
      store: new TabStore(memoryArea()),
      extensionId: ID,
      extensionOrigin: ORIGIN,
      keepProposal: async (p) => void kept.push(p),
      platformOf: (url) => (url.startsWith('https://www.tiktok.com/') ? 'tiktok' : null),
    });
    const rule = {
      kind: 'rule',
      platform: 'tiktok',
      feature: 'shop-tab',
      selector: '[data-e2e="shop-tab"]',
      signals: [{ kind: 'text', pattern: '^Toko$', flags: 'i' }],
      evidence: 'label',
    };
    const exclusion = { kind: 'exclusion', ruleId: 'tiktok.product-tag', selector: 'a[href*="shopee.co.id"]' };
    const propose = (proposal: unknown, sender: Sender) => handle({ type: 'myrules:propose', proposal }, sender);

    expect(await propose(rule, contentSender)).toEqual({ ok: true });
    expect(await propose(exclusion, contentSender)).toEqual({ ok: true });
    expect(await propose({ ...rule, platform: 'youtube' }, popupSender)).toEqual({ ok: true });
    expect(kept).toEqual([rule, exclusion, { ...rule, platform: 'youtube' }]);

    const refused: [unknown, Sender][] = [
      // a rule for another platform than the page's
      [{ ...rule, platform: 'youtube' }, contentSender],
      // a frame inside the page, or no tab at all from outside the extension
      [rule, { ...contentSender, frameId: 2 }],
      [exclusion, { ...contentSender, frameId: 2 }],
      [rule, { ...contentSender, tab: { id: -1 } }],
      // another extension
      [rule, { ...popupSender, id: 'other-extension' }],
      // not a proposal: unknown kind, bad feature, extra fields, a bad rule id
      [{ ...rule, kind: 'script' }, popupSender],
      [{ ...rule, feature: 'groceries' }, popupSender],
      [{ ...rule, code: 'alert(1)' }, popupSender],
      [{ ...exclusion, ruleId: 'Not An Id' }, popupSender],
    ];
    for (const [proposal, sender] of refused) {
      expect(await propose(proposal, sender)).toEqual({ ok: false, error: expect.any(String) });
    }
    expect(kept).toHaveLength(3);
  });

  it('survives a restart: a new store reads the state back from session storage', async () => {
    const first = setup();
    await first.handle(
      {
        type: 'detections:update',
        url: 'https://www.tiktok.com/',
        platform: 'tiktok',
        reset: true,
        detections: [det('a', 'offer', 'shop-tab')],
      },
      contentSender,
    );
    await first.store.flushed();
    const second = setup(first.area);
    const report = TabReport.parse(await second.handle({ type: 'detections:get', tabId: 7 }, popupSender));
    expect(report.detections.map((d) => d.ruleId)).toEqual(['a']);
    await second.store.clear(7);
    await second.store.flushed();
    expect(Object.keys(first.area.data)).toEqual([]);
  });
});

describe('TabStore when storage.session is full', () => {
  it('answers from memory and says so while writes are refused, and stops saying so once one succeeds', async () => {
    const area = memoryArea();
    let full = true;
    const set = area.set;
    area.set = async (items) => {
      if (full) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      return set(items);
    };
    const { handle, store } = setup(area);
    const update = { type: 'detections:update', url: 'https://www.tiktok.com/', platform: 'tiktok', reset: true };
    await handle({ ...update, detections: [det('a', 'offer', 'shop-tab')] }, contentSender);
    await store.flushed();
    const kept = TabReport.parse(await handle({ type: 'detections:get', tabId: 7 }, popupSender));
    expect(kept).toMatchObject({ memoryOnly: true, detections: [{ ruleId: 'a' }] });
    expect(area.data).toEqual({});
    // Another tab is not affected by this tab's refused write.
    expect(await handle({ type: 'detections:get', tabId: 8 }, popupSender)).not.toHaveProperty('memoryOnly');

    full = false;
    await handle({ ...update, reset: false, detections: [det('b', 'offer', 'product-tag')] }, contentSender);
    await store.flushed();
    const saved = TabReport.parse(await handle({ type: 'detections:get', tabId: 7 }, popupSender));
    expect(saved).not.toHaveProperty('memoryOnly');
    expect(Object.keys(area.data)).toEqual(['tab:7']);
  });
});

describe('badgeFor', () => {
  const report = (detections: Detection[], url = 'https://www.tiktok.com/@toko') => ({
    tabId: 1,
    url,
    platform: 'tiktok' as const,
    detections,
    updatedAt: 0,
  });
  it('is empty for a clean page', () => {
    const b = badgeFor(report([]), testCatalogues);
    expect(b.text).toBe('');
    expect(badgeTitle(b.summary)).toEqual({ key: 'none', count: 0 });
  });
  it('is a red number of distinct transaction features on the platform’s own pages', () => {
    const b = badgeFor(
      report([
        det('a', 'offer', 'shop-tab'),
        det('b', 'transaction', 'cart'),
        det('c', 'transaction', 'cart'),
        det('d', 'transaction', 'checkout'),
      ]),
      testCatalogues,
    );
    expect(b).toMatchObject({ text: '2', color: BADGE_COLOR });
    expect(badgeTitle(b.summary)).toEqual({ key: 'concern', count: 2 });
  });
  it('has no number for offers and link-outs', () => {
    const b = badgeFor(
      report([det('a', 'link-out', 'marketplace-link'), det('b', 'offer', 'product-tag')]),
      testCatalogues,
    );
    expect(b.text).toBe('');
    expect(badgeTitle(b.summary)).toEqual({ key: 'allowed', count: 2 });
  });
  it('has no number where a registered marketplace runs the checkout', () => {
    const b = badgeFor(
      report([det('b', 'transaction', 'cart')], 'https://shop-id.tokopedia.com/pdp/x/1'),
      testCatalogues,
    );
    expect(b.text).toBe('');
    expect(badgeTitle(b.summary)).toEqual({ key: 'marketplace', count: 1 });
  });
});

describe('TabStore trusts no content script with evidence', () => {
  it('redacts evidence and drops a product name from a transaction feature', async () => {
    const area: SessionArea = { get: async () => ({}), set: async () => {}, remove: async () => {} };
    const store = new TabStore(area);
    const sent: Detection[] = [
      {
        ruleId: 'tiktok.checkout',
        platform: 'tiktok',
        feature: 'checkout',
        category: 'transaction',
        regulationIds: ['r'],
        count: 1,
        evidence: 'Checkout · siti.rahmawati@gmail.com · Jl. Kaliurang',
        product: 'Kemeja Batik',
        firstSeen: 1,
        lastSeen: 1,
      },
      {
        ruleId: 'tiktok.product-tag-data',
        platform: 'tiktok',
        feature: 'product-tag',
        category: 'offer',
        regulationIds: ['r'],
        count: 1,
        evidence: '…"anchors":[{"buyer":"Siti"}]',
        product: 'Kemeja Batik',
        firstSeen: 1,
        lastSeen: 1,
      },
    ];
    const report = await store.update(7, {
      url: 'https://www.tiktok.com/',
      platform: 'tiktok',
      reset: true,
      detections: sent,
    });
    expect(report.detections).toEqual(
      [
        { ...sent[0], evidence: 'feature: checkout', product: undefined },
        { ...sent[1], evidence: 'page data: product-tag' },
      ].map(({ product, ...d }) => (product ? { ...d, product } : d)),
    );
  });
});

describe('highlights:load in the background router', () => {
  function withInjector(inject: (tabId: number, frameId: number) => Promise<void>) {
    const store = new TabStore(memoryArea());
    return createRouter({ store, extensionId: ID, extensionOrigin: ORIGIN, injectHighlights: inject });
  }

  it("loads the highlights script into the asking content script's own tab and frame", async () => {
    const calls: [number, number][] = [];
    const handle = withInjector(async (tabId, frameId) => {
      calls.push([tabId, frameId]);
    });
    expect(await handle({ type: 'highlights:load' }, contentSender)).toEqual({ ok: true });
    expect(await handle({ type: 'highlights:load' }, { ...contentSender, frameId: 2 })).toEqual({ ok: true });
    expect(calls).toEqual([
      [7, 0],
      [7, 2],
    ]);
  });

  it('refuses extension pages, other extensions, senders without a tab and extra fields', async () => {
    const calls: number[] = [];
    const handle = withInjector(async (tabId) => {
      calls.push(tabId);
    });
    for (const [message, sender] of [
      [{ type: 'highlights:load' }, popupSender],
      [{ type: 'highlights:load' }, { ...contentSender, id: 'other-extension' }],
      [{ type: 'highlights:load' }, { id: ID, url: 'https://www.tiktok.com/@a' }],
      [{ type: 'highlights:load', tabId: 8 }, contentSender],
    ] as const) {
      expect(await handle(message, sender)).toEqual({ ok: false, error: expect.any(String) });
    }
    expect(calls).toEqual([]);
  });

  it('answers a failed injection (a tab that closed) with an error', async () => {
    const handle = withInjector(async () => {
      throw new Error('No tab with id: 7');
    });
    expect(await handle({ type: 'highlights:load' }, contentSender)).toEqual({
      ok: false,
      error: expect.stringMatching(/No tab with id/),
    });
  });
});
