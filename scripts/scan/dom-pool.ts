/**
 * `--engine dom --jobs N` with N > 1: the pages are parsed and matched in N worker threads, each
 * with its own DomEngine, so a scan uses every core instead of one. Parsing and matching are
 * synchronous, so in one thread `--jobs` would only interleave waiting, not work.
 *
 * A page that throws fails alone (its task is rejected). A thread that dies (out of memory on a
 * giant page, say) fails the page it held and is replaced, so the run goes on.
 */
import { Worker } from 'node:worker_threads';
import type { RulePack } from '../../rules/schema';
import type { DomLibrary, PageResult } from './dom-engine';

export interface PoolTask {
  id: number;
  url: string;
  html: string;
}
export type PoolReply = { id: number; result: PageResult } | { id: number; error: string };

interface Pending {
  task: PoolTask;
  resolve(result: PageResult): void;
  reject(error: Error): void;
}

const WORKER_URL = new URL('./dom-worker.ts', import.meta.url);

export class DomPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly packs: readonly RulePack[],
    private readonly library: DomLibrary,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  scan(url: string, html: string): Promise<PageResult> {
    if (this.closed) return Promise.reject(new Error('the dom pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, url, html }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the dom pool is closed'));
    const workers = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL, { workerData: { packs: this.packs, library: this.library } });
    worker.on('message', (reply: PoolReply) => {
      const pending = this.busy.get(worker);
      if (!pending || pending.task.id !== reply.id) return;
      this.busy.delete(worker);
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.result);
      this.idle.push(worker);
      this.dispatch();
    });
    // 'error' is followed by 'exit': the page it held fails there, once.
    worker.on('error', () => {});
    worker.on('exit', (code) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      if (this.closed) return;
      pending?.reject(new Error(`the dom engine's thread stopped (exit code ${code}) on this page`));
      this.idle.push(this.spawn());
      this.dispatch();
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.task);
    }
  }
}
