/**
 * The rule packs that ship with the extension: the one place extension code reads
 * `rules/platforms/*.json` (through the bundler; Node code uses scripts/bundled-packs.ts).
 * `npm run rules:check` checks the files before a build; validating again here costs little and
 * turns a bad edit into one clear error instead of odd behaviour.
 */
import { hostMatches } from '../lib/hosts';
import { RulePack, validate, type PlatformId, type RulePack as RulePackType } from '../rules/schema';

const files = import.meta.glob<{ default: unknown }>('../rules/platforms/*.json', { eager: true });

/** Every bundled pack file as it is (not validated), sorted by path: `rules/platforms/<id>.json`. */
export const bundledPackFiles: readonly { file: string; raw: unknown }[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, mod]) => ({ file: path.replace('../', ''), raw: mod.default }));

/** The host lists of every bundled pack, not validated: enough to derive match patterns. */
export const bundledHostLists = bundledPackFiles.map((f) => f.raw as { platforms?: { hosts: string[] }[] });

/**
 * Every bundled platform's id and hosts, not validated here (the build checked the files): enough
 * to tell which platform a page is without loading the schema.
 */
export const bundledPlatformHosts = bundledPackFiles.flatMap(
  (f) => (f.raw as { platforms?: { id: PlatformId; hosts: string[] }[] }).platforms ?? [],
);

/** Whether a raw (not yet validated) pack lists a platform served from `host`. */
function servesHost(raw: unknown, host: string): boolean {
  const platforms = (raw as { platforms?: { hosts?: unknown }[] } | null)?.platforms;
  if (!Array.isArray(platforms)) return false;
  return platforms.some(
    (p) => Array.isArray(p?.hosts) && p.hosts.some((h) => typeof h === 'string' && hostMatches(host, h)),
  );
}

/**
 * The bundled packs, validated. With `host`, only the packs for that host: a page script needs
 * one platform's rules, and validating all seven was most of its start-up time (bench profile).
 */
export function loadBundledPacks(host?: string): RulePackType[] {
  const packs: RulePackType[] = [];
  for (const { file, raw } of bundledPackFiles) {
    if (host !== undefined && !servesHost(raw, host)) continue;
    const result = validate(RulePack, raw, file);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    packs.push(result.value);
  }
  return packs;
}
