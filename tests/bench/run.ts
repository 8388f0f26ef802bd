/**
 * `npm run bench`: what Lensa Niaga costs a page, measured in real Chromium.
 *
 *   build (shipped + naive variants) ─▶ for each round, platform, configuration (A, B, C, D, A, …):
 *     fresh browser ─▶ synthetic infinite feed under the platform's real URL ─▶ scroll until
 *     POSTS posts are in ─▶ [B only: 10 s with the tab hidden] ─▶ trace + metrics ─▶ numbers
 *   ─▶ table, JSON in tests/bench/results/, and the `bench:` ratio line
 *
 * Configurations: A no extension (baseline) · B Lensa Niaga as shipped · C Lensa Niaga built with
 * the bench-only naive mode (full rescan on every mutation) · D DuckDuckGo autoconsent, a
 * well-known DOM-rule extension, as a reference point.
 *
 * Per run: main-thread task time (Performance.getMetrics TaskDuration), the extension's own time
 * from the trace (tests/bench/trace.ts), its longest task, JS heap after GC, detection latency
 * (insertion → visible through `detections:get`), and for B the extension's time in a hidden tab.
 *
 * Environment knobs (defaults in brackets): BENCH_RUNS [3], BENCH_POSTS [5000],
 * BENCH_PLATFORMS [tiktok,youtube], BENCH_CONFIGS [A,B,C,D], BENCH_HIDDEN_MS [10000],
 * BENCH_NAIVE_ROUNDS [1] (rounds that include C), BENCH_EXTENSION=<dir> (an unpacked Chrome build
 * to run as B instead of this tree's, for before/after comparisons),
 * BENCH_SKIP_BUILD=1 (reuse .output/bench), BENCH_PROFILE=1 (add CPU-profile samples: promise
 * continuations, at the price of the profiler's own overhead),
 * BENCH_KEEP_TRACE=1 (write each run's trace next to the results), BENCH_NO_MINIFY=1 (readable
 * names in profiles; for finding hot spots only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { resolve } from 'node:path';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import type { TabReport } from '../../rules/schema';
import { Extension, extensionWorker, routePages } from '../e2e/fixtures';
import { launch } from './browser';
import { buildVariants, ROOT, variantDir } from './build';
import { DEFAULT_FEED, FEED_URLS, feedPage, shoppingPlan, type FeedPlatform, type ShoppingKind } from './feed';
import { max, median, quantile, spread } from './stats';
import {
  attribute,
  findMarks,
  startTrace,
  stopTrace,
  TRACE_CATEGORIES,
  type Attribution,
  type TraceEvent,
} from './trace';

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

type ConfigId = 'A' | 'B' | 'C' | 'D';

const CONFIGS: Record<ConfigId, { name: string; extension: () => string | null; ours: boolean }> = {
  A: { name: 'baseline (no extension)', extension: () => null, ours: false },
  B: {
    name: 'Lensa Niaga',
    extension: () => (env.BENCH_EXTENSION ? resolve(env.BENCH_EXTENSION) : variantDir('shipped')),
    ours: true,
  },
  C: { name: 'Lensa Niaga, naive rescan', extension: () => variantDir('naive'), ours: true },
  D: {
    name: 'autoconsent (reference)',
    extension: () => resolve(ROOT, 'node_modules/@duckduckgo/autoconsent/dist/addon-mv3'),
    ours: false,
  },
};

const env = process.env;
const RUNS = Number(env.BENCH_RUNS ?? 3);
const POSTS = Number(env.BENCH_POSTS ?? DEFAULT_FEED.posts);
const PLATFORMS = (env.BENCH_PLATFORMS ?? 'tiktok,youtube').split(',').filter(Boolean) as FeedPlatform[];
const CONFIG_ORDER = (env.BENCH_CONFIGS ?? 'A,B,C,D').split(',').filter(Boolean) as ConfigId[];
const HIDDEN_MS = Number(env.BENCH_HIDDEN_MS ?? 10_000);
/**
 * Rounds that include C. The naive mode's cost grows with the square of the feed (a full rescan per
 * batch): one C run takes about a minute, so by default C runs in the first round only, which keeps
 * `npm run bench` under ten minutes on two cores. Its ratio is paired with B of the same round.
 */
