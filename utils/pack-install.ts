/**
 * Installing a user rule pack, in an extension page (the options page): check it (lib/pack-check.ts),
 * precompile it (lib/engine/precompile.ts) and store both in one write (utils/user-packs.ts). The
 * checker is large (an RE2 port, a regular-expression analyser, Unicode tables), so it runs here
 * and not in the background, whose service worker stays small; content scripts only load the
 * stored precompiled form.
 *
 * Also the check after an update: `recheckInstalledPacks` runs when an extension page opens (the
 * options page, and the popup when some pack waits for it) and gives every entry not yet checked
 * by this version a fresh precompiled form, or switches it off.
 */
import { browser } from 'wxt/browser';
import type { RulePack } from '../rules/schema';
import { precompilePacks } from '../lib/engine/precompile';
import { checkPack, readPackInput } from '../lib/pack-check';
import { loadBundledPacks } from './bundled-rules';
import { getRegulations } from './catalogues';
import type { StoredPack } from './stored-packs';
import { MAX_INSTALLED_PACKS, readStoredPacks, storeUserPack, updateStoredPacks } from './user-packs';

/** The answer to an import: installed, or every problem found (or why it could not be done). */
export type ImportReply = { ok: true; ruleCount: number } | { ok: false; errors: string[] };

export interface InstallDeps {
  /** The bundled packs: their rule ids are taken and their hosts bound what a pack may claim. */
  bundled: readonly RulePack[];
  regulationIds?: ReadonlySet<string>;
  /** The running extension's version: entries record whose checks they passed. */
  version: string;
  now?: () => number;
}

/** What the extension itself checks against: its bundled packs, regulations and version. */
export function extensionDeps(): InstallDeps {
  return {
    bundled: loadBundledPacks(),
    regulationIds: new Set(getRegulations().regulations.map((r) => r.id)),
    version: browser.runtime.getManifest().version,
  };
}

/** The rule ids a new pack called `name` may not use: bundled ones and other installed packs'. */
export function takenRuleIds(
  bundled: readonly RulePack[],
  installed: readonly StoredPack[],
  name: string | undefined,
): Map<string, string> {
  const taken = new Map<string, string>();
  for (const pack of bundled) for (const rule of pack.rules) taken.set(rule.id, `the bundled pack "${pack.name}"`);
  for (const entry of installed) {
    const pack = entry.pack as Partial<RulePack> | null;
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

function check(raw: unknown, deps: InstallDeps, installed: readonly StoredPack[], file?: string) {
  return checkPack(raw, {
    file,
    takenRuleIds: takenRuleIds(deps.bundled, installed, nameOf(raw)),
    regulationIds: deps.regulationIds,
    platformHosts: deps.bundled.flatMap((p) => p.platforms),
  });
}

/**
 * Check `raw` (an object or JSON text), precompile it and install it, replacing an installed
 * pack of the same name: the one way a pack gets installed. Never throws: every failure is
 * `{ ok: false, errors }`, and a failure leaves the installed packs exactly as they were.
 */
export async function installPack(
  raw: unknown,
  getDeps: InstallDeps | (() => InstallDeps) = extensionDeps,
): Promise<ImportReply> {
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
    const checked = check(input.value, deps, installed, 'pack');
    if (!checked.ok) return checked;
    await storeUserPack(checked.pack, precompilePacks([checked.pack]), deps.version, (deps.now ?? Date.now)());
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
 * now use one of its ids), and the precompiled format may have changed: check every entry not yet
 * checked by this version again. One that passes is precompiled afresh and keeps its switch; one
 * that fails is switched off. Returns the names switched off.
 */
export async function recheckInstalledPacks(deps: InstallDeps = extensionDeps()): Promise<string[]> {
  const installed = await readStoredPacks();
  /** What each checked entry becomes, applied to the entry as it is when the result is written. */
  const results = new Map<number, (current: StoredPack) => StoredPack>();
  const failed: string[] = [];
  for (const [i, entry] of installed.entries()) {
    if (entry.checkedBy === deps.version) continue;
    const checked = check(entry.pack, deps, installed);
    if (checked.ok) {
      const compiled = precompilePacks([checked.pack]);
      results.set(entry.installedAt, (e) => ({ ...e, pack: checked.pack, compiled, checkedBy: deps.version }));
    } else {
      failed.push(nameOf(entry.pack) ?? `#${i + 1}`);
      results.set(entry.installedAt, ({ compiled: _, ...e }) => ({ ...e, checkedBy: deps.version, enabled: false }));
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // keep the page responsive between packs
  }
  if (results.size === 0) return [];
  // By id (install time): the list may have changed while the checks ran, and a pack replaced
  // under the same name has a new id, so its new entry is left alone.
  await updateStoredPacks((packs) => packs.map((e) => results.get(e.installedAt)?.(e) ?? e));
  return failed;
}
