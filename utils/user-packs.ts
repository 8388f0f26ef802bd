/**
 * Rule packs the user imported, kept in `storage.local` under one key. They are untrusted: the
 * background checks every pattern for backtracking before one is stored (lib/pack-check.ts, run by
 * entrypoints/background/pack-install.ts); here, in the content script, they are validated again
 * against the schema (cheap, and safe after an update that changed it) but not re-checked, which
 * keeps the regex-analysis libraries out of page scripts.
 *
 * The whole list is one value, so every change (import, switch on/off, remove) is a single write:
 * it happens completely or not at all, and a failed import leaves the list as it was.
 */
import { storage } from 'wxt/utils/storage';
import { RulePack, validate, type RulePack as RulePackType } from '../rules/schema';
import type { BackgroundMessage, ImportReply } from './messages';

export interface StoredPack {
  /** The pack as it was checked at import (schema defaults filled in). */
  pack: unknown;
  enabled: boolean;
  installedAt: number;
}

/** Packs that may be installed at once. Each is at most MAX_PACK_CHARS (lib/pack-check.ts). */
export const MAX_INSTALLED_PACKS = 20;

export const userPacksItem = storage.defineItem<StoredPack[]>('local:userPacks', { fallback: [], version: 1 });

function isStoredPack(value: unknown): value is StoredPack {
  const v = value as StoredPack | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    'pack' in v &&
    typeof v.enabled === 'boolean' &&
    typeof v.installedAt === 'number'
  );
}

/** The stored list, with anything that is not a stored pack left out (never throws on odd data). */
export async function readStoredPacks(): Promise<StoredPack[]> {
  const stored: unknown = await userPacksItem.getValue();
  return Array.isArray(stored) ? stored.filter(isStoredPack) : [];
}

/** The enabled, valid user packs. A stored pack that no longer validates is skipped, not fatal. */
export async function loadUserPacks(): Promise<RulePackType[]> {
  const packs: RulePackType[] = [];
  for (const entry of await readStoredPacks()) {
    if (!entry.enabled) continue;
    const checked = validate(RulePack, entry.pack);
    if (checked.ok) packs.push(checked.value);
  }
  return packs;
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
  /** False when the stored pack no longer passes the schema (it is then never run). */
  valid: boolean;
}

export function describePack(entry: StoredPack, index: number): InstalledPack {
  const checked = validate(RulePack, entry.pack);
  const raw = (entry.pack ?? {}) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.slice(0, 200) : fallback);
  return {
    id: entry.installedAt,
    name: checked.ok ? checked.value.name : text(raw.name, `#${index + 1}`),
    version: checked.ok ? checked.value.version : text(raw.version, '?'),
    description: checked.ok ? (checked.value.description ?? '') : '',
    ruleCount: checked.ok ? checked.value.rules.length : Array.isArray(raw.rules) ? raw.rules.length : 0,
    enabled: entry.enabled,
    installedAt: entry.installedAt,
    valid: checked.ok,
  };
}

export async function listUserPacks(): Promise<InstalledPack[]> {
  return (await readStoredPacks()).map(describePack);
}

/** Calls `cb` with the new list whenever the stored packs change (in any extension context). */
export function watchUserPacks(cb: (packs: InstalledPack[]) => void): () => void {
  return userPacksItem.watch((next) => cb((Array.isArray(next) ? next.filter(isStoredPack) : []).map(describePack)));
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
 * Install a checked pack (the background calls this after every check has passed). A pack
 * with the same name is replaced in place; the new one is switched on.
 */
export function storeUserPack(pack: RulePackType, now: number): Promise<StoredPack[]> {
  return updateStoredPacks((packs) => {
    // installedAt doubles as the entry's id, so it must differ from every other entry's.
    const latest = packs.reduce((max, e) => Math.max(max, e.installedAt), -Infinity);
    const entry: StoredPack = { pack, enabled: true, installedAt: now > latest ? now : latest + 1 };
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

/**
 * Ask the background to check and install a pack (JSON text or a value). Never throws: a failed
 * send is answered `{ ok: false, error }`.
 */
export async function requestPackImport(
  pack: unknown,
  send: (message: unknown) => Promise<unknown>,
): Promise<ImportReply> {
  try {
    const reply = (await send({ type: 'rules:import', pack } satisfies BackgroundMessage)) as ImportReply | undefined;
    if (reply && typeof reply === 'object' && typeof reply.ok === 'boolean') return reply;
    return { ok: false, error: 'no answer' };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
