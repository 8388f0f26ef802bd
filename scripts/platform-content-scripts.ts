/**
 * One content script per platform, each with its platform's bundled rules checked and
 * precompiled at build time. For every rules/platforms/<id>.json the build gets:
 *
 * - an entrypoint `<id>` (WXT's `entrypoints:found` hook, below), built to
 *   `content-scripts/<id>.js` and registered only for the hosts that file lists;
 * - its code, the virtual module `virtual:lensa-content/<id>.js`: a few lines that hand the
 *   platform's data to the shared page-side code in entrypoints/content/start.ts;
 * - its data, `virtual:lensa-rules/<id>`: the EngineData (lib/engine/precompile.ts) of the pack,
 *   packed (lib/engine/packed.ts): a string that start.ts unpacks.
 *
 * One more entrypoint is made here, not per platform: `highlights`, the unlisted script that draws
 * highlights (`virtual:lensa-highlights.js`, see entrypoints/content/highlight-kit.ts), which the
 * background injects into a page when its content script asks.
 *
 * The bundled packs pass the same check as `npm run rules:check` (checkBundledPacks) before any
 * of it is written; a problem fails the build. Adding a platform is its JSON file (and fixtures).
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { packEngineData } from '../lib/engine/packed';
import { precompilePacks } from '../lib/engine/precompile';
import { hostsToMatchPatterns } from '../lib/hosts';
import { checkBundledPacks, PLATFORM_DIR, readBundledPackFiles, readRegulationIds } from './bundled-packs';

const root = resolve(import.meta.dirname, '..');
const CONTENT_PREFIX = 'virtual:lensa-content/';
const RULES_PREFIX = 'virtual:lensa-rules/';
const HIGHLIGHTS_ID = 'virtual:lensa-highlights.js';

/** One platform's content script: its match patterns and rules. */
export interface PlatformScriptData {
  matches: string[];
  rules: ReturnType<typeof precompilePacks>;
}

/** The platform ids the content scripts are built for: one per rules/platforms/<id>.json. */
export function platformScriptIds(): string[] {
  return readBundledPackFiles().map((f) => f.id);
}

/**
 * The entrypoints WXT builds for the platforms, and the highlights script (added in
 * wxt.config.ts's `entrypoints:found`).
 */
export function platformEntrypoints(): {
  name: string;
  inputPath: string;
  type: 'content-script' | 'unlisted-script';
}[] {
  // WXT reads the options of entrypoints whose names end in .js or .ts only.
  return [
    ...platformScriptIds().map((id) => ({
      name: id,
      inputPath: `${CONTENT_PREFIX}${id}.js`,
      type: 'content-script' as const,
    })),
    { name: 'highlights', inputPath: HIGHLIGHTS_ID, type: 'unlisted-script' as const },
  ];
}

/** Check every bundled pack and precompile each; throws with every problem found. */
export function precompileBundledPacks(): Map<string, PlatformScriptData> {
  const { packs, problems } = checkBundledPacks(readRegulationIds());
  const out = new Map<string, PlatformScriptData>();
  for (const { id, file, pack } of packs) {
    const rules = precompilePacks([pack]);
    for (const p of rules.problems) problems.push(`${file}: rule "${p.ruleId}": ${p.message}`);
    out.set(id, { matches: hostsToMatchPatterns([pack]), rules });
  }
  if (problems.length) throw new Error(`bundled rule packs:\n${problems.join('\n')}`);
  return out;
}

/** The entrypoint: WXT reads its options in Node, so `matches` is written out in it. */
function contentModule(id: string, platform: PlatformScriptData): string {
  const start = JSON.stringify(resolve(root, 'entrypoints/content/start.ts'));
  return [
    `import { defineContentScript } from 'wxt/utils/define-content-script';`,
    `import { startPageScript } from ${start};`,
    `import rules from ${JSON.stringify(RULES_PREFIX + id)};`,
    `export default defineContentScript({`,
    `  matches: ${JSON.stringify(platform.matches)},`,
    `  runAt: 'document_idle',`,
    `  main: (ctx) => startPageScript(ctx, rules),`,
    `});`,
  ].join('\n');
}

/**
 * The highlights script's entrypoint. Its code is imported inside `main`: WXT imports entrypoints
 * in Node to read their options, also while `wxt prepare` (npm ci's postinstall) generates the
 * `#i18n` module that the highlights' labels import; the build bundles it all the same.
 */
function highlightsModule(): string {
  const script = JSON.stringify(resolve(root, 'entrypoints/content/highlight-script.ts'));
  return [
    `import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';`,
    `export default defineUnlistedScript(async () => (await import(${script})).provideHighlights());`,
  ].join('\n');
}

export function platformContentScripts(): Plugin {
  let data: Map<string, PlatformScriptData> | null = null;
  return {
    name: 'lensa:platform-content-scripts',
    resolveId(id) {
      if (id.startsWith(CONTENT_PREFIX) || id.startsWith(RULES_PREFIX) || id === HIGHLIGHTS_ID) return `\0${id}`;
      return null;
    },
    async load(id) {
      if (!id.startsWith('\0')) return null;
      const name = id.slice(1);
      if (name === HIGHLIGHTS_ID) return highlightsModule();
      const prefix = [CONTENT_PREFIX, RULES_PREFIX].find((p) => name.startsWith(p));
      if (!prefix) return null;
      // Read again when a pack file changes (dev mode); a build reads the packs once.
      for (const f of readBundledPackFiles()) this.addWatchFile(resolve(root, f.file));
      data ??= precompileBundledPacks();
      const platformId = name.slice(prefix.length).replace(/\.js$/, '');
      const platform = data.get(platformId);
      if (!platform) throw new Error(`no ${PLATFORM_DIR}/${platformId}.json`);
      return prefix === CONTENT_PREFIX
        ? contentModule(platformId, platform)
        : `export default ${JSON.stringify(await packEngineData(platform.rules))};`;
    },
    watchChange(file) {
      if (file.startsWith(resolve(root, PLATFORM_DIR))) data = null;
    },
  };
}