const NAIVE_ROUNDS = Number(env.BENCH_NAIVE_ROUNDS ?? 1);
/**
 * Also attribute promise continuations through V8 CPU-profile samples. Off by default: the
 * sampling profiler slows script-heavy code (the extension's more than the page's) by tens of
 * percent, so it would inflate the very ratio it refines.
 */
const PROFILE = env.BENCH_PROFILE === '1';

/** One wheel step scrolls further than a batch is tall, so every step brings in about one batch. */
const WHEEL_PX = 6000;
/** Pause between wheel steps: the same input schedule for every configuration. */
const STEP_MS = 30;
/** After the last post: time for queued work to finish before the measurement window closes. */
const SETTLE_MS = 1000;
/** Poll interval of `detections:get` for the latency measurement. */
const POLL_MS = 20;

const TARGETS = { overhead: 1.02, longestTaskMs: 4, p95Ms: 250, naiveRatio: 20, hiddenMs: 1 };

// ---------------------------------------------------------------------------------------------
// One run
// ---------------------------------------------------------------------------------------------

interface LatencyResult {
  samples: number;
  p50: number;
  p95: number;
  max: number;
  /** Which rule's counts were matched to which shopping posts. */
  matched: { ruleId: string; kinds: ShoppingKind[]; count: number }[];
  unmatched: { ruleId: string; count: number }[];
}

interface RunResult {
  round: number;
  platform: FeedPlatform;
  config: ConfigId;
  posts: number;
  wallMs: number;
  /** Performance.getMetrics TaskDuration between navigation commit and the end mark (ms). */
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  extension: Attribution | null;
  heapUsedMb: number;
  latency: LatencyResult | null;
  hidden: (Attribution & { postsAppended: number; visibility: string }) | null;
  detections: { ruleId: string; count: number }[];
}

class WindowedExtension extends Extension {
  constructor(
    context: BrowserContext,
    id: string,
    private readonly controlPage: Page,
  ) {
    super(context, id);
  }

  override async control(): Promise<Page> {
    return this.controlPage;
  }
}

let browserVersion = 'unknown';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mark(page: Page, label: string): Promise<void> {
  await page.evaluate((l) => console.timeStamp(l), label);
}

