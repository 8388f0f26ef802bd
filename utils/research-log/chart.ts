/**
 * Numbers behind the research page's chart: detections over time per platform or per category,
 * and totals per feature. Every number is an index count (db.countMany), so the chart costs the
 * same at 100,000 records as the table does: nothing is loaded to be summed in the page.
 */
import { CATEGORY_IDS, FEATURE_CATEGORY, FEATURE_IDS, PLATFORM_IDS, type FeatureKind } from '../../rules/schema';
import type { ResearchDb } from './db';
import type { RecordFilter } from './types';

export type ChartUnit = 'hour' | 'day' | 'week' | 'month';
export type ChartSeriesBy = 'platform' | 'category';
const UNITS: ChartUnit[] = ['hour', 'day', 'week', 'month'];

/** Bars at most; a long span uses a coarser unit instead of more, thinner bars. */
export const MAX_BUCKETS = 60;

function startOf(t: number, unit: ChartUnit): Date {
  const d = new Date(t);
  if (unit === 'hour') d.setMinutes(0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  if (unit === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7)); // weeks start on Monday
  if (unit === 'month') d.setDate(1);
  return d;
}

function step(d: Date, unit: ChartUnit): Date {
  const next = new Date(d);
  if (unit === 'hour') next.setHours(next.getHours() + 1);
  else if (unit === 'day') next.setDate(next.getDate() + 1);
  else if (unit === 'week') next.setDate(next.getDate() + 7);
  else next.setMonth(next.getMonth() + 1);
  return next;
}

/**
 * Bucket edges (local time, so a day is the user's day) covering [first, last]: bucket i is
 * [edges[i], edges[i+1]). The finest unit that needs at most `maxBuckets` bars wins.
 */
export function bucketEdges(
  first: number,
  last: number,
  maxBuckets = MAX_BUCKETS,
): { unit: ChartUnit; edges: number[] } {
  for (const unit of UNITS) {
    const edges: number[] = [];
    let d = startOf(first, unit);
    edges.push(d.getTime());
    while (d.getTime() <= last && (unit === 'month' || edges.length <= maxBuckets + 1)) {
      d = step(d, unit);
      edges.push(d.getTime());
    }
    if (edges.length - 1 <= maxBuckets || unit === 'month') return { unit, edges };
  }
  throw new Error('unreachable');
}

export interface ChartData {
  unit: ChartUnit;
  edges: number[];
  by: ChartSeriesBy;
  /** Only series with at least one detection, in taxonomy order. */
  series: { key: string; counts: number[]; total: number }[];
  /** Highest stacked bar. */
  max: number;
  /** Records per feature under the filter, largest first, zeros left out. */
  features: { feature: FeatureKind; count: number }[];
  total: number;
}

/** The keys a series can take under a filter (a filter on the series' own field leaves one). */
function seriesKeys(by: ChartSeriesBy, filter: RecordFilter): string[] {
  if (by === 'platform') return filter.platform ? [filter.platform] : [...PLATFORM_IDS];
  if (filter.feature) return [FEATURE_CATEGORY[filter.feature]];
  return filter.category ? [filter.category] : [...CATEGORY_IDS];
}

export async function chartData(db: ResearchDb, filter: RecordFilter, by: ChartSeriesBy): Promise<ChartData | null> {
  const span = await db.timeSpan(filter);
  if (!span) return null;
  const { unit, edges } = bucketEdges(span.first, span.last);
  const keys = seriesKeys(by, filter);
  const queries: RecordFilter[] = [];
  for (const key of keys) {
    for (let i = 0; i < edges.length - 1; i++) {
      const from = Math.max(edges[i], filter.from ?? -Infinity);
      const to = Math.min(edges[i + 1] - 1, filter.to ?? Infinity);
      queries.push({ ...filter, [by]: key, from, to });
    }
  }
  for (const feature of FEATURE_IDS) queries.push({ ...filter, feature });
  const counts = await db.countMany(queries);
  const buckets = edges.length - 1;
  const series = keys
    .map((key, k) => {
      const c = counts.slice(k * buckets, (k + 1) * buckets);
      return { key, counts: c, total: c.reduce((a, b) => a + b, 0) };
    })
    .filter((s) => s.total > 0);
  const featureCounts = counts.slice(keys.length * buckets);
  const features = FEATURE_IDS.map((feature, i) => ({ feature, count: featureCounts[i] }))
    .filter((f) => f.count > 0)
    .sort((a, b) => b.count - a.count);
  let max = 0;
  for (let i = 0; i < buckets; i++)
    max = Math.max(
      max,
      series.reduce((sum, s) => sum + s.counts[i], 0),
    );
  return { unit, edges, by, series, max, features, total: series.reduce((a, s) => a + s.total, 0) };
}

/** Round a maximum up to 1, 2 or 5 × 10ⁿ, for a y axis people can read. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}
