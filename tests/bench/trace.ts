/**
 * Recording a Chrome trace over CDP and attributing main-thread time to one extension's scripts.
 *
 * What counts as the extension's time, on the page's renderer main thread only:
 * 1. every trace event that carries a script URL under `chrome-extension://<id>/`: `EvaluateScript`
 *    (injecting the content script), `v8.compile`, and `FunctionCall` (each callback the browser
 *    calls into the script: observer callbacks, animation frames, timers, event listeners,
 *    extension-API callbacks). Nested events are counted once, through the outermost one.
 *    An outermost event is one stretch of the extension's code running without the page in
 *    between: the longest of them is the "longest extension task";
 * 2. plus the V8 CPU-profile samples whose stack holds a frame of the extension's scripts but which
 *    fall outside every interval of (1): code that runs in promise continuations (microtasks) has
 *    no `FunctionCall` event of its own, which is why Performance.getMetrics' ScriptDuration
 *    misses it.
 *
 * Durations are thread (CPU) time, the events' `tdur`, not wall time: on a shared 2-core machine a
 * task's wall time also counts the moments the OS ran something else, which says more about the
 * machine's other load than about the extension.
 */
import type { CDPSession } from '@playwright/test';
import { inside, mergeIntervals, type Interval } from './stats';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds on the trace clock. */
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, µs. */
  tdur?: number;
  id?: string;
  args?: Record<string, unknown> & { data?: Record<string, unknown> };
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-v8.cpu_profiler'];

export async function startTrace(session: CDPSession, categories = TRACE_CATEGORIES): Promise<void> {
  await session.send('Tracing.start', {
    traceConfig: { includedCategories: categories, recordMode: 'recordContinuously' },
    transferMode: 'ReturnAsStream',
  });
}

