/**
 * The bundled rule packs as Node reads them (the build config, the checks, the end-to-end tests).
 * Extension code reads the same files through the bundler instead: utils/bundled-rules.ts, and
 * the content scripts get them checked and precompiled (scripts/platform-content-scripts.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkPack } from '../lib/pack-check';
import { RegulationCatalogue, validate, type RulePack } from '../rules/schema';

const root = join(import.meta.dirname, '..');
export const PLATFORM_DIR = 'rules/platforms';

/** One file of rules/platforms: its repository path, the platform id its name gives, its JSON. */
export type BundledPackFile = { file: string; id: string } & ({ raw: unknown } | { error: string });

/** Every rules/platforms/<id>.json, sorted by name; a file that is not JSON says why. */
export function readBundledPackFiles(): BundledPackFile[] {
  return readdirSync(join(root, PLATFORM_DIR))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = `${PLATFORM_DIR}/${name}`;
      const id = basename(name, '.json');
      try {
        return { file, id, raw: JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown };
      } catch (error) {
        return { file, id, error: `not valid JSON: ${(error as Error).message}` };
      }
    });
}

/** The packs' JSON, unvalidated (`npm run rules:check` validates them); throws on a file that is not JSON. */
export function readBundledPacks<T = unknown>(): T[] {
  return readBundledPackFiles().map((f) => {
    if ('error' in f) throw new Error(`${f.file}: ${f.error}`);
    return f.raw as T;
  });
}

/** The ids of rules/regulations.json, validated; throws on a catalogue that does not validate. */
export function readRegulationIds(): Set<string> {
  const file = 'rules/regulations.json';
  const result = validate(RegulationCatalogue, JSON.parse(readFileSync(join(root, file), 'utf8')), file);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return new Set(result.value.regulations.map((r) => r.id));
}

export interface CheckedPackFile {
  file: string;
  /** The platform the file is named after. */
  id: string;
  pack: RulePack;
}

/**
 * Every bundled pack through the check an imported pack gets (lib/pack-check.ts: schema, limits,
 * rule ids not taken by another pack, regulation ids that exist, safe patterns and selectors),
 * and the bundled packs' own rules: rules/platforms/<id>.json lists the hosts of platform <id>
 * and holds only rules of platform <id>. `npm run rules:check` and the build run this same check.
 */
export function checkBundledPacks(regulationIds: ReadonlySet<string>): {
  packs: CheckedPackFile[];
  problems: string[];
} {
  const packs: CheckedPackFile[] = [];
  const problems: string[] = [];
  const seenIds = new Map<string, string>();
  for (const entry of readBundledPackFiles()) {
    const { file, id } = entry;
    if ('error' in entry) {
      problems.push(`${file}: ${entry.error}`);
      continue;
    }
    const declared = (entry.raw as { $schema?: unknown } | null)?.$schema;
    if (typeof declared !== 'string' || join(dirname(file), declared) !== 'rules/rule-pack.schema.json')
      problems.push(`${file}: $.$schema: must be "../rule-pack.schema.json"`);
    const result = checkPack(entry.raw, { file, takenRuleIds: seenIds, regulationIds });
    if (!result.ok) {
      problems.push(...result.errors);
      continue;
    }
    if (!result.pack.platforms.some((p) => p.id === id))
      problems.push(`${file}: $.platforms: must list the hosts of "${id}"`);
    result.pack.rules.forEach((rule, i) => {
      if (rule.platform !== id)
        problems.push(`${file}: rule "${rule.id}" $.rules[${i}].platform: "${rule.platform}" in the ${id} pack`);
      seenIds.set(rule.id, file);
    });
    packs.push({ file, id, pack: result.pack });
  }
  return { packs, problems };
}
