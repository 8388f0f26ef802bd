/**
 * `npx tsx tests/bench/hot.ts <trace.json> [origin-prefix]`: where an extension's main-thread time
 * goes, from a trace the bench kept (BENCH_KEEP_TRACE=1 BENCH_PROFILE=1; BENCH_NO_MINIFY=1 for
 * readable names).
 *
 * Reads the V8 CPU-profile samples of the thread that ran the bench's marks and counts each
 * sample whose stack holds a frame of the extension (`chrome-extension://…` unless another
 * origin prefix is given) twice: for its top frame (self time, with browser work such as
 * `(garbage collector)` or a native DOM call showing as itself) and for every extension function
 * on the stack (total time). A sample stands for the time until the next one, capped at 1 ms.
 * With HOT_FIRST_MS=n only the first n ms after the extension's first sample count (its start:
 * injection, unpacking the rules, the first match).
 */
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace';

interface Node {
  id: number;
  parent?: number;
  callFrame?: { functionName?: string; url?: string; lineNumber?: number };
}

function main(file: string, origin: string): void {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const markEvent = events.find(
    (e) => e.name === 'TimeStamp' && String(e.args?.data?.message ?? '').startsWith('bench:'),
  );
  if (!markEvent) throw new Error('no bench mark in the trace');
  const { pid, tid } = markEvent;
  const profiles = events.filter((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid && e.id);
  if (profiles.length === 0) throw new Error('no CPU profile on the marked thread: run the bench with BENCH_PROFILE=1');

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let inExtensionUs = 0;
  const firstUs = process.env.HOT_FIRST_MS ? Number(process.env.HOT_FIRST_MS) * 1000 : Infinity;
  let startedAt: number | null = null;
  for (const profile of profiles) {
    const nodes = new Map<number, Node>();
    const samples: number[] = [];
    const deltas: number[] = [];
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.pid !== pid || e.id !== profile.id) continue;
      const data = e.args?.data as { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
      for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
      samples.push(...(data?.cpuProfile?.samples ?? []));
      deltas.push(...(data?.timeDeltas ?? []));
    }
    const name = (n: Node) => {
      const f = n.callFrame ?? {};
      const url = f.url ?? '';
      const where = url ? `${url.slice(url.lastIndexOf('/') + 1)}:${(f.lineNumber ?? 0) + 1}` : 'native';
      return `${f.functionName || '(anonymous)'} ${where}`;
    };
    let at = 0;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      const us = Math.min(Math.max(deltas[i + 1] ?? 0, 0), 1000);
      const stack: Node[] = [];
      for (let n = nodes.get(samples[i]); n; n = n.parent !== undefined ? nodes.get(n.parent) : undefined)
        stack.push(n);
      const ours = stack.filter((n) => (n.callFrame?.url ?? '').startsWith(origin));
      if (ours.length === 0) continue;
      startedAt ??= at;
      if (at - startedAt > firstUs) continue;
      inExtensionUs += us;
      const top = name(stack[0]);
      self.set(top, (self.get(top) ?? 0) + us);
      for (const key of new Set(ours.map(name))) total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(
        `  ${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / inExtensionUs).toFixed(1).padStart(5)} %  ${key}`,
      );
  };
  console.log(`${file}: ${(inExtensionUs / 1000).toFixed(1)} ms of samples with an extension frame on the stack`);
  print('self (top frame)', self);
  print('total (extension functions on the stack)', total);
}

const [file, origin = 'chrome-extension://'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx tests/bench/hot.ts <trace.json> [origin-prefix]');
  process.exit(2);
}
main(file, origin);