/** Stop tracing and read the whole trace back through the IO stream. */
export async function stopTrace(session: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<{ stream?: string }>((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) throw new Error('the trace came back without a stream');
  const chunks: string[] = [];
  for (;;) {
    const r = await session.send('IO.read', { handle: stream, size: 4 << 20 });
    chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await session.send('IO.close', { handle: stream });
  const parsed = JSON.parse(chunks.join('')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** `console.timeStamp(label)` calls made by the bench in the page: where and when each ran. */
export function findMarks(
  events: readonly TraceEvent[],
  prefix: string,
): Map<string, { pid: number; tid: number; ts: number }> {
  const marks = new Map<string, { pid: number; tid: number; ts: number }>();
  for (const e of events) {
    if (e.name !== 'TimeStamp') continue;
    const message = String(e.args?.data?.message ?? '');
    if (message.startsWith(prefix) && !marks.has(message)) marks.set(message, { pid: e.pid, tid: e.tid, ts: e.ts });
  }
  return marks;
}

function scriptUrlOf(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  return String(data.url ?? data.scriptName ?? data.fileName ?? e.args?.fileName ?? '');
}

export interface Attribution {
  /** CPU time of the events with the extension's script URL, nested ones counted once (ms). */
  eventMs: number;
  /** Profile samples in the extension's code outside those events: promise continuations (ms). */
  continuationMs: number;
  totalMs: number;
  /** CPU time of the longest stretch of the extension's code (ms). */
  longestMs: number;
  /** Wall time of that same stretch (ms): includes time the OS gave to other processes. */
  longestWallMs: number;
  /** CPU time of the longest callback (everything but injecting and compiling the script). */
  longestCallbackMs: number;
  /**
   * The five longest intervals: the event that opened each, when (ms after `from`), and the
   * heaviest browser work nested in it (style, layout, GC…), which says where the time went.
   */
  longest: { ms: number; wallMs: number; name: string; at: number; inside: string }[];
  /** Number of outermost events (stretches of the extension's code). */
  tasks: number;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame?: { url?: string };
}

/**
 * Main-thread time of `(pid, tid)` between `from` and `to` (trace µs) spent in scripts under
 * `origin` (e.g. `chrome-extension://abc…/`).
 */
export function attribute(
  events: readonly TraceEvent[],
  where: { pid: number; tid: number; origin: string; from: number; to: number },
): Attribution {
  const { pid, tid, origin, from, to } = where;
  const raw: (Interval & { name: string; cpu: number })[] = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid || e.ph !== 'X' || !e.dur) continue;
    if (e.ts < from || e.ts > to) continue;
    if (!scriptUrlOf(e).startsWith(origin)) continue;
    raw.push({ start: e.ts, end: e.ts + e.dur, name: e.name, cpu: e.tdur ?? e.dur });
  }
  // Events on one thread nest properly: the outermost ones carry the CPU time of what they hold.
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const top: (Interval & { name: string; cpu: number })[] = [];
  for (const r of raw) {
    const last = top[top.length - 1];
    if (last && r.start < last.end) continue; // nested in `last`
    top.push(r);
  }
  const merged = mergeIntervals(top);
  const eventUs = top.reduce((sum, r) => sum + r.cpu, 0);
  const byLength = [...top].sort((a, b) => b.cpu - a.cpu);

  // CPU profile of the page's main thread: Profile (on that thread) names the id; ProfileChunks
  // (emitted from the profiler's own thread, same pid) carry nodes, samples and time deltas.
  let continuationUs = 0;
  const profileIds = new Set<string>();
  const starts = new Map<string, number>();
  for (const e of events) {
    if (e.name === 'Profile' && e.pid === pid && e.tid === tid && e.id) {
      profileIds.add(e.id);
      starts.set(e.id, Number(e.args?.data?.startTime ?? e.ts));
    }
  }
  for (const id of profileIds) {
    const nodes = new Map<number, ProfileNode>();
    const samples: number[] = [];
    const deltas: number[] = [];
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.pid !== pid || e.id !== id) continue;
      const data = e.args?.data as
        { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
      for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
      samples.push(...(data?.cpuProfile?.samples ?? []));
      deltas.push(...(data?.timeDeltas ?? []));
    }
    const inExtension = new Map<number, boolean>();
    const isExtension = (nodeId: number): boolean => {
      const known = inExtension.get(nodeId);
      if (known !== undefined) return known;
      const n = nodes.get(nodeId);
      const own = (n?.callFrame?.url ?? '').startsWith(origin);
      const result = own || (n?.parent !== undefined && isExtension(n.parent));
      inExtension.set(nodeId, result);
      return result;
    };
    let t = starts.get(id)!;
    const times: number[] = [];
    for (let i = 0; i < samples.length; i++) times.push((t += deltas[i] ?? 0));
    for (let i = 0; i < samples.length; i++) {
      const ts = times[i];
      if (ts < from || ts > to) continue;
      if (!isExtension(samples[i])) continue;
      if (inside(merged, ts)) continue;
      // A sample stands for the time until the next one (capped: a gap means the thread slept).
      const next = i + 1 < samples.length ? times[i + 1] - ts : 0;
      continuationUs += Math.min(Math.max(next, 0), 1_000);
    }
  }

  return {
    eventMs: eventUs / 1000,
    continuationMs: continuationUs / 1000,
    totalMs: (eventUs + continuationUs) / 1000,
    longestMs: byLength.length ? byLength[0].cpu / 1000 : 0,
    longestWallMs: byLength.length ? (byLength[0].end - byLength[0].start) / 1000 : 0,
    longestCallbackMs: (byLength.find((r) => r.name !== 'EvaluateScript' && r.name !== 'v8.compile')?.cpu ?? 0) / 1000,
    longest: byLength.slice(0, 5).map((iv) => ({
      ms: iv.cpu / 1000,
      wallMs: (iv.end - iv.start) / 1000,
      name: iv.name,
      at: (iv.start - from) / 1000,
      inside: nestedWork(events, pid, tid, iv),
    })),
    tasks: top.length,
  };
}

/** The heaviest kinds of nested trace events inside an interval, as "Layout 12.3, UpdateLayoutTree 4.0". */
function nestedWork(events: readonly TraceEvent[], pid: number, tid: number, iv: Interval): string {
  const byName = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid || e.ph !== 'X' || !e.dur) continue;
    if (e.ts <= iv.start || e.ts + e.dur > iv.end) continue;
    if (e.name === 'FunctionCall' || e.name === 'EvaluateScript') continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`)
    .join(', ');
}
