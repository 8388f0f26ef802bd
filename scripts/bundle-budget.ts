/**
 * What a built package may weigh where it matters on a budget phone: every content script (one
 * per platform, parsed on each platform page) and the background script (the service worker,
 * started again and again). Content scripts must also carry no zod: pages get precompiled rules
 * and plain guards, never a schema (README, "Rule packs").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The size one minified content script should stay under (the budget-phone target). The scripts
 * are above it today (README, "Bundle sizes"): going over it is a warning, not yet a failure.
 */
export const CONTENT_SCRIPT_TARGET_BYTES = 40 * 1024;
/** Most bytes of one minified content script: more fails the check, so growth cannot creep in. */
export const CONTENT_SCRIPT_MAX_BYTES = 48 * 1024;
/** Most bytes of the minified background script. */
export const BACKGROUND_MAX_BYTES = 200 * 1024;
/**
 * Strings zod leaves in a minified bundle: the `_zod` property of every schema and the names
 * its classes are made with. Our own code uses neither.
 */
const ZOD_MARKERS = ['_zod', '$ZodType'];

export interface BundleSizes {
  contentScripts: { file: string; bytes: number }[];
  background: number | null;
}

export function bundleSizes(buildDir: string): BundleSizes {
  const dir = join(buildDir, 'content-scripts');
  const contentScripts = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => ({ file: `content-scripts/${f}`, bytes: readFileSync(join(dir, f)).length }))
    : [];
  const background = join(buildDir, 'background.js');
  return { contentScripts, background: existsSync(background) ? readFileSync(background).length : null };
}

/** Content scripts above the target but within the limit, one line each (package-check warns). */
export function bundleBudgetWarnings(buildDir: string, build: string): string[] {
  return bundleSizes(buildDir)
    .contentScripts.filter(({ bytes }) => bytes > CONTENT_SCRIPT_TARGET_BYTES && bytes <= CONTENT_SCRIPT_MAX_BYTES)
    .map(({ file, bytes }) => `${build}/${file}: ${bytes} bytes, above the ${CONTENT_SCRIPT_TARGET_BYTES}-byte target`);
}

/** One line per script over its budget or carrying zod; `build` names the build in each line. */
export function bundleBudgetProblems(buildDir: string, build: string): string[] {
  const problems: string[] = [];
  const sizes = bundleSizes(buildDir);
  if (sizes.contentScripts.length === 0) problems.push(`${build}: no content scripts in content-scripts/`);
  for (const { file, bytes } of sizes.contentScripts) {
    if (bytes > CONTENT_SCRIPT_MAX_BYTES)
      problems.push(`${build}/${file}: ${bytes} bytes, more than ${CONTENT_SCRIPT_MAX_BYTES} for a content script`);
    const code = readFileSync(join(buildDir, file), 'utf8');
    const marker = ZOD_MARKERS.find((m) => code.includes(m));
    if (marker) problems.push(`${build}/${file}: contains zod ("${marker}"); content scripts must not`);
  }
  if (sizes.background === null) problems.push(`${build}: no background.js`);
  else if (sizes.background > BACKGROUND_MAX_BYTES)
    problems.push(`${build}/background.js: ${sizes.background} bytes, more than ${BACKGROUND_MAX_BYTES}`);
  return problems;
}
