/**
 * User settings, in `storage.local` under one versioned key so that an update can migrate them.
 */
import { storage } from 'wxt/utils/storage';
import type { Category } from '../rules/schema';

export interface Settings {
  /** Draw outlines and labels on detected elements. */
  highlights: boolean;
  /** Which categories get highlights when `highlights` is on. */
  highlightCategories: Record<Category, boolean>;
  /** Hosts (exact, e.g. "www.tiktok.com") where the extension does nothing. */
  disabledHosts: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  highlights: true,
  // Link-outs are allowed promotion and common; outlining every one would be noise.
  highlightCategories: { transaction: true, offer: true, 'link-out': false },
  disabledHosts: [],
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

export async function getSettings(): Promise<Settings> {
  const stored = await settingsItem.getValue();
  return { ...DEFAULT_SETTINGS, ...stored, highlightCategories: { ...DEFAULT_SETTINGS.highlightCategories, ...stored.highlightCategories } };
}

export async function updateSettings(change: (s: Settings) => Settings): Promise<Settings> {
  const next = change(await getSettings());
  await settingsItem.setValue(next);
  return next;
}

export function isHostDisabled(settings: Settings, host: string): boolean {
  return settings.disabledHosts.includes(host);
}

export async function setHostDisabled(host: string, disabled: boolean): Promise<Settings> {
  return updateSettings((s) => ({
    ...s,
    disabledHosts: disabled ? [...new Set([...s.disabledHosts, host])] : s.disabledHosts.filter((h) => h !== host),
  }));
}
