/**
 * What a content script reads from storage.local: the settings, and the precompiled rules of the
 * imported packs. Read with the browser's storage API directly: WXT's storage helper, which
 * utils/settings-store.ts and utils/user-packs.ts use, would add about 9 kB to every content
 * script.
 *
 * Keys, versions, migrations and readers are those of utils/settings.ts and utils/stored-packs.ts;
 * this file only knows how WXT lays an item out: its value under the key, its version under
 * `<key>$` as `{ v }` (a value without a version record is version 1). A content script never
 * writes: an extension context migrates the stored value, and until then the reader migrates
 * what it read in memory.
 */
import type { EngineData } from '../lib/engine/precompile';
import { contentBrowser } from './content-browser';
import { DEFAULT_SETTINGS, SETTINGS_KEY, migrateSettings, normalizeSettings, type Settings } from './settings';
import { USER_PACKS_KEY, runnableRules, storedPacksOf } from './stored-packs';
import { SWITCHED_OFF_RULES_KEY } from './switched-off-records';

const VERSION_KEY = `${SETTINGS_KEY}$`;

function versionOf(meta: unknown): number {
  const v = (meta as { v?: unknown } | null)?.v;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

export async function readSettings(): Promise<Settings> {
  const stored = await contentBrowser.storage.local.get([SETTINGS_KEY, VERSION_KEY]);
  const value: unknown = stored[SETTINGS_KEY];
  return value == null ? normalizeSettings(DEFAULT_SETTINGS) : migrateSettings(value, versionOf(stored[VERSION_KEY]));
}

/** Calls `cb` with the settings whenever another context stores them; returns the unsubscribe. */
export function watchSettings(cb: (settings: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && SETTINGS_KEY in changes)
      cb(normalizeSettings(changes[SETTINGS_KEY].newValue ?? DEFAULT_SETTINGS));
  };
  contentBrowser.storage.onChanged.addListener(listener);
  return () => contentBrowser.storage.onChanged.removeListener(listener);
}

/** The rules of the enabled imported packs that this version's checks passed (utils/stored-packs.ts). */
export async function readUserRules(version: string): Promise<EngineData[]> {
  const stored = await contentBrowser.storage.local.get(USER_PACKS_KEY);
  return runnableRules(storedPacksOf(stored[USER_PACKS_KEY]), version);
}

/**
 * The ids of the imported rules the time guard switched off (utils/switched-off-records.ts): all
 * a page needs of those records, so only that is checked.
 */
export async function readSwitchedOffRules(): Promise<{ ruleId: string }[]> {
  const stored: unknown = (await contentBrowser.storage.local.get(SWITCHED_OFF_RULES_KEY))[SWITCHED_OFF_RULES_KEY];
  return Array.isArray(stored)
    ? stored.filter((r) => typeof (r as { ruleId?: unknown } | null)?.ruleId === 'string')
    : [];
}
