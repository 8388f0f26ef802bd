/**
 * The rule packs and catalogues that ship with the extension, validated once on load.
 * Bundled files are also checked at build time by `npm run rules:check`; validating again here
 * costs little and turns a bad edit into one clear error instead of odd behaviour.
 */
import { RulePack, validate, type RulePack as RulePackType } from '../rules/schema';

const files = import.meta.glob<{ default: unknown }>('../rules/platforms/*.json', { eager: true });

export function loadBundledPacks(): RulePackType[] {
  const packs: RulePackType[] = [];
  for (const [path, mod] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const result = validate(RulePack, mod.default, path.replace('../', ''));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    packs.push(result.value);
  }
  return packs;
}
