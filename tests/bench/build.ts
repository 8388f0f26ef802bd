/**
 * The two Chrome builds the bench loads, each in its own folder under `.output/bench/` so the
 * e2e tests' `.output/chrome-mv3` is never touched:
 * - `shipped`: the same build as `npm run build` (`__LENSA_BENCH_NAIVE__` is false);
 * - `naive`: built with `LENSA_BENCH_NAIVE=1`, whose detection loop rescans the whole document on
 *   every mutation.
 *
 * Each build runs in a child process (`wxt build` through its JS API), because the flag is read
 * from the environment when WXT loads its config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export type Variant = 'shipped' | 'naive';

export const ROOT = resolve(import.meta.dirname, '../..');
const OUT_BASE = '.output/bench';

export function variantDir(variant: Variant): string {
  return resolve(ROOT, OUT_BASE, `${variant}-chrome-mv3`);
}

/**
 * A property name that only the naive branch of the content script's detection loop writes. The bundler keeps
 * property names, so its presence in content.js tells whether the naive code was compiled in.
 */
export const NAIVE_MARKER = 'naiveRescans';

/**
 * The largest content script of a build (there is one per platform: `content-scripts/<id>.js`);
 * they share all code but their rules, so the largest stands for all of them.
 */
export function contentScript(variant: Variant): string {
  const dir = resolve(variantDir(variant), 'content-scripts');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  const largest = files.reduce((a, b) => (statSync(resolve(dir, a)).size >= statSync(resolve(dir, b)).size ? a : b));
  return readFileSync(resolve(dir, largest), 'utf8');
}

function buildOne(variant: Variant): void {
  const script = `
    import { build } from 'wxt';
    await build({
      outDir: ${JSON.stringify(OUT_BASE)},
      outDirTemplate: ${JSON.stringify(`${variant}-chrome-mv3`)},
      // BENCH_NO_MINIFY=1 keeps names readable in profiles (for finding hot spots, not for numbers).
      vite: () => (process.env.BENCH_NO_MINIFY === '1' ? { build: { minify: false } } : {}),
    });
  `;
  const env = { ...process.env, LENSA_BENCH_NAIVE: variant === 'naive' ? '1' : '0' };
  // `npx tsx` keeps the project's Node; --input-type lets the script run from a string.
  const result = spawnSync('npx', ['tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`bench build (${variant}) failed:\n${result.stdout}\n${result.stderr}`);
  }
  if (!existsSync(resolve(variantDir(variant), 'manifest.json')))
    throw new Error(`bench build (${variant}) wrote no manifest`);
}

/** Build both variants and check that only the naive one carries the naive code. */
export function buildVariants(): { shippedBytes: number; naiveBytes: number } {
  buildOne('shipped');
  buildOne('naive');
  const shipped = contentScript('shipped');
  const naive = contentScript('naive');
  if (shipped.includes(NAIVE_MARKER)) throw new Error('the shipped content script contains the naive rescan code');
  if (!naive.includes(NAIVE_MARKER)) throw new Error('the naive content script lacks the naive rescan code');
  return { shippedBytes: Buffer.byteLength(shipped), naiveBytes: Buffer.byteLength(naive) };
}
