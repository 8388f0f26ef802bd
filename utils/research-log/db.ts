/**
 * The research log's IndexedDB, through `idb`: one object store of records with versioned
 * upgrades, and the queries the page needs at 100,000 records without loading them all.
 *
 * Every filter of the page (platform, category, feature, date range, in any combination) maps to
 * one range of one compound index ending in [time, id], so a page of the table, a count and a
 * chart bucket each read only the rows they show (`indexFor`). Pages are keyset-paged: a page
 * token is the index key of the last row shown, never an offset to skip.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { FEATURE_CATEGORY } from '../../rules/schema';
import { cleanEvidence, legacyEvidence } from '../../lib/redact';
import type { PageToken, RecordFilter, RecordPage, ResearchRecord } from './types';

export const DB_NAME = 'lensa-niaga-research';
/** Raise with a new `case` in `upgrade` below; never edit a released step. */
export const DB_VERSION = 2;

type TimeKey = [number, string];
interface ResearchDbSchema extends DBSchema {
  records: {
    key: string;
    value: ResearchRecord;
    indexes: {
      byTime: TimeKey;
      byPlatform: [string, number, string];
      byCategory: [string, number, string];
      byFeature: [string, number, string];
      byPlatformCategory: [string, string, number, string];
      byPlatformFeature: [string, string, number, string];
    };
  };
}
type IndexName = keyof ResearchDbSchema['records']['indexes'];

const INDEX_FIELDS: Record<IndexName, (keyof ResearchRecord)[]> = {
  byTime: [],
  byPlatform: ['platform'],
  byCategory: ['category'],
  byFeature: ['feature'],
  byPlatformCategory: ['platform', 'category'],
  byPlatformFeature: ['platform', 'feature'],
};

/** The index and key prefix that serve a filter, or null when the filter can match nothing. */
export function indexFor(filter: RecordFilter): { name: IndexName; prefix: string[] } | null {
  const { platform, category, feature } = filter;
  if (feature && category && FEATURE_CATEGORY[feature] !== category) return null;
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) return null;
  // A feature implies its category, so platform+feature also serves platform+category+feature.
  if (platform && feature) return { name: 'byPlatformFeature', prefix: [platform, feature] };
  if (platform && category) return { name: 'byPlatformCategory', prefix: [platform, category] };
  if (feature) return { name: 'byFeature', prefix: [feature] };
  if (platform) return { name: 'byPlatform', prefix: [platform] };
  if (category) return { name: 'byCategory', prefix: [category] };
  return { name: 'byTime', prefix: [] };
}

/**
 * The key range of a filter on its index. An array key sorts after every number and string, so
 * `[…, to, []]` is above every key at time `to`; `before` (a page token) cuts the range there.
 */
function rangeFor(prefix: string[], filter: RecordFilter, before?: PageToken | null): IDBKeyRange {
  const lower = [...prefix, filter.from ?? -Infinity];
  if (before) return IDBKeyRange.bound(lower, before, false, true);
  return IDBKeyRange.bound(lower, [...prefix, filter.to ?? Infinity, []]);
}

function keyOf(prefix: string[], r: ResearchRecord): PageToken {
  return [...prefix, r.time, r.id];
}

/** One record per (visit, rule): a later write of the same id updates it, never duplicates it. */
export function mergeRecords(old: ResearchRecord, next: ResearchRecord): ResearchRecord {
  return {
    ...next,
    visitId: old.visitId,
    url: old.url,
    time: Math.min(old.time, next.time),
    lastSeen: Math.max(old.lastSeen, next.lastSeen),
    count: Math.max(old.count, next.count),
    evidence: next.evidence || old.evidence,
  };
}

