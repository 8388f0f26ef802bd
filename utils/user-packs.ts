/**
 * Rule packs the user imported, kept in `storage.local` under one key. They are untrusted: an
 * extension page checks every pack (lib/pack-check.ts, run by utils/pack-install.ts) and stores
 * it beside its precompiled form (lib/engine/precompile.ts). Content scripts load only that
 * precompiled form, with a look at its shape: no schema and no pattern checker in page scripts
 * (utils/stored-packs.ts is the list's key and shape, which content scripts read as well).
 *
 * Each entry records the extension version whose checks it passed (`checkedBy`). After an
 * update the checks may be stricter and the precompiled format may differ, so content scripts
 * skip entries checked by another version until an extension page (the popup or the options
 * page, when it next opens) checks them again: passing ones get a fresh precompiled form, the
 * others are switched off.
 *
 * The whole list is one value, so every change (import, switch on/off, remove) is a single write:
 * it happens completely or not at all, and a failed import leaves the list as it was.
 */
import { storage } from 'wxt/utils/storage';
import type { EngineData } from '../lib/engine/precompile';
import type { RulePack } from '../rules/schema';
import { USER_PACKS_KEY, isRunnable, storedPacksOf, type StoredPack } from './stored-packs';

/** Packs that may be installed at once. Each is at most MAX_PACK_CHARS (lib/pack-check.ts). */
export const MAX_INSTALLED_PACKS = 20;

export const userPacksItem = storage.defineItem<StoredPack[]>(`local:${USER_PACKS_KEY}`, { fallback: [], version: 1 });

export async function readStoredPacks(): Promise<StoredPack[]> {
  return storedPacksOf(await userPacksItem.getValue());
}

/** Whether some entry still waits for this version's checks (see the top of the file). */
export function needsRecheck(packs: readonly StoredPack[], version: string): boolean {
  return packs.some((e) => e.checkedBy !== version);
}

/** The packs whose rules the content scripts run (as `loadUserRules`), for the seller report. */
export async function loadUserPacks(version: string): Promise<RulePack[]> {
  // Stored as checked: a runnable entry's pack passed this version's checks.
  return (await readStoredPacks()).filter((e) => e.enabled && isRunnable(e, version)).map((e) => e.pack as RulePack);
}

/** What the options page lists for one installed pack. */
export interface InstalledPack {
  /** Identifies the entry for switching and removing: its install time, unique in the list. */
  id: number;
  name: string;
  version: string;
  description: string;
  ruleCount: number;
  enabled: boolean;
  installedAt: number;
  /** False when the stored pack failed this version's checks (it is then never run). */
  valid: boolean;
}

/** An entry for the list, from its stored fields (a pack is untrusted: strings are cut short). */
export function describePack(entry: StoredPack, index: number, version: string): InstalledPack {
  const raw = (entry.pack ?? {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.slice(0, 200) : fallback);
  return {
    id: entry.installedAt,
    name: text(raw.name, `#${index + 1}`),
    version: text(raw.version, '?'),
    description: text(raw.description, ''),
    ruleCount: Array.isArray(raw.rules) ? raw.rules.length : 0,
    enabled: entry.enabled,
    installedAt: entry.installedAt,
    // An entry not yet checked by this version counts as valid until the check says otherwise.
    valid: entry.checkedBy !== version || isRunnable(entry, version),
  };
}

export async function listUserPacks(version: string): Promise<InstalledPack[]> {
  return (await readStoredPacks()).map((e, i) => describePack(e, i, version));
}

/** Calls `cb` with the new list whenever the stored packs change (in any extension context). */
export function watchUserPacks(version: string, cb: (packs: InstalledPack[]) => void): () => void {
  return userPacksItem.watch((next) => cb(storedPacksOf(next).map((e, i) => describePack(e, i, version))));
}

/** Changes in this context are applied one after another, so two never read the same old list. */
let queue: Promise<unknown> = Promise.resolve();

/** Read, change and write the list as one step. A failed write changes nothing. */
export function updateStoredPacks(change: (packs: StoredPack[]) => StoredPack[]): Promise<StoredPack[]> {
  const run = queue.then(async () => {
    const next = change(await readStoredPacks());
    await userPacksItem.setValue(next);
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}

function nameOf(entry: StoredPack): unknown {
  return (entry.pack as { name?: unknown } | null)?.name;
}

/**
 * Install a checked pack with its precompiled form (utils/pack-install.ts calls this after every
 * check has passed). A pack with the same name is replaced in place; the new one is switched on.
 */
export function storeUserPack(
  pack: { name: string },
  compiled: EngineData,
  checkedBy: string,
  now: number,
): Promise<StoredPack[]> {
  return updateStoredPacks((packs) => {
    // installedAt doubles as the entry's id, so it must differ from every other entry's.
    const latest = packs.reduce((max, e) => Math.max(max, e.installedAt), -Infinity);
    const entry: StoredPack = {
      pack,
      compiled,
      checkedBy,
      enabled: true,
      installedAt: now > latest ? now : latest + 1,
    };
    const at = packs.findIndex((e) => nameOf(e) === pack.name);
    if (at < 0) return [...packs, entry];
    const next = packs.slice();
    next[at] = entry;
    return next;
  });
}

/** Switch the pack with this id (InstalledPack.id) on or off. */
export function setUserPackEnabled(id: number, enabled: boolean): Promise<StoredPack[]> {
  return updateStoredPacks((packs) => packs.map((e) => (e.installedAt === id ? { ...e, enabled } : e)));
}

/** Remove the pack with this id (InstalledPack.id). */
export function removeUserPack(id: number): Promise<StoredPack[]> {
  return updateStoredPacks((packs) => packs.filter((e) => e.installedAt !== id));
}

// ---------------------------------------------------------------------------------------------
// The options page's side of an import
// ---------------------------------------------------------------------------------------------

/** Largest file the options page reads, in bytes (UTF-8 can take up to 4 bytes per character). */
export const MAX_PACK_FILE_BYTES = 4_000_000;

/** The text of a picked file, or null when it is too large to be a pack (it is then not read). */
export async function readPackFile(file: Blob): Promise<string | null> {
  if (file.size > MAX_PACK_FILE_BYTES) return null;
  return file.text();
}
