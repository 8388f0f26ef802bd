/** Small statistics helpers for the bench (no dependencies, easy to check by hand). */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile (q in [0, 1]) of the values; NaN for an empty list. */
export function quantile(xs: readonly number[], q: number): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export function min(xs: readonly number[]): number {
  return xs.length ? Math.min(...xs) : NaN;
}

export function max(xs: readonly number[]): number {
  return xs.length ? Math.max(...xs) : NaN;
}

/** "median (min–max)" with a fixed number of decimals. */
export function spread(xs: readonly number[], digits = 1): string {
  if (xs.length === 0) return 'n/a';
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
  return xs.length === 1 ? f(xs[0]) : `${f(median(xs))} (${f(min(xs))}–${f(max(xs))})`;
}

export interface Interval {
  start: number;
  end: number;
}

/** Overlapping or nested intervals merged into disjoint ones, sorted by start. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({ start: iv.start, end: iv.end });
  }
  return out;
}

/** Whether `t` lies inside one of the sorted, disjoint `intervals` (binary search). */
export function inside(intervals: readonly Interval[], t: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = intervals[mid];
    if (t < iv.start) hi = mid - 1;
    else if (t > iv.end) lo = mid + 1;
    else return true;
  }
  return false;
}