export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export class ResearchDb {
  constructor(readonly db: IDBPDatabase<ResearchDbSchema>) {}

  close(): void {
    this.db.close();
  }

  /** Write a batch in one transaction, merging into records that already exist. */
  async upsert(records: readonly ResearchRecord[]): Promise<{ added: number; updated: number }> {
    const tx = this.db.transaction('records', 'readwrite');
    let added = 0;
    const ops = records.map(async (r) => {
      const old = await tx.store.get(r.id);
      if (!old) added++;
      await tx.store.put(old ? mergeRecords(old, r) : r);
    });
    await Promise.all([...ops, tx.done]);
    return { added, updated: records.length - added };
  }

  /**
   * Add imported records in one transaction: all of them or, if anything fails, none.
   * A record whose id is already in the log replaces it (importing the same file twice is a no-op).
   */
  async importRecords(records: readonly ResearchRecord[]): Promise<{ added: number; replaced: number }> {
    const tx = this.db.transaction('records', 'readwrite');
    const requests: Promise<unknown>[] = [];
    const track = <T>(request: Promise<T>): Promise<T> => (requests.push(request), request);
    try {
      // Counting before and after costs two requests; asking per record would double the writes.
      const before = track(tx.store.count());
      // An imported file is as untrusted as a page: its evidence passes the same gate.
      const ops = records.map((r) => track(tx.store.put({ ...r, evidence: cleanEvidence(r.evidence, r.feature) })));
      const after = track(tx.store.count());
      const [b, , a] = await Promise.all([before, Promise.all(ops), after, tx.done]);
      const added = a - b;
      return { added, replaced: records.length - added };
    } catch (error) {
      // A put that throws at once (a record the store refuses) would otherwise let the puts made
      // before it commit: abort, so the log stays exactly as it was.
      try {
        tx.abort();
      } catch {
        // already aborted (a quota error does that by itself)
      }
      // The requests made before the failure are aborted with it: nobody waits for them any more.
      for (const request of [...requests, tx.done]) request.catch(() => {});
      throw error;
    }
  }

  /** Delete the `n` oldest records (by time); returns how many went. */
  async evictOldest(n: number): Promise<number> {
    if (n <= 0) return 0;
    const tx = this.db.transaction('records', 'readwrite');
    let deleted = 0;
    let cursor = await tx.store.index('byTime').openCursor();
    while (cursor && deleted < n) {
      await cursor.delete();
      deleted++;
      cursor = await cursor.continue();
    }
    await tx.done;
    return deleted;
  }

  /** Apply the retention caps: first everything older than `maxAgeDays`, then the oldest over `maxRecords`. */
  async enforceRetention(limits: { maxRecords: number; maxAgeDays: number }, now: number): Promise<number> {
    const tx = this.db.transaction('records', 'readwrite');
    const byTime = tx.store.index('byTime');
    const cutoff = now - limits.maxAgeDays * 86_400_000;
    let deleted = 0;
    let cursor = await byTime.openCursor(IDBKeyRange.upperBound([cutoff], true));
    while (cursor) {
      await cursor.delete();
      deleted++;
      cursor = await cursor.continue();
    }
    let excess = (await tx.store.count()) - limits.maxRecords;
    if (excess > 0) {
      cursor = await byTime.openCursor();
      while (cursor && excess > 0) {
        await cursor.delete();
        deleted++;
        excess--;
        cursor = await cursor.continue();
      }
    }
    await tx.done;
    return deleted;
  }

  async get(id: string): Promise<ResearchRecord | undefined> {
    return this.db.get('records', id);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('records', id);
  }

  async clear(): Promise<void> {
    await this.db.clear('records');
  }

  async countAll(): Promise<number> {
    return this.db.count('records');
  }

  async count(filter: RecordFilter = {}): Promise<number> {
    const ix = indexFor(filter);
    if (!ix) return 0;
    return this.db.countFromIndex('records', ix.name, rangeFor(ix.prefix, filter));
  }

  /** Many counts in one read transaction (the chart's buckets). */
  async countMany(filters: readonly RecordFilter[]): Promise<number[]> {
    const tx = this.db.transaction('records');
    const counts = filters.map((f) => {
      const ix = indexFor(f);
      return ix ? tx.store.index(ix.name).count(rangeFor(ix.prefix, f)) : Promise.resolve(0);
    });
    const [result] = await Promise.all([Promise.all(counts), tx.done]);
    return result;
  }

  /** One page of the table, newest first, starting below `before` (a token from the previous page). */
  async page(filter: RecordFilter, size: number, before: PageToken | null = null): Promise<RecordPage> {
    const ix = indexFor(filter);
    if (!ix) return { records: [], next: null };
    const tx = this.db.transaction('records');
    const records: ResearchRecord[] = [];
    let cursor = await tx.store.index(ix.name).openCursor(rangeFor(ix.prefix, filter, before), 'prev');
    while (cursor && records.length < size) {
      records.push(cursor.value);
      cursor = await cursor.continue();
    }
    const more = cursor !== null;
    await tx.done;
    return { records, next: more && records.length > 0 ? keyOf(ix.prefix, records[records.length - 1]) : null };
  }

  /** Earliest and latest record time under a filter, or null when nothing matches. */
  async timeSpan(filter: RecordFilter = {}): Promise<{ first: number; last: number } | null> {
    const ix = indexFor(filter);
    if (!ix) return null;
    const tx = this.db.transaction('records');
    const index = tx.store.index(ix.name);
    const range = rangeFor(ix.prefix, filter);
    const first = await index.openCursor(range, 'next');
    const last = await index.openCursor(range, 'prev');
    const span = first && last ? { first: first.value.time, last: last.value.time } : null;
    await tx.done;
    return span;
  }

  /**
   * Every record under a filter, oldest first, in chunks, read in ONE transaction so an export is
   * a consistent snapshot. `onChunk` must stay synchronous (an await on anything but this
   * transaction would let it commit early); `count` is read first, in the same snapshot.
   */
  async scan(
    filter: RecordFilter,
    chunkSize: number,
    onStart: (count: number) => void,
    onChunk: (records: ResearchRecord[]) => void,
  ): Promise<number> {
    const ix = indexFor(filter);
    if (!ix) {
      onStart(0);
      return 0;
    }
    const tx = this.db.transaction('records');
    const index = tx.store.index(ix.name);
    onStart(await index.count(rangeFor(ix.prefix, filter)));
    let total = 0;
    let lower: IDBKeyRange = rangeFor(ix.prefix, filter);
    const upper = lower.upper as IDBValidKey;
    for (;;) {
      const chunk = await index.getAll(lower, chunkSize);
      if (chunk.length === 0) break;
      onChunk(chunk);
      total += chunk.length;
      if (chunk.length < chunkSize) break;
      lower = IDBKeyRange.bound(keyOf(ix.prefix, chunk[chunk.length - 1]), upper, true, false);
    }
    await tx.done;
    return total;
  }
}

