/**
 * The settings in storage.local, through WXT's storage helper, for extension pages and the
 * background: the item runs the migrations of utils/settings.ts when it is defined, which is when
 * a new version starts. Content scripts read the same key without the helper
 * (utils/content-storage.ts).
 */
import { storage } from 'wxt/utils/storage';
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  SETTINGS_MIGRATIONS,
  SETTINGS_VERSION,
  canonicalHost,
  normalizeSettings,
  type Settings,
} from './settings';

const storedSettings = storage.defineItem<Settings>(`local:${SETTINGS_KEY}`, {
  fallback: DEFAULT_SETTINGS,
  version: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
});

/**
 * The settings item. `watch` hands out normalised values, so a listener never sees a partial
 * object (a value written by another version or by hand).
 */
export const settingsItem: typeof storedSettings = {
  ...storedSettings,
  watch: (cb) => storedSettings.watch((next, previous) => cb(normalizeSettings(next), normalizeSettings(previous))),
};

export async function getSettings(): Promise<Settings> {
  return normalizeSettings(await storedSettings.getValue());
}

export async function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  const next = normalizeSettings(change(await getSettings()));
  await storedSettings.setValue(next);
  return next;
}

export async function setHostDisabled(host: string, disabled: boolean): Promise<Settings> {
  const canonical = canonicalHost(host) ?? host;
  return updateSettings((s) => ({
    ...s,
    disabledHosts: disabled
      ? [...new Set([...s.disabledHosts, canonical])]
      : s.disabledHosts.filter((h) => h !== canonical),
  }));
}
