/**
 * User settings, in `storage.local` under one versioned key so that an update can migrate them.
 *
 * Versions of the stored value (WXT keeps the number next to it, in `settings$`):
 * - v1 (0.1.0): whatever the code of the day wrote; it could be partial (a field added later is
 *   missing), and hosts were stored as given.
 * - v2: always a complete object: every field present with the right type, and `disabledHosts`
 *   canonical (lower-case bare host names, no duplicates).
 * - v3: `highlights` means "always highlight" and is off unless the user turns it on: highlights
 *   are the one thing of ours a page can see. The migration turns it off once; "Show on page"
 *   still draws a highlight on request.
 *
 * A change to the shape adds a version: bump SETTINGS_VERSION, add `SETTINGS_MIGRATIONS[n]` that
 * turns a v(n-1) value into a vn one, and a case in tests/unit/settings.test.ts that stores the old
 * shape and reads the new. Migrations never throw; whatever they cannot read falls back to the
 * defaults field by field, and `normalizeSettings` is applied on every read as well, so a value
 * written by a newer version (a downgrade) or by hand still gives usable settings.
 *
 * This file is what settings are; utils/settings-store.ts keeps them with WXT's storage helper
 * (extension pages and the background), and utils/content-storage.ts reads them in content scripts.
 */
import { normalizeFields } from '../lib/stored-fields';
import type { Category } from '../rules/schema';
import { CATEGORY_IDS } from '../rules/taxonomy';

export interface Settings {
  /**
   * Always draw outlines on detected elements. Off by default: a page script can see them, so
   * without it highlights appear only on request ("Show on page") and go away again.
   */
  highlights: boolean;
  /** Which categories get highlights when `highlights` is on. */
  highlightCategories: Record<Category, boolean>;
  /** Hosts (exact, e.g. "www.tiktok.com") where the extension does nothing. */
  disabledHosts: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  highlights: false,
  // Link-outs are allowed promotion and common; outlining every one would be noise.
  highlightCategories: { transaction: true, offer: true, 'link-out': false },
  disabledHosts: [],
};

/** Where the settings live in storage.local (the content scripts' reader uses it too). */
export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 3;
/** More disabled hosts than anyone sets by hand; keeps a corrupted value from growing without end. */
const MAX_DISABLED_HOSTS = 1000;
const HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+$/;

/** "WWW.TikTok.com", " https://www.tiktok.com/shop " and "www.tiktok.com." all mean www.tiktok.com. */
export function canonicalHost(value: string): string | null {
  let host = value.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // a scheme
  host = host.replace(/[/?#].*$/, ''); // a path, query or fragment
  host = host.replace(/^[^@]*@/, ''); // user info
  host = host.replace(/:\d+$/, '').replace(/\.$/, ''); // a port, the root dot
  return host.length > 0 && host.length <= 253 && HOST.test(host) ? host : null;
}

// Content scripts read settings too, and they carry no zod: a boolean needs no schema.
const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const categoryFlags = Object.fromEntries(CATEGORY_IDS.map((id) => [id, flag])) as Record<Category, typeof flag>;

/**
 * A complete, canonical Settings from anything, field by field (lib/stored-fields.ts); disabled
 * hosts are canonicalised, and hosts that are none are dropped.
 */
export function normalizeSettings(raw: unknown): Settings {
  return normalizeFields(raw, DEFAULT_SETTINGS, {
    highlights: flag,
    highlightCategories: (value) => normalizeFields(value, DEFAULT_SETTINGS.highlightCategories, categoryFlags),
    disabledHosts: (value) =>
      Array.isArray(value)
        ? [...new Set(value.flatMap((h) => (typeof h === 'string' ? (canonicalHost(h) ?? []) : [])))].slice(
            0,
            MAX_DISABLED_HOSTS,
          )
        : undefined,
  });
}

/** Turns the stored value of version n-1 into version n. Keyed by the version it produces. */
export const SETTINGS_MIGRATIONS: Record<number, (old: unknown) => unknown> = {
  // v1 → v2: complete the object and canonicalise hosts.
  2: (v1) => normalizeSettings(v1),
  // v2 → v3: highlights become opt-in (on was the default, so it says nothing of the user's wish).
  3: (v2) => ({ ...normalizeSettings(v2), highlights: false }),
};

/**
 * A stored value of `version` as the current version, without writing it back: what a reader
 * that cannot write (a content script, utils/content-storage.ts) does with a value that an update
 * has not migrated yet. WXT's item (utils/settings-store.ts) runs the same migrations and stores
 * the result.
 */
export function migrateSettings(value: unknown, version: number): Settings {
  let migrated = value;
  for (let v = version + 1; v <= SETTINGS_VERSION; v++) migrated = SETTINGS_MIGRATIONS[v](migrated);
  return normalizeSettings(migrated);
}

export function isHostDisabled(settings: Settings, host: string): boolean {
  return settings.disabledHosts.includes(canonicalHost(host) ?? host);
}
