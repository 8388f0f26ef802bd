/**
 * The rules a scan runs: the bundled packs (rules/platforms/*.json, validated with the schema the
 * extension uses) plus `--pack` files, checked as the extension checks an imported pack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegulationCatalogue, RulePack, validate, type RulePack as RulePackType } from '../../rules/schema';
import { checkPack, readPackInput } from '../../lib/pack-check';
import { readBundledPackFiles } from '../bundled-packs';

const RULES = join(import.meta.dirname, '../../rules');

export interface LoadedPacks {
  packs: RulePackType[];
  /** `name@version` of every pack, with where it came from. */
  described: { name: string; version: string; source: 'bundled' | 'user' }[];
}

export function bundledPacks(): RulePackType[] {
  return readBundledPackFiles().map((f) => {
    if ('error' in f) throw new Error(`${f.file}: ${f.error}`);
    const result = validate(RulePack, f.raw, f.file);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return result.value;
  });
}

/** Bundled packs and user packs; a user pack with any problem stops the scan before it starts. */
export function loadPacks(userPackFiles: readonly string[]): LoadedPacks {
  const bundled = bundledPacks();
  const catalogue = validate(RegulationCatalogue, JSON.parse(readFileSync(join(RULES, 'regulations.json'), 'utf8')));
  if (!catalogue.ok) throw new Error(catalogue.errors.join('\n'));
  const taken = new Map<string, string>();
  for (const pack of bundled) for (const rule of pack.rules) taken.set(rule.id, `the bundled pack "${pack.name}"`);
  const user: RulePackType[] = [];
  const errors: string[] = [];
  for (const file of userPackFiles) {
    const input = readPackInput(readFileSync(file, 'utf8'), file);
    if (!input.ok) {
      errors.push(...input.errors);
      continue;
    }
    const result = checkPack(input.value, {
      file,
      takenRuleIds: taken,
      regulationIds: new Set(catalogue.value.regulations.map((r) => r.id)),
      platformHosts: bundled.flatMap((p) => p.platforms),
    });
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    for (const rule of result.pack.rules) taken.set(rule.id, `the pack "${result.pack.name}"`);
    user.push(result.pack);
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return {
    packs: [...bundled, ...user],
    described: [
      ...bundled.map((p) => ({ name: p.name, version: p.version, source: 'bundled' as const })),
      ...user.map((p) => ({ name: p.name, version: p.version, source: 'user' as const })),
    ],
  };
}