async function metrics(session: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/**
 * The control page (the extension's popup page) opens in a window of its own: a background tab
 * would have its timers throttled to once a second, which would ruin the latency polling.
 */
async function openControlWindow(context: BrowserContext, id: string): Promise<Page> {
  const worker = await extensionWorker(context);
  const url = `chrome-extension://${id}/popup.html`;
  const opened = context.waitForEvent('page', { predicate: (p) => p.url().startsWith(url), timeout: 10_000 });
  await worker.evaluate((u) => chrome.windows.create({ url: u, focused: false, width: 420, height: 700 }), url);
  const page = await opened;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** Start polling `detections:get` inside the control page; returns a function that stops it. */
async function startPolling(control: Page, tabId: number) {
  await control.evaluate(() => {
    (window as unknown as { __benchStop: boolean }).__benchStop = false;
  });
  const done = control.evaluate(
    async ({ tabId: id, interval }) => {
      const w = window as unknown as { __benchStop: boolean };
      const seen: Record<string, number> = {};
      const changes: { ruleId: string; count: number; t: number }[] = [];
      while (!w.__benchStop) {
        const r = (await chrome.runtime.sendMessage({ type: 'detections:get', tabId: id })) as TabReport;
        for (const d of r.detections ?? []) {
          if ((seen[d.ruleId] ?? 0) < d.count) {
            seen[d.ruleId] = d.count;
            // updatedAt: when the background stored the diff that raised the count
            changes.push({ ruleId: d.ruleId, count: d.count, t: r.updatedAt });
          }
        }
        await new Promise((res) => setTimeout(res, interval));
      }
      return changes;
    },
    { tabId, interval: POLL_MS },
  );
  return async () => {
    await control.evaluate(() => {
      (window as unknown as { __benchStop: boolean }).__benchStop = true;
    });
    return done;
  };
}

/**
 * Latency per shopping post: the j-th post carrying kinds S is taken to be the j-th element a rule
 * counted, where S is the smallest set of kinds whose post count equals the rule's final count
 * (a marketplace-link rule also counts the Tokopedia links of product anchors, for example).
 * Rules whose count fits no set (page chrome such as the Shop tab) are listed, not measured.
 */
export function latencies(
  changes: { ruleId: string; count: number; t: number }[],
  shopping: { index: number; kinds: ShoppingKind[]; t: number }[],
): LatencyResult {
  const byRule = new Map<string, { count: number; t: number }[]>();
  for (const c of changes) {
    if (!byRule.has(c.ruleId)) byRule.set(c.ruleId, []);
    byRule.get(c.ruleId)!.push(c);
  }
  const allKinds: ShoppingKind[] = ['anchor', 'shop-button', 'marketplace-link'];
  const subsets: ShoppingKind[][] = [];
  for (let m = 1; m < 1 << allKinds.length; m++) subsets.push(allKinds.filter((_, i) => m & (1 << i)));
  subsets.sort((a, b) => a.length - b.length);

  const samples: number[] = [];
  const matched: LatencyResult['matched'] = [];
  const unmatched: LatencyResult['unmatched'] = [];
  for (const [ruleId, list] of byRule) {
    const final = list[list.length - 1].count;
    const kinds = subsets.find((s) => shopping.filter((p) => p.kinds.some((k) => s.includes(k))).length === final);
    if (!kinds) {
      unmatched.push({ ruleId, count: final });
      continue;
    }
    matched.push({ ruleId, kinds, count: final });
    const posts = shopping.filter((p) => p.kinds.some((k) => kinds.includes(k)));
    let reached = 0;
    for (const c of list) {
      for (let j = reached; j < c.count; j++) samples.push(c.t - posts[j].t);
      reached = c.count;
    }
  }
  return {
    samples: samples.length,
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    max: max(samples),
    matched,
    unmatched,
  };
}

async function runOnce(round: number, platform: FeedPlatform, config: ConfigId, html: string): Promise<RunResult> {
  const cfg = CONFIGS[config];
  const extensionPath = cfg.extension();
  const url = FEED_URLS[platform];
  const started = Date.now();
  const b = await launch(extensionPath ? [extensionPath] : []);
  try {
    const { context, browser } = b;
    browserVersion = browser.version();
    await routePages(context, [{ url, html, expect: [], file: 'bench' }]);
    const page = context.pages()[0] ?? (await context.newPage());
    let id: string | null = null;
    let ext: WindowedExtension | null = null;
    if (extensionPath) {
      const worker = await extensionWorker(context);
      id = new URL(worker.url()).host;
      if (cfg.ours) ext = new WindowedExtension(context, id, await openControlWindow(context, id));
    }
    await page.bringToFront();

    const tracing = await browser.newBrowserCDPSession();
    const session = await context.newCDPSession(page);
    // Thread time, like the trace attribution: robust to whatever else the machine is running.
    await session.send('Performance.enable', { timeDomain: 'threadTicks' });
    await startTrace(tracing, PROFILE ? TRACE_CATEGORIES : TRACE_CATEGORIES.filter((c) => !c.includes('cpu_profiler')));

    await page.goto(url, { waitUntil: 'commit' });
    const m0 = await metrics(session);
    await page.waitForLoadState('load');
    await mark(page, 'bench:start');
    if ((await page.evaluate(() => document.visibilityState)) !== 'visible')
      throw new Error('the feed tab is not visible');

    let tabId = -1;
    let stopPolling: (() => Promise<{ ruleId: string; count: number; t: number }[]>) | null = null;
    if (ext) {
      tabId = await ext.tabIdOf(page);
      await ext.waitForReport(tabId, (r) => r.url === url, 5_000);
      stopPolling = await startPolling(await ext.control(), tabId);
    } else {
      await sleep(300); // the same pause the extension configurations spend on the first report
    }

    // Scroll: the page appends a batch whenever the viewport nears the end of the feed.
    await page.mouse.move(700, 450);
    let total = 0;
    for (let step = 0; total < POSTS && step < (POSTS / DEFAULT_FEED.batch) * 4; step++) {
      await page.mouse.wheel(0, WHEEL_PX);
      await sleep(STEP_MS);
      if (step % 5 === 4)
        total = await page.evaluate(() => (window as unknown as { __feed: { total: number } }).__feed.total);
    }
    if (total < POSTS) throw new Error(`the feed reached only ${total} of ${POSTS} posts`);
    await sleep(SETTLE_MS);
    await mark(page, 'bench:end');
    const m1 = await metrics(session);
    const changes = stopPolling ? await stopPolling() : [];
    const shopping = await page.evaluate(
      () =>
        (window as unknown as { __feed: { shopping: { index: number; kinds: ShoppingKind[]; t: number }[] } }).__feed
          .shopping,
    );
    const report = ext ? await ext.report(tabId) : null;

    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    const heap = await session.send('Runtime.getHeapUsage');

    // Hidden tab (B): a live feed keeps appending on a timer while another tab is in front.
    let hiddenInfo: { postsAppended: number; visibility: string } | null = null;
    if (config === 'B' && HIDDEN_MS > 0 && ext) {
      await page.evaluate(
        (upTo) =>
          (window as unknown as { __feed: { autoAppend(ms: number, n: number): void } }).__feed.autoAppend(250, upTo),
        POSTS + 2000,
      );
      const control = await ext.control();
      const cover = await control.evaluate(async (tab) => {
        const t = await chrome.tabs.get(tab);
        return (await chrome.tabs.create({ windowId: t.windowId, active: true, url: 'about:blank' })).id;
      }, tabId);
      await sleep(200);
      const before = await page.evaluate(() => ({
        v: document.visibilityState,
        n: (window as unknown as { __feed: { total: number } }).__feed.total,
      }));
      await mark(page, 'bench:hidden-start');
      await sleep(HIDDEN_MS);
      await mark(page, 'bench:hidden-end');
      const after = await page.evaluate(() => ({
        v: document.visibilityState,
        n: (window as unknown as { __feed: { total: number } }).__feed.total,
      }));
      await page.evaluate(() => (window as unknown as { __feed: { stopAuto(): void } }).__feed.stopAuto());
      await control.evaluate((t) => chrome.tabs.remove(t!), cover);
      hiddenInfo = {
        postsAppended: after.n - before.n,
        visibility: before.v === after.v ? before.v : `${before.v}→${after.v}`,
      };
    }

    const events = await stopTrace(tracing);
    if (env.BENCH_KEEP_TRACE === '1') {
      // For a look in DevTools' Performance panel (or a profile of the extension's hot spots).
      const dir = resolve(ROOT, 'tests/bench/results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(resolve(dir, `trace-${platform}-${config}-${round}.json`), JSON.stringify({ traceEvents: events }));
    }
    const marks = findMarks(events, 'bench:');
    const start = marks.get('bench:start');
    const end = marks.get('bench:end');
    if (!start || !end) throw new Error('the trace lacks the bench marks');
    const origin = id ? `chrome-extension://${id}/` : null;
    const where = { pid: end.pid, tid: end.tid };
    const extension = origin ? attribute(events, { ...where, origin, from: firstTs(events), to: end.ts }) : null;
    let hidden: RunResult['hidden'] = null;
    if (hiddenInfo && origin) {
      const hs = marks.get('bench:hidden-start');
      const he = marks.get('bench:hidden-end');
      if (!hs || !he) throw new Error('the trace lacks the hidden-tab marks');
      hidden = { ...attribute(events, { ...where, origin, from: hs.ts, to: he.ts }), ...hiddenInfo };
    }

    return {
      round,
      platform,
      config,
      posts: total,
      wallMs: Date.now() - started,
      taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000,
      scriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000,
      layoutMs:
        ((m1.LayoutDuration ?? 0) -
          (m0.LayoutDuration ?? 0) +
          (m1.RecalcStyleDuration ?? 0) -
          (m0.RecalcStyleDuration ?? 0)) *
        1000,
      extension,
      heapUsedMb: heap.usedSize / 2 ** 20,
      latency: ext ? latencies(changes, shopping) : null,
      hidden,
      detections: (report?.detections ?? [])
        .map((d) => ({ ruleId: d.ruleId, count: d.count }))
        .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    };
  } finally {
    await b.close();
  }
}

function firstTs(events: readonly TraceEvent[]): number {
  let t = Infinity;
  for (const e of events) if (e.ts > 0 && e.ts < t) t = e.ts;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i])).join('  ')).join('\n');
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

