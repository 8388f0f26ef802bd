/**
 * The rule packs and catalogues that ship with the extension, validated once on load.
 * Bundled files are also checked at build time by `npm run rules:check`; validating again here
 * costs little and turns a bad edit into one clear error instead of odd behaviour.
 */
import { RulePack, validate, type RulePack as RulePackType } from '../rules/schema';

const files = import.meta.glob<{ default: unknown }>('../rules/platforms/*.json', { eager: true });

/** Whether a raw (not yet validated) pack lists a platform served from `host`. */
function servesHost(raw: unknown, host: string): boolean {
  const platforms = (raw as { platforms?: { hosts?: unknown }[] } | null)?.platforms;
  if (!Array.isArray(platforms)) return false;
  return platforms.some(
    (p) =>
      Array.isArray(p?.hosts) && p.hosts.some((h) => typeof h === 'string' && (host === h || host.endsWith('.' + h))),
  );
}

/**
 * The bundled packs, validated. With `host`, only the packs for that host: a page script needs
 * one platform's rules, and validating all seven was most of its start-up time (bench profile).
 */
export function loadBundledPacks(host?: string): RulePackType[] {
  const packs: RulePackType[] = [];
  for (const [path, mod] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    if (host !== undefined && !servesHost(mod.default, host)) continue;
    const result = validate(RulePack, mod.default, path.replace('../', ''));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    packs.push(result.value);
  }
  return packs;
}
