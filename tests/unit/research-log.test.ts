/**
 * Research log store and writer: one record per detection per route visit, batched
 * writes, retention by count and age (oldest first), storage-full handling that keeps the newest
 * records and says so, filters and keyset paging over the indexes.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { bucketEdges, chartData, niceMax } from '@/utils/research-log/chart';
import { giveConsent } from '@/utils/research-log/consent';
import { indexFor, openResearchDb, type ResearchDb } from '@/utils/research-log/db';
import {
  MAX_BATCH,
  ResearchRecorder,
  startsNewVisit,
  type RecorderDeps,
} from '@/entrypoints/background/research-recorder';
import { DEFAULT_RESEARCH_SETTINGS, type ResearchRecord, type ResearchStatus } from '@/utils/research-log/types';
import { filterFromForm, FIRST_PAGE, nextPage, parseLimit, previousPage } from '@/utils/research-log/view';
import type { SessionArea } from '@/entrypoints/background/tab-store';
import { det, makeRecord, report, T0 } from '../helpers/research-records';

const DAY = 86_400_000;

function memoryArea(): SessionArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    async get() {
      return structuredClone(data);
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(keys) {
      for (const k of [keys].flat()) delete data[k];
    },
  };
}

function setup(over: Partial<RecorderDeps> = {}) {
  let clock = T0;
  let ids = 0;
  const statuses: ResearchStatus[] = [];
  const timers: (() => void)[] = [];
  const deps: RecorderDeps = {
    openDb: () => openResearchDb(),
    versions: () => ({ extensionVersion: '0.1.0', rulePacks: ['tiktok@1.0.0'] }),
    now: () => (clock += 1000),
    newId: () => `v${++ids}`,
    setTimer: (cb) => timers.push(cb),
    clearTimer: () => {},
    setStatus: (s) => void statuses.push(s),
    ...over,
  };
  const r = new ResearchRecorder(deps);
  return { r, statuses, timers, advance: (ms: number) => (clock += ms) };
}

async function consent(r: ResearchRecorder, settings = {}) {
  r.setSettings({ ...giveConsent(DEFAULT_RESEARCH_SETTINGS, 1), ...settings });
  await new Promise((done) => setTimeout(done, 0));
}

async function all(db: ResearchDb): Promise<ResearchRecord[]> {
  return (await db.page({}, 1_000_000)).records;
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('visits', () => {
  it('one record per detection per visit, updated (count, lastSeen) as diffs arrive', async () => {
    const { r } = setup();
    await consent(r);
    r.observe(report(1, [det('a')]));
    r.observe(report(1, [det('a', { count: 2, lastSeen: 150 }), det('b', { firstSeen: 140, lastSeen: 140 })]));
    await r.flush();
    r.observe(report(1, [det('a', { count: 3, lastSeen: 200 }), det('b', { firstSeen: 140, lastSeen: 140 })]));
    await r.flush();
    const db = await openResearchDb();
    const records = await all(db);
    expect(records.map((x) => [x.ruleId, x.count]).sort()).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    const a = records.find((x) => x.ruleId === 'a')!;
    expect(a.lastSeen).toBeGreaterThan(a.time);
    expect(new Set(records.map((x) => x.visitId)).size).toBe(1);
    expect(r.stats.flushes).toBe(2);
  });

  it('an unchanged detection does not touch its record', async () => {
    const { r } = setup();
    await consent(r);
    r.observe(report(1, [det('a')]));
    await r.flush();
    r.observe(report(1, [det('a'), det('b', { firstSeen: 120, lastSeen: 120 })]));
    expect(r.waiting).toBe(1);
  });

  it('a reset (the rules go, or come back with new times) starts a new visit with new records', async () => {
    const { r } = setup();
    await consent(r);
    r.observe(report(1, [det('a')]));
    r.observe(report(1, [], 'https://www.tiktok.com/@toko/video/2')); // the reset of a route change
    r.observe(report(1, [det('a', { firstSeen: 900, lastSeen: 900 })], 'https://www.tiktok.com/@toko/video/2'));
    r.observe(report(1, [det('a', { firstSeen: 5, lastSeen: 5 })])); // a reload: page clock restarted
    await r.flush();
    const records = await all(await openResearchDb());
    expect(records).toHaveLength(3);
    expect(new Set(records.map((x) => x.visitId)).size).toBe(3);
    expect(records.map((x) => x.url).sort()).toEqual([
      'https://www.tiktok.com/@toko/video/1',
      'https://www.tiktok.com/@toko/video/1',
      'https://www.tiktok.com/@toko/video/2',
    ]);
  });

  it('startsNewVisit reads resets from cumulative reports', () => {
    const visit = { visitId: 'v', url: '', rules: { a: { firstSeen: 100, lastSeen: 100, count: 1 } } };
    expect(startsNewVisit(undefined, report(1, []))).toBe(true);
    expect(startsNewVisit(visit, report(1, [det('a', { count: 4, lastSeen: 300 }), det('b')]))).toBe(false);
    expect(startsNewVisit(visit, report(1, [det('b')]))).toBe(true);
    expect(startsNewVisit(visit, report(1, [det('a', { firstSeen: 101 })]))).toBe(true);
    expect(startsNewVisit({ ...visit, rules: {} }, report(1, [det('a')]))).toBe(true);
  });

  it('tabs are separate visits', async () => {
    const { r } = setup();
    await consent(r);
    r.observe(report(1, [det('a')]));
    r.observe(report(2, [det('a')]));
    await r.flush();
    expect(await all(await openResearchDb())).toHaveLength(2);
  });

  it('keeps the query string only in "full" URL mode', async () => {
    const { r } = setup();
    await consent(r, { urlMode: 'full' });
    r.observe(report(1, [det('a')]));
    await r.flush();
    expect((await all(await openResearchDb()))[0].url).toBe('https://www.tiktok.com/@toko/video/1?lang=id');
  });

  it('a visit survives a service-worker restart (visit state in session storage)', async () => {
    const area = memoryArea();
    const first = setup({ visits: area });
    await consent(first.r);
    first.r.observe(report(1, [det('a')]));
    await first.r.flush();
    const second = setup({ visits: area, newId: () => 'other' });
    second.r.observe(report(1, [det('a', { count: 2, lastSeen: 200 })])); // before settings are read
    await consent(second.r);
    await second.r.flush();
    const records = await all(await openResearchDb());
    expect(records.map((x) => [x.visitId, x.count])).toEqual([['v1', 2]]);
  });
});

describe('batching', () => {
  it('waits for the timer, or writes at once when a batch is full', async () => {
    const { r, timers } = setup();
    await consent(r);
    r.observe(report(1, [det('a')]));
    expect(timers).toHaveLength(1);
    r.observe(report(1, [det('a', { count: 2, lastSeen: 200 })]));
    expect(timers).toHaveLength(1); // one timer per batch, not per message
    timers[0]();
    await r.flush();
    expect(await all(await openResearchDb())).toHaveLength(1);
    const many = Array.from({ length: MAX_BATCH }, (_, i) => det(`rule${i}`, { firstSeen: i, lastSeen: i }));
    r.observe(report(2, many));
    expect(timers).toHaveLength(1); // no timer: the write started at once
    await new Promise((done) => setTimeout(done, 50));
    expect(r.waiting).toBe(0);
    expect(await (await openResearchDb()).countAll()).toBe(MAX_BATCH + 1);
  });

  it('measures throughput with fake-indexeddb (reported, not asserted)', async () => {
    const { r } = setup({ now: () => Date.now() });
    await consent(r);
    const N = 5_000;
    const started = performance.now();
    for (let tab = 0; tab < N / 50; tab++) {
      r.observe(
        report(
          tab,
          Array.from({ length: 50 }, (_, i) => det(`rule${i}`, { firstSeen: i, lastSeen: i })),
        ),
      );
    }
    await r.flush();
    const seconds = (performance.now() - started) / 1000;
    expect(await (await openResearchDb()).countAll()).toBe(N);
    console.info(
      `research log (fake-indexeddb): ${N} records in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} records/s`,
    );
  });
});

describe('retention', () => {
  it('deletes records older than the age cap, then the oldest over the count cap', async () => {
    const db = await openResearchDb();
    await db.upsert(Array.from({ length: 30 }, (_, i) => makeRecord(i, { time: T0 + i * DAY })));
    const deleted = await db.enforceRetention({ maxRecords: 10, maxAgeDays: 20 }, T0 + 30 * DAY);
    const left = await all(db);
    // Age: days 0..9 are older than 20 days at day 30 (day 10 is exactly 20 days old and stays).
    // Count: 20 left, so the 10 oldest of those go too.
    expect(deleted).toBe(20);
    expect(left.map((r) => (r.time - T0) / DAY).sort((a, b) => a - b)).toEqual([
      20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
    ]);
  });

  it('the recorder applies the caps after each write', async () => {
    const { r } = setup();
    await consent(r, { maxRecords: 100 });
    for (let i = 0; i < 3; i++) {
      r.observe(
        report(
          i,
          Array.from({ length: 60 }, (_, k) => det(`rule${k}`, { firstSeen: k, lastSeen: k })),
        ),
      );
      await r.flush();
    }
    const db = await openResearchDb();
    expect(await db.countAll()).toBe(100);
    // The newest tab's records are all kept.
    expect((await all(db)).filter((x) => x.url && x.visitId === 'v3')).toHaveLength(60);
  });
});

describe('storage full', () => {
  function quotaDb(real: ResearchDb, failures: number): ResearchDb {
    let left = failures;
    return Object.assign(Object.create(Object.getPrototypeOf(real)), real, {
      upsert: async (records: ResearchRecord[]) => {
        if (left-- > 0) throw new DOMException('quota', 'QuotaExceededError');
        return real.upsert(records);
      },
    });
  }

  it('evicts the oldest records to keep the newest, and tells the page', async () => {
    const real = await openResearchDb();
    await real.upsert(Array.from({ length: 300 }, (_, i) => makeRecord(i)));
    const { r, statuses } = setup({ openDb: async () => quotaDb(real, 1) });
    await consent(r);
    r.observe(report(1, [det('newest')]));
    await r.flush();
    const records = await all(real);
    expect(records.some((x) => x.ruleId === 'newest')).toBe(true);
    expect(records.some((x) => x.id === makeRecord(0).id)).toBe(false); // the oldest went first
    expect(records.some((x) => x.id === makeRecord(299).id)).toBe(true);
    expect(statuses.at(-1)?.problem).toMatchObject({ kind: 'storage-full', waiting: 0, dropped: 0 });
    expect(statuses.at(-1)!.problem!.evicted).toBeGreaterThan(0);
  });

  it('when nothing can be freed, the batch waits in memory (not lost) and the page is told', async () => {
    const real = await openResearchDb();
    const { r, statuses } = setup({ openDb: async () => quotaDb(real, 1) });
    await consent(r);
    r.observe(report(1, [det('newest')]));
    await r.flush();
    expect(r.waiting).toBe(1);
    expect(statuses.at(-1)?.problem).toMatchObject({ kind: 'storage-full', evicted: 0, waiting: 1 });
    await r.flush(); // storage has room again
    expect(r.waiting).toBe(0);
    expect((await all(real)).map((x) => x.ruleId)).toEqual(['newest']);
  });
});

describe('queries', () => {
  it('maps every filter combination to one index, and impossible ones to nothing', () => {
    expect(indexFor({})?.name).toBe('byTime');
    expect(indexFor({ platform: 'x', feature: 'cart', category: 'transaction' })).toEqual({
      name: 'byPlatformFeature',
      prefix: ['x', 'cart'],
    });
    expect(indexFor({ platform: 'x', category: 'offer' })?.name).toBe('byPlatformCategory');
    expect(indexFor({ feature: 'cart', category: 'offer' })).toBeNull();
    expect(indexFor({ from: 5, to: 4 })).toBeNull();
  });

  it('filters and pages (newest first, keyset) to the same rows as a plain scan', async () => {
    const db = await openResearchDb();
    const records = Array.from({ length: 500 }, (_, i) => makeRecord(i, { time: T0 + Math.floor(i / 3) * 1000 })); // equal times too
    await db.upsert(records);
    const filters = [
      {},
      { platform: 'tiktok' as const },
      { category: 'offer' as const },
      { feature: 'cart' as const },
      { platform: 'youtube' as const, category: 'transaction' as const },
      { platform: 'x' as const, feature: 'catalog' as const },
      { from: T0 + 50_000, to: T0 + 120_000 },
      { platform: 'facebook' as const, from: T0 + 10_000 },
    ];
    for (const f of filters) {
      const expected = records
        .filter(
          (r) =>
            (!f.platform || r.platform === f.platform) &&
            (!('category' in f) || r.category === f.category) &&
            (!('feature' in f) || r.feature === f.feature),
        )
        .filter((r) => r.time >= (f.from ?? -Infinity) && r.time <= (('to' in f ? f.to : undefined) ?? Infinity))
        .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1))
        .map((r) => r.id);
      const got: string[] = [];
      let paging = FIRST_PAGE;
      for (let guard = 0; guard < 100; guard++) {
        const page = await db.page(f, 7, paging.tokens[paging.index]);
        got.push(...page.records.map((r) => r.id));
        if (!page.next) break;
        paging = nextPage(paging, page.next);
      }
      expect([JSON.stringify(f), got]).toEqual([JSON.stringify(f), expected]);
      expect(await db.count(f)).toBe(expected.length);
    }
    expect(previousPage(nextPage(FIRST_PAGE, ['k']))).toEqual({ tokens: [null, ['k']], index: 0 });
  });

  it('deletes one record, or all', async () => {
    const db = await openResearchDb();
    await db.upsert([makeRecord(1), makeRecord(2)]);
    await db.delete(makeRecord(1).id);
    expect((await all(db)).map((r) => r.id)).toEqual([makeRecord(2).id]);
    await db.clear();
    expect(await db.countAll()).toBe(0);
  });

  it('reads the filter form as local days, the "to" day included', () => {
    const f = filterFromForm({
      platform: 'tiktok',
      category: 'nope',
      feature: '',
      from: '2026-11-01',
      to: '2026-11-02',
    });
    expect(f).toEqual({
      platform: 'tiktok',
      from: new Date(2026, 10, 1).getTime(),
      to: new Date(2026, 10, 3).getTime() - 1,
    });
    expect(parseLimit('50', 'records')).toBeNull();
    expect(parseLimit('5000', 'records')).toBe(5000);
    expect(parseLimit('1.5', 'days')).toBeNull();
  });
});

describe('chart', () => {
  it('buckets a span into at most 60 bars of the finest unit that fits', () => {
    const hours = bucketEdges(T0, T0 + 5 * 3_600_000);
    expect(hours.unit).toBe('hour');
    expect(hours.edges[0]).toBeLessThanOrEqual(T0);
    expect(hours.edges.at(-1)!).toBeGreaterThan(T0 + 5 * 3_600_000);
    expect(bucketEdges(T0, T0 + 30 * DAY).unit).toBe('day');
    expect(bucketEdges(T0, T0 + 200 * DAY).unit).toBe('week');
    const months = bucketEdges(T0, T0 + 3000 * DAY);
    expect(months.unit).toBe('month');
    expect(months.edges.at(-1)!).toBeGreaterThan(T0 + 3000 * DAY);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(120)).toBe(200);
  });

  it('counts per series and bucket add up to the records, and feature totals match', async () => {
    const db = await openResearchDb();
    const records = Array.from({ length: 400 }, (_, i) => makeRecord(i, { time: T0 + i * 3 * 3_600_000 }));
    await db.upsert(records);
    for (const by of ['platform', 'category'] as const) {
      const data = (await chartData(db, { platform: 'tiktok' }, by))!;
      const tiktok = records.filter((r) => r.platform === 'tiktok');
      expect(data.total).toBe(tiktok.length);
      expect(data.features.reduce((a, f) => a + f.count, 0)).toBe(tiktok.length);
      for (const s of data.series) {
        expect(s.total).toBe(tiktok.filter((r) => r[by] === s.key).length);
      }
    }
    expect(await chartData(db, { feature: 'cart', category: 'offer' }, 'platform')).toBeNull();
  });
});

describe('upgrading a version-1 log', () => {
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });

  /** A log as version 1 of the extension left it, with evidence as the page showed it. */
  async function versionOneLog(records: ResearchRecord[]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('lensa-niaga-research', 1);
      open.onupgradeneeded = () => {
        const store = open.result.createObjectStore('records', { keyPath: 'id' });
        store.createIndex('byTime', ['time', 'id']);
        for (const r of records) store.put(r);
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
  }

  it('redacts the evidence already stored, keeping labels as they were', async () => {
    await versionOneLog([
      makeRecord(1, {
        id: 'a',
        feature: 'checkout',
        category: 'transaction',
        // As version 1 kept a checkout page's text: a 120-character excerpt of it.
        evidence:
          'Checkout Shipping address Jane Doe, 12 Market St, Springfield Wireless Earbuds Bluetooth 5.3 Qty 1 $12.99 Payment…',
      }),
      makeRecord(2, { id: 'b', feature: 'payment', category: 'transaction', evidence: 'Bayar · Budi 0812-3456-7890' }),
      makeRecord(3, {
        id: 'c',
        feature: 'product-tag',
        category: 'offer',
        evidence: '…"anchors":[{"description":"","extraInfo":{"subtype":""}',
      }),
      makeRecord(4, {
        id: 'd',
        feature: 'chat-order-link',
        category: 'link-out',
        evidence: 'https://wa.me/6285712345678?text=Halo',
      }),
      makeRecord(5, { id: 'e', feature: 'payment', category: 'transaction', evidence: 'Bayar sekarang' }),
    ]);
    const db = await openResearchDb();
    const evidence = Object.fromEntries(
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async (id) => [id, (await db.get(id))!.evidence])),
    );
    db.close();
    expect(evidence).toEqual({
      a: 'feature: checkout',
      b: 'Bayar · Budi […]',
      c: 'page data: product-tag',
      d: 'wa.me/…',
      e: 'Bayar sekarang',
    });
  });
});