async function main(): Promise<void> {
  const t0 = Date.now();
  let sizes: { shippedBytes: number; naiveBytes: number } | null = null;
  if (env.BENCH_SKIP_BUILD !== '1') {
    process.stdout.write('bench: building the shipped and the naive variant… ');
    sizes = buildVariants();
    console.log(
      `done (largest content script ${(sizes.shippedBytes / 1024).toFixed(1)} kB shipped, no naive code in it).`,
    );
  }
  const pages = new Map(PLATFORMS.map((p) => [p, feedPage({ ...DEFAULT_FEED, posts: POSTS, platform: p })]));
  const plan = shoppingPlan({ ...DEFAULT_FEED, posts: POSTS });
  const count = (k: ShoppingKind) => plan.filter((x) => x.includes(k)).length;
  console.log(
    `bench: ${RUNS} round(s) × ${PLATFORMS.join(', ')} × ${CONFIG_ORDER.join(', ')}` +
      (CONFIG_ORDER.includes('C') && NAIVE_ROUNDS < RUNS ? ` (C in the first ${NAIVE_ROUNDS} round(s) only)` : '') +
      `; ${POSTS} posts per run in batches of ` +
      `${DEFAULT_FEED.batch} (${count('anchor')} with a product anchor or merch shelf, ${count('shop-button')} with a shop button, ` +
      `${count('marketplace-link')} with a marketplace link)`,
  );

  const results: RunResult[] = [];
  for (let round = 1; round <= RUNS; round++) {
    for (const platform of PLATFORMS) {
      for (const config of CONFIG_ORDER) {
        if (config === 'C' && round > NAIVE_ROUNDS) continue;
        const r = await runOnce(round, platform, config, pages.get(platform)!);
        results.push(r);
        const ext = r.extension
          ? ` ext=${fmt(r.extension.totalMs, 1)} ms longest=${fmt(r.extension.longestMs)} ms`
          : '';
        const lat = r.latency ? ` p95=${fmt(r.latency.p95, 0)} ms (${r.latency.samples})` : '';
        const hid = r.hidden ? ` hidden=${fmt(r.hidden.totalMs)} ms` : '';
        console.log(
          `  round ${round} ${pad(platform, 7)} ${config}: task=${fmt(r.taskMs, 0)} ms${ext}${lat}${hid} [${(r.wallMs / 1000).toFixed(1)} s]`,
        );
      }
    }
  }

  // Pair each extension run with the baseline run of the same round and platform.
  const pick = (platform: FeedPlatform, config: ConfigId, round: number) =>
    results.find((r) => r.platform === platform && r.config === config && r.round === round);
  const perRound = (fn: (p: FeedPlatform, round: number) => number | null, platforms = PLATFORMS) => {
    const out: number[] = [];
    for (const p of platforms)
      for (let round = 1; round <= RUNS; round++) {
        const v = fn(p, round);
        if (v !== null && Number.isFinite(v)) out.push(v);
      }
    return out;
  };
  const extMs = (p: FeedPlatform, c: ConfigId, round: number) => pick(p, c, round)?.extension?.totalMs ?? null;
  const overheads = (platforms: FeedPlatform[], c: ConfigId = 'B') =>
    perRound((p, round) => {
      const a = pick(p, 'A', round)?.taskMs;
      const e = extMs(p, c, round);
      return a && e !== null ? 1 + e / a : null;
    }, platforms);
  const ratios = (platforms: FeedPlatform[], num: ConfigId) =>
    perRound((p, round) => {
      const n = extMs(p, num, round);
      const d = extMs(p, 'B', round);
      return n !== null && d ? n / d : null;
    }, platforms);
  const values = (platforms: FeedPlatform[], c: ConfigId, f: (r: RunResult) => number | undefined) =>
    results
      .filter((r) => platforms.includes(r.platform) && r.config === c)
      .map(f)
      .filter((x): x is number => x !== undefined && Number.isFinite(x));

  // Table
  const rows: string[][] = [
    [
      'platform',
      'config',
      'task ms',
      'ext ms',
      ...(PROFILE ? ['of which continuations'] : []),
      'longest ms',
      'longest callback',
      'heap MB',
      'p50 ms',
      'p95 ms',
      'hidden ms',
      'overhead',
    ],
  ];
  for (const p of PLATFORMS) {
    const baseHeap = median(values([p], 'A', (r) => r.heapUsedMb));
    for (const c of CONFIG_ORDER) {
      const heap = values([p], c, (r) => r.heapUsedMb);
      rows.push([
        p,
        `${c} ${CONFIGS[c].name}`,
        spread(
          values([p], c, (r) => r.taskMs),
          0,
        ),
        c === 'A'
          ? '—'
          : spread(
              values([p], c, (r) => r.extension?.totalMs),
              1,
            ),
        ...(PROFILE
          ? [
              c === 'A'
                ? '—'
                : spread(
                    values([p], c, (r) => r.extension?.continuationMs),
                    1,
                  ),
            ]
          : []),
        c === 'A'
          ? '—'
          : spread(
              values([p], c, (r) => r.extension?.longestMs),
              2,
            ),
        c === 'A'
          ? '—'
          : spread(
              values([p], c, (r) => r.extension?.longestCallbackMs),
              2,
            ),
        c === 'A' ? spread(heap, 1) : `${spread(heap, 1)} (Δ ${fmt(median(heap) - baseHeap, 1)})`,
        CONFIGS[c].ours
          ? spread(
              values([p], c, (r) => r.latency?.p50),
              0,
            )
          : '—',
        CONFIGS[c].ours
          ? spread(
              values([p], c, (r) => r.latency?.p95),
              0,
            )
          : '—',
        c === 'B'
          ? spread(
              values([p], c, (r) => r.hidden?.totalMs),
              2,
            )
          : '—',
        c === 'A' ? '—' : spread(overheads([p], c), 4),
      ]);
    }
  }
  console.log('\n' + table(rows));
  console.log(
    'task ms: Performance.getMetrics TaskDuration (thread time) of the page, navigation to end of scroll (whole page, noisy).',
  );
  console.log(
    "ext ms: main-thread CPU time of trace events in the extension's scripts (chrome-extension://<id>/…)" +
      (PROFILE
        ? '; continuations: CPU-profile samples in its code outside those events (profiler on: all numbers inflated).'
        : '.'),
  );
  console.log(
    "longest: the longest stretch of the extension's code (CPU); longest callback: the same without injecting the script.",
  );
  console.log('heap: V8 heap used after GC (page and extension worlds share the isolate; Δ is against A).');
  console.log('overhead: 1 + ext ms / baseline task ms of the same round. Cells: median (min–max) over rounds.');

  // Detections and latency matching, from the B runs.
  for (const p of PLATFORMS) {
    const last = results.filter((r) => r.platform === p && r.config === 'B').at(-1);
    if (!last) continue;
    console.log(
      `\n${p}: detections reported by detections:get (B, last round): ${last.detections.map((d) => `${d.ruleId}×${d.count}`).join(', ') || 'none'}`,
    );
    if (last.latency) {
      console.log(
        `  latency measured on: ${last.latency.matched.map((m) => `${m.ruleId} ↔ ${m.kinds.join('+')}`).join(', ') || 'nothing'}` +
          (last.latency.unmatched.length
            ? `; not per-post: ${last.latency.unmatched.map((u) => `${u.ruleId}×${u.count}`).join(', ')}`
            : ''),
      );
      // A rule counts as detecting a kind of post when its count equals exactly those posts.
      const kinds: ShoppingKind[] = ['anchor', 'shop-button', 'marketplace-link'];
      const missed = kinds.filter((k) => !last.latency!.matched.some((m) => m.kinds.includes(k)));
      console.log(
        missed.length === 0
          ? '  every shopping post in the feed was detected (counts match post for post)'
          : `  WARNING: posts with ${missed.join(', ')} were not detected one for one by any rule`,
      );
    }
    const longest = last.extension?.longest ?? [];
    if (longest.length) {
      console.log(
        '  longest extension tasks (B, last round): CPU ms (wall ms), event, ms after start [nested browser work, wall ms]',
      );
      for (const l of longest)
        console.log(
          `    ${fmt(l.ms)} (wall ${fmt(l.wallMs)}) ${l.name} @${fmt(l.at, 0)}${l.inside ? ` [${l.inside}]` : ''}`,
        );
    }
    if (last.hidden)
      console.log(
        `  hidden tab: visibility ${last.hidden.visibility}, ${last.hidden.postsAppended} posts appended in ${HIDDEN_MS / 1000} s, ${last.hidden.tasks} extension task(s)`,
      );
  }

  const all = PLATFORMS;
  const summary = {
    overhead: median(overheads(all)),
    naive_ratio: median(ratios(all, 'C')),
    p95_ms: median(values(all, 'B', (r) => r.latency?.p95)),
    longest_task_ms: median(values(all, 'B', (r) => r.extension?.longestMs)),
    hidden_ms: median(values(all, 'B', (r) => r.hidden?.totalMs)),
    peer_ratio: median(ratios(all, 'D')),
  };
  const held = {
    overhead: summary.overhead <= TARGETS.overhead,
    longest_task_ms: max(values(all, 'B', (r) => r.extension?.longestMs)) <= TARGETS.longestTaskMs,
    p95_ms: summary.p95_ms <= TARGETS.p95Ms,
    naive_ratio: summary.naive_ratio >= TARGETS.naiveRatio,
    hidden_ms: summary.hidden_ms <= TARGETS.hiddenMs,
  };
  console.log(
    `\ntargets: overhead ≤${TARGETS.overhead} ${held.overhead ? 'holds' : 'MISSED'} · every extension task ≤${TARGETS.longestTaskMs} ms ` +
      `${held.longest_task_ms ? 'holds' : `MISSED (max ${fmt(max(values(all, 'B', (r) => r.extension?.longestMs)))} ms)`} · p95 ≤${TARGETS.p95Ms} ms ` +
      `${held.p95_ms ? 'holds' : 'MISSED'} · naive/extension ≥${TARGETS.naiveRatio}× ${held.naive_ratio ? 'holds' : 'MISSED'} · hidden ≈0 ` +
      `(≤${TARGETS.hiddenMs} ms) ${held.hidden_ms ? 'holds' : 'MISSED'}`,
  );

  const outDir = resolve(ROOT, 'tests/bench/results');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = resolve(outDir, `bench-${stamp}.json`);
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    chromium: browserVersion,
  };
  writeFileSync(
    file,
    JSON.stringify(
      {
        when: new Date().toISOString(),
        machine,
        settings: {
          RUNS,
          POSTS,
          PLATFORMS,
          CONFIG_ORDER,
          HIDDEN_MS,
          PROFILE,
          WHEEL_PX,
          STEP_MS,
          SETTLE_MS,
          POLL_MS,
          feed: DEFAULT_FEED,
        },
        sizes,
        summary,
        targets: TARGETS,
        held,
        results,
      },
      null,
      1,
    ),
  );
  console.log(`raw numbers: ${file.replace(ROOT + '/', '')} (${((Date.now() - t0) / 1000).toFixed(0)} s in all)`);
  console.log(
    `bench: overhead=${fmt(summary.overhead, 4)} naive_ratio=${fmt(summary.naive_ratio, 1)} p95_ms=${fmt(summary.p95_ms, 0)} ` +
      `longest_task_ms=${fmt(summary.longest_task_ms, 2)} hidden_ms=${fmt(summary.hidden_ms, 2)} peer_ratio=${fmt(summary.peer_ratio, 2)}`,
  );
}

await main();