type RecordStore = IDBPObjectStore<ResearchDbSchema, ArrayLike<'records'>, 'records', 'versionchange'>;

/** Rewrite the evidence of every stored record (inside the upgrade's transaction). */
async function redactStoredEvidence(store: RecordStore): Promise<void> {
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    const evidence = legacyEvidence(cursor.value.evidence, cursor.value.feature);
    if (evidence !== cursor.value.evidence) await cursor.update({ ...cursor.value, evidence });
  }
}

/**
 * Open (and create or upgrade) the log. The database exists only once something opens it: the
 * background opens it at its first write, which happens only after consent.
 */
export async function openResearchDb(name = DB_NAME): Promise<ResearchDb> {
  const db = await openDB<ResearchDbSchema>(name, DB_VERSION, {
    upgrade(database, oldVersion, _newVersion, transaction) {
      // Fall through on purpose: each step upgrades from the version before it.
      switch (oldVersion) {
        case 0: {
          const store = database.createObjectStore('records', { keyPath: 'id' });
          for (const [index, fields] of Object.entries(INDEX_FIELDS) as [IndexName, string[]][]) {
            store.createIndex(index, [...fields, 'time', 'id']);
          }
          break;
        }
        case 1:
          // Version 1 kept evidence as the page showed it, personal data included: redact it.
          void redactStoredEvidence(transaction.objectStore('records'));
      }
    },
    blocking() {
      // A newer version of the extension wants to upgrade: let it.
      db.close();
    },
  });
  return new ResearchDb(db);
}
