/**
 * Settings survive an update: values stored by an older version (or partly, or by hand)
 * are migrated to the current storage version when the module loads, and every read is complete.
 *
 * The migration runs when `utils/settings.ts` defines its storage item, as it does when a new
 * version of the extension starts. Each test stores the old value first, then imports the module
 * afresh (`vi.resetModules`), which is what an update does.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SETTINGS_STORAGE_VERSION } from '../../scripts/browser-harness';

type SettingsModule = typeof import('@/utils/settings') & typeof import('@/utils/settings-store');

/** Both halves of the settings: what they are, and WXT's item that keeps (and migrates) them. */
async function freshModule(): Promise<SettingsModule> {
  vi.resetModules();
  return { ...(await import('@/utils/settings')), ...(await import('@/utils/settings-store')) };
}

/** What an older version left in storage.local: the value and WXT's version record beside it. */
async function storeOld(value: unknown, version?: number): Promise<void> {
  const items: Record<string, unknown> =
    version === undefined ? { settings: value } : { settings: value, settings$: { v: version } };
  await fakeBrowser.storage.local.set(items);
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('settings migrations', () => {
  it('migrates a v1 value: keeps every choice the user made, completes and canonicalises it', async () => {
    await storeOld(
      {
        highlights: false,
        highlightCategories: { transaction: true, offer: false },
        disabledHosts: ['WWW.TikTok.com', 'https://m.tiktok.com/@toko', 'www.tiktok.com.', 'www.youtube.com:443'],
      },
      1,
    );
    const { getSettings, settingsItem, SETTINGS_VERSION } = await freshModule();
    expect(await getSettings()).toEqual({
      highlights: false,
      highlightCategories: { transaction: true, offer: false, 'link-out': false },
      disabledHosts: ['www.tiktok.com', 'm.tiktok.com', 'www.youtube.com'],
    });
    // written back in the new shape, under the new version number
    expect(await settingsItem.getMeta()).toEqual({ v: SETTINGS_VERSION });
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual(await getSettings());
  });

  it('migrates a v2 value: highlights become opt-in, every other choice stays', async () => {
    await storeOld(
      {
        highlights: true,
        highlightCategories: { transaction: true, offer: false, 'link-out': true },
        disabledHosts: ['www.tiktok.com'],
      },
      2,
    );
    const { getSettings, settingsItem, SETTINGS_VERSION } = await freshModule();
    expect(await getSettings()).toEqual({
      highlights: false,
      highlightCategories: { transaction: true, offer: false, 'link-out': true },
      disabledHosts: ['www.tiktok.com'],
    });
    expect(SETTINGS_VERSION).toBe(3);
    // The e2e harness writes settings under the same version.
    expect(SETTINGS_STORAGE_VERSION).toBe(SETTINGS_VERSION);
    expect(await settingsItem.getMeta()).toEqual({ v: 3 });
    // Turned on again afterwards, it stays on.
    const { updateSettings } = await freshModule();
    await updateSettings((s) => ({ ...s, highlights: true }));
    expect((await (await freshModule()).getSettings()).highlights).toBe(true);
  });

  it('treats a value with no version record as v1 (what 0.1.0 wrote through the storage API)', async () => {
    await storeOld({
      highlights: false,
      highlightCategories: { transaction: true, offer: true, 'link-out': true },
      disabledHosts: ['www.tiktok.com'],
    });
    const { getSettings, settingsItem, SETTINGS_VERSION } = await freshModule();
    expect(await getSettings()).toEqual({
      highlights: false,
      highlightCategories: { transaction: true, offer: true, 'link-out': true },
      disabledHosts: ['www.tiktok.com'],
    });
    expect(await settingsItem.getMeta()).toEqual({ v: SETTINGS_VERSION });
  });

  it.each([
    [
      'a partial object',
      { disabledHosts: ['www.tiktok.com'] },
      { highlights: false, disabledHosts: ['www.tiktok.com'] },
    ],
    [
      'wrong types',
      { highlights: 'yes', highlightCategories: [true], disabledHosts: 'www.tiktok.com' },
      { highlights: false, disabledHosts: [] },
    ],
    ['junk hosts', { disabledHosts: [null, 7, '', 'not a host!', 'x.com', 'X.COM'] }, { disabledHosts: ['x.com'] }],
    ['a string', 'settings', {}],
    ['an array', [1, 2], {}],
  ])('falls back field by field for %s', async (_, stored, expected) => {
    await storeOld(stored, 1);
    const { getSettings, DEFAULT_SETTINGS } = await freshModule();
    expect(await getSettings()).toMatchObject({ ...DEFAULT_SETTINGS, ...expected });
  });

  it('starts from the defaults on a fresh install and records the current version on first save', async () => {
    const { getSettings, setHostDisabled, settingsItem, DEFAULT_SETTINGS, SETTINGS_VERSION } = await freshModule();
    expect(await getSettings()).toEqual(DEFAULT_SETTINGS);
    await setHostDisabled('WWW.TIKTOK.COM', true);
    expect((await getSettings()).disabledHosts).toEqual(['www.tiktok.com']);
    expect(await settingsItem.getMeta()).toEqual({ v: SETTINGS_VERSION });
  });

  it('still gives usable settings after a downgrade (a newer version wrote the value)', async () => {
    const future = {
      highlights: false,
      highlightCategories: { transaction: false },
      disabledHosts: ['www.tiktok.com'],
      someday: { x: 1 },
    };
    await storeOld(future, 99);
    vi.spyOn(console, 'error').mockImplementation(() => {}); // WXT logs the refused downgrade
    const { getSettings, updateSettings } = await freshModule();
    const settings = await getSettings();
    expect(settings).toMatchObject({
      highlights: false,
      highlightCategories: { transaction: false, offer: true, 'link-out': false },
      disabledHosts: ['www.tiktok.com'],
    });
    // a field this version does not know survives a save
    await updateSettings((s) => ({ ...s, highlights: true }));
    expect((await fakeBrowser.storage.local.get('settings')).settings).toMatchObject({
      highlights: true,
      someday: { x: 1 },
    });
  });

  it('hands watchers normalised values, even when another context writes an old shape', async () => {
    const { settingsItem } = await freshModule();
    const seen: unknown[] = [];
    const unwatch = settingsItem.watch((next) => seen.push(next));
    await fakeBrowser.storage.local.set({ settings: { highlights: false, disabledHosts: ['WWW.TIKTOK.COM'] } });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({
      highlights: false,
      highlightCategories: { transaction: true, offer: true, 'link-out': false },
      disabledHosts: ['www.tiktok.com'],
    });
    unwatch();
  });

  it('every migration turns its previous version into a complete current value', async () => {
    const { SETTINGS_MIGRATIONS, SETTINGS_VERSION, normalizeSettings } = await freshModule();
    for (let v = 2; v <= SETTINGS_VERSION; v++)
      expect(SETTINGS_MIGRATIONS[v], `migration to v${v}`).toBeTypeOf('function');
    let value: unknown = { highlights: false };
    for (let v = 2; v <= SETTINGS_VERSION; v++) value = SETTINGS_MIGRATIONS[v](value);
    expect(value).toEqual(normalizeSettings(value));
  });
});

describe("the content scripts' reader", () => {
  it.each([
    ['a v1 value', { highlights: true, disabledHosts: ['WWW.TikTok.com'] }, 1],
    ['a v2 value with highlights on', { highlights: true, highlightCategories: { offer: false } }, 2],
    ['a value with no version record', { highlights: false, disabledHosts: ['x.com'] }, undefined],
    ['a value a newer version wrote', { highlights: true, someday: 1 }, 99],
    ['a current value', { highlights: true, highlightCategories: { 'link-out': true } }, 3],
  ])('reads %s as the extension pages do, and writes nothing', async (_, stored, version) => {
    await storeOld(stored, version);
    const before = await fakeBrowser.storage.local.get();
    vi.resetModules();
    const { readSettings } = await import('@/utils/content-storage');
    const fromPage = await readSettings();
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
    vi.spyOn(console, 'error').mockImplementation(() => {}); // WXT logs a refused downgrade
    expect(fromPage).toEqual(await (await freshModule()).getSettings());
  });

  it('reads the defaults on a fresh install', async () => {
    const { readSettings } = await import('@/utils/content-storage');
    const { DEFAULT_SETTINGS } = await import('@/utils/settings');
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('hands its watcher what an extension page saves, normalised, until unsubscribed', async () => {
    const { watchSettings } = await import('@/utils/content-storage');
    const { setHostDisabled } = await freshModule();
    const seen: unknown[] = [];
    const unwatch = watchSettings((next) => seen.push(next));
    await setHostDisabled('WWW.TIKTOK.COM', true);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ highlights: false, disabledHosts: ['www.tiktok.com'] });
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    unwatch();
    await setHostDisabled('www.tiktok.com', false);
    expect(seen).toHaveLength(1);
  });
});

describe('hosts', () => {
  it('canonicalHost reads what people and old versions stored, and refuses what is no host', async () => {
    const { canonicalHost, isHostDisabled, normalizeSettings } = await freshModule();
    expect(canonicalHost(' https://user@Shop-ID.Tokopedia.com:8443/path?q#x ')).toBe('shop-id.tokopedia.com');
    expect(canonicalHost('')).toBeNull();
    expect(canonicalHost('a b.com')).toBeNull();
    expect(canonicalHost('x'.repeat(254))).toBeNull();
    const settings = normalizeSettings({ disabledHosts: ['www.tiktok.com'] });
    expect(isHostDisabled(settings, 'WWW.TIKTOK.COM')).toBe(true);
    expect(isHostDisabled(settings, 'm.tiktok.com')).toBe(false);
  });
});
