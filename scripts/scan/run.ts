/**
 * One scan run: inputs ─▶ captures (streamed, at most `jobs` in flight) ─▶ engine ─▶ records,
 * written as each page is done, with a run header first and a summary at the end.
 *
 * Resuming: next to an output file the run keeps `<out>.captures`, one capture id per line,
 * appended after that capture's records are written. `--resume` skips the captures named there
 * or in the output's records, and first cuts a line the killed run left half written.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UrlMode } from '../../utils/research-log/types';
import { SCHEMA_NAME } from '../../utils/research-log/types';
import type { PlatformId } from '../../rules/schema';
import { archiveCaptures, htmlCaptures, type Capture, type InputItem } from './captures';
import { DomEngine, type DomLibrary, type PageResult } from './dom-engine';
import { DomPool } from './dom-pool';
import { shardOf, type Input, type Shard } from './inputs';
import { loadPacks } from './packs';
import { Progress } from './progress';
import {
  headerText,
  recordsOf,
  recordText,
  SCAN_SCHEMA_VERSION,
  type EngineName,
  type Format,
  type RunHeader,
} from './records';

export interface ScanOptions {
  inputs: Input[];
  engine: EngineName;
  dom: DomLibrary;
  jobs: number;
  shard: Shard | null;
  format: Format;
  /** Output file, or null for standard output. */
  out: string | null;
  resume: boolean;
  urlMode: UrlMode;
  packFiles: string[];
  /** URL of saved HTML inputs that do not name their own. */
  url: string | null;
  /** Where progress and the summary go (standard error), or null for none. */
  log: NodeJS.WriteStream | null;
  now?: () => number;
}

export interface Summary {
  captures: number;
  resumed: number;
  records: number;
  pagesPerPlatform: Record<string, number>;
  features: Record<string, number>;
  skipped: Record<string, number>;
  failed: { archive: string; url: string | null; offset: number | null; reason: string }[];
  archiveErrors: string[];
  seconds: number;
}

interface Processor {
  scan(capture: Capture): Promise<PageResult>;
  close(): Promise<void>;
}

export function extensionVersion(): string {
  return (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string })
    .version;
}

