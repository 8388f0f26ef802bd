/**
 * Installing a user rule pack: the background's answer to `rules:import`, and the re-check of
 * installed packs after an update. The checks themselves are in lib/pack-check.ts.
 */
import type { RulePack as RulePackType } from '../../rules/schema';
import { checkPack, readPackInput } from '../../lib/pack-check';
import type { Failure, ImportReply } from '../../utils/messages';
import {
  MAX_INSTALLED_PACKS,
  readStoredPacks,
  storeUserPack,
  updateStoredPacks,
  type StoredPack,
} from '../../utils/user-packs';

export interface ImportDeps {
  /** The bundled packs: their rule ids are taken and their hosts bound what a pack may claim. */
  bundled: readonly RulePackType[];
  regulationIds?: ReadonlySet<string>;
  now?: () => number;
}

/** The rule ids a new pack called `name` may not use: bundled ones and other installed packs'. */
export function takenRuleIds(
  bundled: readonly RulePackType[],
  installed: readonly StoredPack[],
  name: string | undefined,
): Map<string, string> {
  const taken = new Map<string, string>();
  for (const pack of bundled) for (const rule of pack.rules) taken.set(rule.id, `the bundled pack "${pack.name}"`);
  for (const entry of installed) {
    const pack = entry.pack as Partial<RulePackType> | null;
    if (!pack || pack.name === name || !Array.isArray(pack.rules)) continue;
    for (const rule of pack.rules)
      if (typeof rule?.id === 'string') taken.set(rule.id, `the installed pack "${pack.name}"`);
  }
  return taken;
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Check `raw` and install it, replacing an installed pack of the same name. Answers the
 * `rules:import` message. Never throws: every failure is `{ ok: false, errors }`, and a failure
 * leaves the installed packs exactly as they were.
 */
export async function importPack(
  raw: unknown,
  getDeps: ImportDeps | (() => ImportDeps),
): Promise<Exclude<ImportReply, Failure>> {
  try {
    const deps = typeof getDeps === 'function' ? getDeps() : getDeps;
    const input = readPackInput(raw);
    if (!input.ok) return input;
    const installed = await readStoredPacks();
    const name = nameOf(input.value);
    const replacing = installed.some((e) => nameOf(e.pack) === name);
    if (!replacing && installed.length >= MAX_INSTALLED_PACKS) {
      return { ok: false, errors: [`pack: ${MAX_INSTALLED_PACKS} packs are installed already; remove one first`] };
    }
    const checked = checkPack(input.value, {
      file: 'pack',
      takenRuleIds: takenRuleIds(deps.bundled, installed, name),
      regulationIds: deps.regulationIds,
      platformHosts: deps.bundled.flatMap((p) => p.platforms),
    });
    if (!checked.ok) return checked;
    await storeUserPack(checked.pack, (deps.now ?? Date.now)());
    return { ok: true, ruleCount: checked.pack.rules.length };
  } catch (error) {
    // Storage full or gone (or the bundled data failed to load): the single write did not
    // happen, so nothing changed.
    return {
      ok: false,
      errors: [`pack: could not be installed: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
}

/**
 * After an update the checks may be stricter than when a pack was imported (or a bundled rule may
 * now use one of its ids): check every enabled pack again and switch off those that no longer
 * pass. Returns the names switched off.
 */
export async function recheckInstalledPacks(deps: ImportDeps): Promise<string[]> {
  const installed = await readStoredPacks();
  const failed = new Set<number>();
  for (const [i, entry] of installed.entries()) {
    if (!entry.enabled) continue;
    const checked = checkPack(entry.pack, {
      takenRuleIds: takenRuleIds(deps.bundled, installed, nameOf(entry.pack)),
      regulationIds: deps.regulationIds,
      platformHosts: deps.bundled.flatMap((p) => p.platforms),
    });
    if (!checked.ok) failed.add(i);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let messages in between packs
  }
  if (failed.size === 0) return [];
  // By id (install time), not by position: the list may have changed while the checks ran.
  const off = new Set([...failed].map((i) => installed[i].installedAt));
  await updateStoredPacks((packs) => packs.map((e) => (off.has(e.installedAt) ? { ...e, enabled: false } : e)));
  return [...failed].map((i) => nameOf(installed[i].pack) ?? `#${i + 1}`);
}
