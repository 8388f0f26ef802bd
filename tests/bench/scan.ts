/**
 * `npm run bench:scan`: what the archive scanner does on this machine, on archives it writes.
 *
 * 1. agreement: every fixture page (tests/fixtures), a page built by an archived script and
 *    Webrecorder's sample WARC, scanned by both engines; per feature, the captures where both
 *    found it, only one did, or the counts differ.
 * 2. throughput: BENCH_SCAN_PAGES fixture pages (default 400; the browser engine gets a quarter)
 *    in one WACZ, pages per minute per engine with --jobs = CPU cores.
 * 3. memory: a WARC of BENCH_SCAN_MB megabytes (default 1024: pages between 1 MB binary
 *    records) scanned by the dom engine in a child process; its peak resident memory (VmHWM).
 *
 * Prints a table and a last line `bench:scan: dom_ppm=… browser_ppm=… agreement=… peak_mb=…`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WARCRecord, WARCSerializer } from 'warcio';
import { expandInputs } from '../../scripts/scan/inputs';
import type { ScanRecord } from '../../scripts/scan/records';
import { runScan, type ScanOptions } from '../../scripts/scan/run';
import { fixturePages, pageRecords, writeWacz, type ArchivePage } from '../../scripts/scan/write-archive';
import { ensureBuild } from '../../scripts/scan/browser-engine';
import { FEATURE_IDS } from '../../rules/schema';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'lensa-bench-scan-'));
const jobs = availableParallelism();
const PAGES = Number(process.env.BENCH_SCAN_PAGES ?? 400);
const MB = Number(process.env.BENCH_SCAN_MB ?? 1024);

async function scan(engine: 'dom' | 'browser', paths: string[], name: string) {
  const out = join(dir, `${name}-${engine}.ndjson`);
  const options: ScanOptions = {
    inputs: expandInputs(paths).inputs,
    engine,
    dom: 'linkedom',
    jobs,
    shard: null,
    format: 'ndjson',
    out,
    resume: false,
    urlMode: 'full',
    packFiles: [],
    url: null,
    log: null,
  };
  const t0 = performance.now();
  const summary = await runScan(options);
  const seconds = (performance.now() - t0) / 1000;
  const records = readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"id"'))
    .map((l) => JSON.parse(l) as ScanRecord);
  return { summary, seconds, records };
}

// 1. agreement ----------------------------------------------------------------------------------
async function agreement() {
  const scripted: ArchivePage[] = [
    {
      url: 'https://www.tiktok.com/@toko/video/7300000000000000077',
      html: '<!doctype html><html><head><script src="https://www.tiktok.com/static/app.js"></script></head><body><p>video</p></body></html>',
    },
    {
      url: 'https://www.tiktok.com/static/app.js',
      contentType: 'application/javascript',
      html: `addEventListener('DOMContentLoaded', () => { const t = document.createElement('template'); t.innerHTML = '<div data-e2e="product-anchor"><a href="https://shop-id.tokopedia.com/view/product/1729">Kaos batik</a></div>'; document.body.append(t.content); });`,
    },
  ];
  const fixtures = fixturePages();
  const wacz = await writeWacz(join(dir, 'agreement.wacz'), [...fixtures, ...scripted], [...fixtures, scripted[0]]);
  const real = join(ROOT, 'tests/fixtures-archives/webrecorder-warcio/example.warc.gz');
  const dom = await scan('dom', [wacz, real], 'agreement');
  const browser = await scan('browser', [wacz, real], 'agreement');
  const keyed = (records: ScanRecord[]) => new Map(records.map((r) => [`${r.visitId} ${r.ruleId}`, r]));
  const d = keyed(dom.records);
  const b = keyed(browser.records);
  const rows = new Map<string, { both: number; domOnly: number; browserOnly: number; countDiffers: number }>();
  const row = (feature: string) => {
    let r = rows.get(feature);
    if (!r) rows.set(feature, (r = { both: 0, domOnly: 0, browserOnly: 0, countDiffers: 0 }));
    return r;
  };
  const differences: string[] = [];
  for (const [k, r] of d) {
    const other = b.get(k);
    if (!other) {
      row(r.feature).domOnly++;
      differences.push(`dom only: ${r.url} ${r.ruleId}`);
    } else {
      row(r.feature).both++;
      if (other.count !== r.count) {
        row(r.feature).countDiffers++;
        differences.push(`count: ${r.url} ${r.ruleId} dom ${r.count} browser ${other.count}`);
      }
    }
  }
  for (const [k, r] of b) {
    if (d.has(k)) continue;
    row(r.feature).browserOnly++;
    differences.push(`browser only: ${r.url} ${r.ruleId}`);
  }
  console.log(`\nagreement: ${dom.summary.captures} captures (dom), ${browser.summary.captures} (browser)`);
  console.log('| feature | both | dom only | browser only | count differs |\n|---|---|---|---|---|');
  let agree = 0;
  let total = 0;
  for (const feature of FEATURE_IDS) {
    const r = rows.get(feature);
    if (!r) continue;
    console.log(`| ${feature} | ${r.both} | ${r.domOnly} | ${r.browserOnly} | ${r.countDiffers} |`);
    agree += r.both - r.countDiffers;
    total += r.both + r.domOnly + r.browserOnly;
  }
  for (const line of differences) console.log(`  ${line}`);
  for (const f of [...dom.summary.failed, ...browser.summary.failed]) console.log(`  failed: ${f.url} ${f.reason}`);
  return total === 0 ? 1 : agree / total;
}

// 2. throughput ---------------------------------------------------------------------------------
async function throughput(engine: 'dom' | 'browser', count: number) {
  const fixtures = fixturePages();
  const pages = Array.from({ length: count }, (_, i) => {
    const p = fixtures[i % fixtures.length];
    return { ...p, url: `${p.url}${p.url.includes('?') ? '&' : '?'}n=${i}` };
  });
  const wacz = await writeWacz(join(dir, `throughput-${engine}.wacz`), pages);
  const run = await scan(engine, [wacz], 'throughput');
  const ppm = (run.summary.captures / run.seconds) * 60;
  console.log(
    `throughput ${engine}: ${run.summary.captures} pages in ${run.seconds.toFixed(1)} s = ${ppm.toFixed(0)} pages/min (jobs ${jobs})`,
  );
  for (const f of run.summary.failed) console.log(`  failed: ${f.url} ${f.reason}`);
  return ppm;
}

// 3. memory -------------------------------------------------------------------------------------
async function bigWarc(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path);
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
  const fixtures = fixturePages();
  const blob = randomBytes(1024 * 1024);
  let pages = 0;
  for (let i = 0; out.bytesWritten < megabytes * 1024 * 1024; i++) {
    const p = fixtures[i % fixtures.length];
    for (const part of await pageRecords({ ...p, url: `${p.url}${p.url.includes('?') ? '&' : '?'}n=${i}` }, false, i))
      await write(part);
    pages++;
    const media = WARCRecord.create(
      {
        url: `https://www.tiktok.com/media/${i}.mp4`,
        date: '2023-09-01T00:00:00Z',
        type: 'response',
        warcVersion: 'WARC/1.1',
        httpHeaders: { 'Content-Type': 'video/mp4' },
      },
      (async function* () {
        yield blob;
      })(),
    );
    for await (const chunk of new WARCSerializer(media, { digest: { algo: '' } })) await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return pages;
}

function peakMemory(args: string[]): Promise<{ peakMb: number; seconds: number; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/scan/index.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (hwm) peak = Math.max(peak, Number(hwm) / 1024);
      } catch {
        /* exited */
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      resolve({ peakMb: peak, seconds: (performance.now() - t0) / 1000, code });
    });
  });
}

async function main() {
  ensureBuild((line) => console.log(line));
  const agree = await agreement();
  const domPpm = await throughput('dom', PAGES);
  const browserPpm = await throughput('browser', Math.max(20, Math.round(PAGES / 4)));
  const big = join(dir, 'big.warc');
  const pages = await bigWarc(big, MB);
  const size = statSync(big).size;
  const mem = await peakMemory([big, '--engine', 'dom', '--quiet', '--out', join(dir, 'big.ndjson')]);
  console.log(
    `memory: ${(size / 1024 / 1024).toFixed(0)} MB WARC (${pages} pages), dom engine, peak RSS ${mem.peakMb.toFixed(0)} MB, ${mem.seconds.toFixed(0)} s, exit ${mem.code}`,
  );
  console.log(
    `bench:scan: dom_ppm=${domPpm.toFixed(0)} browser_ppm=${browserPpm.toFixed(0)} agreement=${agree.toFixed(4)} peak_mb=${mem.peakMb.toFixed(0)} warc_mb=${(size / 1024 / 1024).toFixed(0)}`,
  );
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
