// @vitest-environment node
/**
 * Runs that last: shards that cover every capture exactly once, a killed run resumed without
 * duplicates, and the output read back with DuckDB.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, parseShard, shardOf } from '../../scripts/scan/inputs';
import type { ScanRecord } from '../../scripts/scan/records';
import { runScan, type ScanOptions } from '../../scripts/scan/run';
import { fixturePages, writeWacz, writeWarc } from '../../scripts/scan/write-archive';

const dir = mkdtempSync(join(tmpdir(), 'lensa-scan-runs-'));
const ROOT = join(import.meta.dirname, '../..');
const pages = fixturePages();

function options(paths: string[], out: string, more: Partial<ScanOptions> = {}): ScanOptions {
  return {
    inputs: expandInputs(paths).inputs,
    engine: 'dom',
    dom: 'linkedom',
    jobs: 1,
    shard: null,
    format: 'ndjson',
    out,
    resume: false,
    urlMode: 'path',
    packFiles: [],
    url: null,
    log: null,
    ...more,
  };
}

function recordsIn(path: string): ScanRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"id"'))
    .map((l) => JSON.parse(l) as ScanRecord);
}

function capturesIn(path: string): string[] {
  return readFileSync(`${path}.captures`, 'utf8').split('\n').filter(Boolean);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let archives: string[];
beforeAll(async () => {
  archives = [];
  for (let i = 0; i < 4; i++) {
    archives.push(await writeWarc(join(dir, `part-${i}.warc.gz`), pages.slice(i * 25, i * 25 + 25)));
  }
});

describe('--shard', () => {
  it('parses I/N and refuses nonsense', () => {
    expect(parseShard('2/5', 'file')).toEqual({ index: 2, count: 5, by: 'file' });
    expect(() => parseShard('5/5', 'file')).toThrow(/I must be from 0 to N-1/);
    expect(() => parseShard('1-2', 'file')).toThrow(/expected I\/N/);
  });

  it('shardOf depends only on the key', () => {
    expect(shardOf('a.warc.gz', 7)).toBe(shardOf('a.warc.gz', 7));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => shardOf(`part-${i}.warc.gz`, 3)));
    expect(spread).toEqual(new Set([0, 1, 2]));
  });

  it.each(['file', 'capture'] as const)('by %s: the shards together scan every capture exactly once', async (by) => {
    const all = join(dir, `all-${by}.ndjson`);
    const whole = await runScan(options(archives, all));
    const seen: string[] = [];
    const records: string[] = [];
    for (let index = 0; index < 3; index++) {
      const out = join(dir, `shard-${by}-${index}.ndjson`);
      await runScan(options(archives, out, { shard: { index, count: 3, by } }));
      seen.push(...capturesIn(out));
      records.push(...recordsIn(out).map((r) => r.id));
    }
    expect(seen.length).toBe(whole.captures);
    expect(new Set(seen)).toEqual(new Set(capturesIn(all)));
    expect(records.sort()).toEqual(
      recordsIn(all)
        .map((r) => r.id)
        .sort(),
    );
  });
});

describe('--jobs', () => {
  it('the dom engine in worker threads gives the same records as in one thread', async () => {
    // Through the CLI: the worker threads load TypeScript through tsx, as `npm run scan` does.
    const one = join(dir, 'jobs-1.ndjson');
    const three = join(dir, 'jobs-3.ndjson');
    const single = await runScan(options(archives, one));
    const cli = spawn(
      'npx',
      [
        'tsx',
        'scripts/scan/index.ts',
        ...archives,
        '--engine',
        'dom',
        '--jobs',
        '3',
        '--url-mode',
        'path',
        '--out',
        three,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    cli.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    expect(await new Promise((resolve) => cli.once('exit', resolve))).toBe(0);
    expect(log).toMatch(new RegExp(`scan: ${single.captures} captures scanned`));
    expect(log).toMatch(/failed: 0/);
    const lines = (path: string) =>
      recordsIn(path)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(lines(three)).toEqual(lines(one));
    expect(new Set(capturesIn(three))).toEqual(new Set(capturesIn(one)));
  }, 60_000);
});

describe('--resume', () => {
  it('after a killed run, the resumed run ends with every record once', async () => {
    // Enough pages that the run is still going when it is killed.
    const many = Array.from({ length: 1 }, (_, i) =>
      pages.map((p) => ({ ...p, url: `${p.url}${p.url.includes('?') ? '&' : '?'}copy=${i}` })),
    ).flat();
    const wacz = await writeWacz(join(dir, 'many.wacz'), many);
    const out = join(dir, 'killed.ndjson');
    const cli = (extra: string[]) =>
      spawn(
        'npx',
        [
          'tsx',
          'scripts/scan/index.ts',
          wacz,
          '--engine',
          'dom',
          '--jobs',
          '1',
          '--quiet',
          '--url-mode',
          'full',
          '--out',
          out,
          ...extra,
        ],
        {
          cwd: ROOT,
          stdio: 'ignore',
        },
      );
    const first = cli([]);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(`${out}.captures`) && capturesIn(out).length >= 10) {
          clearInterval(poll);
          first.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => first.once('exit', resolve));
    const before = capturesIn(out).length;
    expect(before).toBeLessThan(many.length / 2);

    const second = cli(['--resume']);
    expect(await new Promise((resolve) => second.once('exit', resolve))).toBe(0);

    const fresh = join(dir, 'fresh.ndjson');
    const whole = await runScan(options([wacz], fresh, { urlMode: 'full' }));
    const ids = recordsIn(out).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      recordsIn(fresh)
        .map((r) => r.id)
        .sort(),
    );
    expect(capturesIn(out).length).toBe(whole.captures);
    expect(new Set(capturesIn(out))).toEqual(new Set(capturesIn(fresh)));
  }, 60_000);
});

describe('analysis', () => {
  it('DuckDB reads the NDJSON output and counts the same records per feature', async () => {
    const out = join(dir, 'duck.ndjson');
    const summary = await runScan(options(archives, out));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT feature, count(*)::INTEGER AS n FROM read_json('${out}', format = 'newline_delimited')
         WHERE id IS NOT NULL GROUP BY feature ORDER BY feature`,
      );
      const counts = Object.fromEntries(reader.getRowObjects().map((r) => [r.feature as string, r.n as number]));
      expect(counts).toEqual(summary.features);
      const total = await connection.runAndReadAll(
        `SELECT count(DISTINCT visitId)::INTEGER AS pages FROM read_json('${out}', format = 'newline_delimited') WHERE id IS NOT NULL`,
      );
      expect(total.getRowObjects()[0].pages).toBe(new Set(recordsIn(out).map((r) => r.visitId)).size);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
