/**
 * Detections over time (stacked bars per platform or per category) and totals per feature, as
 * SVG drawn here: no chart library. Colour is never the only signal: the legend names each
 * series with its total, every bar has a tooltip, and the numbers are also a table.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Category, PlatformId } from '@/rules/schema';
import { chartData, niceMax, type ChartData, type ChartSeriesBy, type ChartUnit } from '@/utils/research-log/chart';
import type { ResearchDb } from '@/utils/research-log/db';
import type { RecordFilter } from '@/utils/research-log/types';
import { PLATFORM_NAMES } from '@/lib/platform-names';
import { categoryLabel, featureLabel } from '@/utils/taxonomy-labels';
import { formatMoment } from '@/lib/format';
import type { UiLocale } from '@/utils/ui-language';

// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const PLATFORM_COLORS: Record<PlatformId, string> = {
  tiktok: '#000000',
  youtube: '#D55E00',
  facebook: '#0072B2',
  instagram: '#CC79A7',
  whatsapp: '#009E73',
  pinterest: '#E69F00',
  x: '#56B4E9',
};
const CATEGORY_COLORS: Record<Category, string> = { transaction: '#B3261E', offer: '#0B57D0', 'link-out': '#1D7A3F' };

const H = 220;

/** The drawing's width follows its box, so labels keep their size from 320 px phones to desktops. */
function useWidth() {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(240, Math.round(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
const PAD = { left: 44, right: 8, top: 10, bottom: 28 };

function seriesName(by: ChartSeriesBy, key: string): string {
  return by === 'platform' ? PLATFORM_NAMES[key as PlatformId] : categoryLabel(key as Category);
}
function seriesColor(by: ChartSeriesBy, key: string): string {
  return by === 'platform' ? PLATFORM_COLORS[key as PlatformId] : CATEGORY_COLORS[key as Category];
}

function bucketLabel(t: number, unit: ChartUnit, locale: UiLocale): string {
  const opts: Intl.DateTimeFormatOptions =
    unit === 'hour'
      ? { day: 'numeric', month: 'short', hour: '2-digit' }
      : unit === 'month'
        ? { month: 'short', year: 'numeric' }
        : { day: 'numeric', month: 'short' };
  return formatMoment(t, locale, opts);
}

export function ChartPanel({
  db,
  filter,
  revision,
  locale,
}: {
  db: ResearchDb;
  filter: RecordFilter;
  revision: number;
  locale: UiLocale;
}) {
  const [by, setBy] = useState<ChartSeriesBy>('platform');
  const [data, setData] = useState<ChartData | null | undefined>(undefined);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    chartData(db, filter, by).then(
      (d) => live && setData(d),
      () => live && setData(null),
    );
    return () => {
      live = false;
    };
  }, [db, filterKey, by, revision]);

  return (
    <section class="rl__section" aria-labelledby="rl-chart">
      <h2 id="rl-chart">{i18n.t('research.chart.heading')}</h2>
      <fieldset class="rl__radios">
        <legend>{i18n.t('research.chart.by')}</legend>
        {(['platform', 'category'] as const).map((b) => (
          <label key={b}>
            <input type="radio" name="chart-by" value={b} checked={by === b} onChange={() => setBy(b)} />
            {b === 'platform' ? i18n.t('research.chart.byPlatform') : i18n.t('research.chart.byCategory')}
          </label>
        ))}
      </fieldset>
      {data === undefined ? <p role="status">{i18n.t('research.loading')}</p> : null}
      {data === null ? <p>{i18n.t('research.chart.empty')}</p> : null}
      {data ? <Bars data={data} locale={locale} /> : null}
      {data ? <FeatureTotals data={data} /> : null}
    </section>
  );
}

function Bars({ data, locale }: { data: ChartData; locale: UiLocale }) {
  const [ref, W] = useWidth();
  const buckets = data.edges.length - 1;
  const top = niceMax(data.max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / buckets;
  // A few buckets would make bars as wide as the chart: cap them and centre the group.
  const barW = Math.min(bw * 0.8, 48);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const unitName = i18n.t(`research.chart.unit.${data.unit}`);
  const title = i18n.t('research.chart.title', [unitName]);
  // As many date labels as fit (about 80 px each), always the first and the last bucket.
  const every = Math.max(1, Math.ceil(buckets / Math.max(1, Math.floor(plotW / 80))));
  const ticks = [
    ...new Set([...Array.from({ length: buckets }, (_, i) => i).filter((i) => i % every === 0), buckets - 1]),
  ];
  if (ticks.length > 1 && ticks[ticks.length - 1] - ticks[ticks.length - 2] < every) ticks.splice(-2, 1);
  // Round steps up the y axis: niceMax gives 1, 2 or 5 × 10ⁿ, split in fifths or quarters; counts are whole.
  const divisions = String(top).startsWith('2') ? 4 : 5;
  const yTicks = Array.from({ length: divisions + 1 }, (_, k) => (top * k) / divisions).filter(Number.isInteger);
  /** A label at the chart's edge is anchored inside it, so it is never cut. */
  const anchor = (i: number) =>
    buckets > 1 && i === 0 ? 'start' : buckets > 1 && i === buckets - 1 ? 'end' : 'middle';
  const tickX = (i: number) =>
    anchor(i) === 'start'
      ? PAD.left + i * bw
      : anchor(i) === 'end'
        ? PAD.left + (i + 1) * bw
        : PAD.left + i * bw + bw / 2;

  return (
    <figure class="rl__figure" ref={ref}>
      <figcaption id="rl-chart-title">{title}</figcaption>
      <svg
        class="rl__svg"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="rl-chart-title"
        aria-describedby="rl-chart-legend"
        data-testid="chart"
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} class="rl__axis" />
        {yTicks.map((v) => (
          <g key={v}>
            {v > 0 ? <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} class="rl__grid" /> : null}
            <text x={PAD.left - 4} y={y(v) + 4} text-anchor="end" class="rl__tick" data-y-tick={v}>
              {v}
            </text>
          </g>
        ))}
        {Array.from({ length: buckets }, (_, i) => {
          let base = 0;
          return (
            <g key={i}>
              {data.series.map((s) => {
                const v = s.counts[i];
                if (v === 0) return null;
                const y0 = y(base);
                base += v;
                const y1 = y(base);
                return (
                  <rect
                    key={s.key}
                    x={PAD.left + i * bw + (bw - barW) / 2}
                    width={Math.max(barW, 1)}
                    y={y1}
                    height={Math.max(y0 - y1, 0.5)}
                    fill={seriesColor(data.by, s.key)}
                    data-series={s.key}
                  >
                    <title>{`${bucketLabel(data.edges[i], data.unit, locale)} · ${seriesName(data.by, s.key)}: ${v}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        {ticks.map((i) => (
          <text key={i} x={tickX(i)} y={H - 8} text-anchor={anchor(i)} class="rl__tick" data-x-tick={i}>
            {bucketLabel(data.edges[i], data.unit, locale)}
          </text>
        ))}
      </svg>
      <ul class="rl__legend" id="rl-chart-legend">
        {data.series.map((s) => (
          <li key={s.key} data-series={s.key}>
            <span class="rl__swatch" style={{ background: seriesColor(data.by, s.key) }} aria-hidden="true" />
            {seriesName(data.by, s.key)}: {s.total}
          </li>
        ))}
      </ul>
      <details class="ln-fold">
        <summary>{i18n.t('research.chart.table')}</summary>
        <div class="rl__scroll">
          <table class="rl__data">
            <thead>
              <tr>
                <th scope="col">{i18n.t('research.chart.period')}</th>
                {data.series.map((s) => (
                  <th scope="col" key={s.key}>
                    {seriesName(data.by, s.key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: buckets }, (_, i) => (
                <tr key={i}>
                  <th scope="row">{bucketLabel(data.edges[i], data.unit, locale)}</th>
                  {data.series.map((s) => (
                    <td key={s.key}>{s.counts[i]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function FeatureTotals({ data }: { data: ChartData }) {
  const max = Math.max(1, ...data.features.map((f) => f.count));
  return (
    <div>
      <h3>{i18n.t('research.chart.features')}</h3>
      <ul class="rl__totals" data-testid="feature-totals">
        {data.features.map((f) => (
          <li key={f.feature} data-feature={f.feature}>
            <span class="rl__totals-label">{featureLabel(f.feature)}</span>
            <span class="rl__totals-bar" aria-hidden="true">
              <span style={{ width: `${(f.count / max) * 100}%` }} />
            </span>
            <span class="rl__totals-count">{f.count}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
