/**
 * The Chrome builds the bench loads, each in its own folder under `.output/bench/` so the e2e
 * tests' `.output/chrome-mv3` is never touched:
 * - `shipped`: the same build as `npm run build` (`__LENSA_BENCH_NAIVE__` is false);
 * - `naive`: built with `LENSA_BENCH_NAIVE=1`, whose detection loop rescans the whole document on
 *   every mutation;
 * - `floor`: configuration E, written by tests/bench/floor.ts (no WXT).
 *
 * Each WXT build runs in a child process (`wxt build` through its JS API), because the flag is read
 * from the environment when WXT loads its config.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFloorExtension } from './floor';

export type Variant = 'shipped' | 'naive' | 'floor';

export const ROOT = resolve(import.meta.dirname, '../..');
const OUT_BASE = '.output/bench';

export function variantDir(variant: Variant): string {
  return resolve(ROOT, OUT_BASE, `${variant}-chrome-mv3`);
}

/**
 * A property name that only the naive branch of the content script's detection loop writes. The bundler keeps
 * property names, so its presence in a content script tells whether the naive code was compiled in.
 */
export const NAIVE_MARKER = 'naiveRescans';

/**
 * Every content script of an unpacked WXT build (`content-scripts/*.js`), whatever the entrypoints
 * are called: there may be one for all platforms or one per platform.
 */
export function contentScripts(extensionDir: string): { file: string; text: string }[] {
  const dir = resolve(extensionDir, 'content-scripts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => ({ file: `content-scripts/${name}`, text: readFileSync(resolve(dir, name), 'utf8') }));
}

/** The largest content script of a build: what the heaviest platform page has to inject. */
export function largestContentScript(extensionDir: string): { file: string; bytes: number } | null {
  let best: { file: string; bytes: number } | null = null;
  for (const { file, text } of contentScripts(extensionDir)) {
    const bytes = Buffer.byteLength(text);
    if (!best || bytes > best.bytes) best = { file, bytes };
  }
  return best;
}

function buildOne(variant: 'shipped' | 'naive'): void {
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

/**
 * Build the variants and check that only the naive one carries the naive code (in any of its
 * content scripts). The sizes are of the largest content script of each.
 */
export function buildVariants(): { shippedBytes: number; naiveBytes: number; floorBytes: number } {
  buildOne('shipped');
  buildOne('naive');
  const floor = writeFloorExtension(variantDir('floor'));
  const withMarker = (variant: Variant) =>
    contentScripts(variantDir(variant)).filter((s) => s.text.includes(NAIVE_MARKER)).length;
  if (contentScripts(variantDir('shipped')).length === 0) throw new Error('the shipped build has no content script');
  if (withMarker('shipped') > 0) throw new Error('a shipped content script contains the naive rescan code');
  if (withMarker('naive') === 0) throw new Error('no naive content script has the naive rescan code');
  return {
    shippedBytes: largestContentScript(variantDir('shipped'))!.bytes,
    naiveBytes: largestContentScript(variantDir('naive'))!.bytes,
    floorBytes: floor.contentBytes,
  };
}