/** Capture ids already done in an earlier run into `out`; cuts a half-written last line. */
export function doneCaptures(out: string, format: Format): Set<string> {
  const done = new Set<string>();
  if (existsSync(out)) {
    const text = readFileSync(out, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(out, Buffer.byteLength(text.slice(0, end)));
    const lines = text.slice(0, end).split('\n');
    for (const line of lines) {
      if (format === 'ndjson') {
        if (!line.startsWith('{"id":')) continue;
        try {
          done.add((JSON.parse(line) as { visitId: string }).visitId);
        } catch {
          /* not a record */
        }
      } else {
        const visit = /^[^,]*,([^,\r]+)/.exec(line)?.[1];
        if (visit?.startsWith('scan-')) done.add(visit);
      }
    }
  }
  const list = `${out}.captures`;
  if (existsSync(list)) {
    const text = readFileSync(list, 'utf8');
    for (const id of text.split('\n').slice(0, -1)) if (id) done.add(id);
  }
  return done;
}

function itemsOf(
  input: Input,
  options: ScanOptions,
  deferClose: (close: () => void) => void,
): AsyncGenerator<InputItem> {
  if (input.kind === 'html') return htmlCaptures(input.path, options.url);
  return archiveCaptures(input.path, { replay: options.engine === 'browser', deferClose });
}

export async function runScan(options: ScanOptions): Promise<Summary> {
  const now = options.now ?? Date.now;
  const started = now();
  const loaded = loadPacks(options.packFiles);
  const rulePacks = loaded.described.map((p) => `${p.name}@${p.version}`);
  const dom = new DomEngine(loaded.packs, options.dom);
  let processor: Processor;
  if (options.engine === 'dom' && options.jobs > 1) {
    const pool = new DomPool(loaded.packs, options.dom, options.jobs);
    processor = { scan: (c) => pool.scan(c.url, c.html), close: async () => (await pool.close(), dom.close()) };
  } else if (options.engine === 'dom') {
    processor = { scan: async (c) => dom.scan(c.url, c.html), close: async () => dom.close() };
  } else {
    const { BrowserEngine, ensureBuild } = await import('./browser-engine');
    ensureBuild((line) => options.log?.write(`${line}\n`));
    const userPacks = loaded.packs.filter((_, i) => loaded.described[i].source === 'user');
    const browser = await BrowserEngine.launch(userPacks, (url) => dom.platformForUrl(url));
    processor = { scan: (c) => browser.scan(c), close: () => browser.close() };
  }

  const done = options.resume && options.out ? doneCaptures(options.out, options.format) : new Set<string>();
  const appending = options.resume && options.out !== null && existsSync(options.out) && statSync(options.out).size > 0;
  const fd = options.out ? openSync(options.out, appending ? 'a' : 'w') : 1;
  const capturesFd = options.out ? openSync(`${options.out}.captures`, appending ? 'a' : 'w') : null;
  const write = (text: string) => writeSync(fd, text);

  const header: RunHeader = {
    schema: SCHEMA_NAME,
    version: SCAN_SCHEMA_VERSION,
    kind: 'scan',
    startedAt: new Date(started).toISOString(),
    extensionVersion: extensionVersion(),
    rulePacks,
    engine: options.engine,
    dom: options.engine === 'dom' ? options.dom : null,
    urlMode: options.urlMode,
    inputs: options.inputs.map((i) => i.path),
    shard: options.shard ? `${options.shard.index}/${options.shard.count} by ${options.shard.by}` : null,
  };
  // A resumed run adds its own header line (NDJSON) so each run's settings stay on record.
  if (!appending || options.format === 'ndjson') write(headerText(options.format, header));

  const summary: Summary = {
    captures: 0,
    resumed: 0,
    records: 0,
    pagesPerPlatform: {},
    features: {},
    skipped: {},
    failed: [],
    archiveErrors: [],
    seconds: 0,
  };
  const ctx = {
    engine: options.engine,
    extensionVersion: header.extensionVersion,
    rulePacks,
    urlMode: options.urlMode,
  };
  const totalBytes = options.inputs.reduce((n, i) => n + i.size, 0);
  const progress = new Progress(totalBytes, options.log, Boolean(options.log?.isTTY), now);

  const inFlight = new Set<Promise<void>>();
  const scanOne = async (capture: Capture) => {
    let result: PageResult;
    try {
      result = await processor.scan(capture);
    } catch (error) {
      summary.failed.push({
        archive: capture.archive,
        url: capture.url,
        offset: capture.offset,
        reason: error instanceof Error ? error.message.split('\n')[0] : String(error),
      });
      return;
    }
    const records = recordsOf(capture, result.detections, ctx);
    if (records.length > 0) write(records.map((r) => recordText(options.format, r)).join(''));
    if (capturesFd !== null) writeSync(capturesFd, `${capture.id}\n`);
    summary.captures++;
    summary.records += records.length;
    const platform: PlatformId | 'other-site' = result.platform ?? 'other-site';
    summary.pagesPerPlatform[platform] = (summary.pagesPerPlatform[platform] ?? 0) + 1;
    for (const r of records) summary.features[r.feature] = (summary.features[r.feature] ?? 0) + 1;
    progress.page();
  };

  let bytesBefore = 0;
  try {
    for (const input of options.inputs) {
      if (options.shard?.by === 'file' && shardOf(input.path, options.shard.count) !== options.shard.index) {
        bytesBefore += input.size;
        continue;
      }
      const closers: (() => void)[] = [];
      for await (const item of itemsOf(input, options, (close) => closers.push(close))) {
        if (item.kind === 'skip') {
          summary.skipped[item.skip.reason] = (summary.skipped[item.skip.reason] ?? 0) + 1;
          continue;
        }
        if (item.kind === 'error') {
          summary.archiveErrors.push(item.error.message);
          continue;
        }
        const capture = item.capture;
        if (options.shard?.by === 'capture' && shardOf(capture.id, options.shard.count) !== options.shard.index)
          continue;
        if (done.has(capture.id)) {
          summary.resumed++;
          continue;
        }
        progress.bytes(bytesBefore + (capture.offset ?? 0));
        while (inFlight.size >= options.jobs) await Promise.race(inFlight);
        const task = scanOne(capture).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      // Replay reads subresources from the archive until its pages are done.
      await Promise.all(inFlight);
      for (const close of closers) close();
      bytesBefore += input.size;
      progress.bytes(bytesBefore);
    }
    await Promise.all(inFlight);
  } finally {
    await processor.close();
    if (options.out) closeSync(fd);
    if (capturesFd !== null) closeSync(capturesFd);
  }
  progress.finish();
  summary.seconds = (now() - started) / 1000;
  return summary;
}

export function formatSummary(s: Summary): string {
  const lines = [
    `scan: ${s.captures} captures scanned${s.resumed ? `, ${s.resumed} already done (resumed)` : ''}, ${s.records} records, ${s.seconds.toFixed(1)} s`,
    `pages per platform: ${entries(s.pagesPerPlatform)}`,
    `features: ${entries(s.features)}`,
    `skipped: ${entries(s.skipped)}`,
    `failed: ${s.failed.length}`,
    ...s.failed
      .slice(0, 20)
      .map((f) => `  ${f.archive}${f.offset !== null ? ` @${f.offset}` : ''} ${f.url ?? ''}: ${f.reason}`),
    ...(s.failed.length > 20 ? [`  … and ${s.failed.length - 20} more`] : []),
    `archive errors: ${s.archiveErrors.length}`,
    ...s.archiveErrors.map((e) => `  ${e}`),
  ];
  return lines.join('\n') + '\n';
}

function entries(counts: Record<string, number>): string {
  const list = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return list.length === 0 ? 'none' : list.map(([k, n]) => `${k} ${n}`).join(', ');
}
