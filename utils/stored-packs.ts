/**
 * The imported rule packs' list as it is stored in storage.local: its key, the shape of an entry
 * and which entries may run. Both sides read it: extension pages through WXT's storage helper
 * (utils/user-packs.ts, which also writes it) and content scripts without it
 * (utils/content-storage.ts). See utils/user-packs.ts for how entries are checked and kept.
 */
import { isEngineData } from '../lib/engine/load';
import type { EngineData } from '../lib/engine/precompile';

export interface StoredPack {
  /** The pack as it was checked at import (schema defaults filled in). */
  pack: unknown;
  /** Its precompiled form; absent when it failed the last check (it is then never run). */
  compiled?: EngineData;
  /** The extension version whose checks the entry last went through; absent in entries stored before packs were precompiled. */
  checkedBy?: string;
  enabled: boolean;
  installedAt: number;
}

/** Where the list lives in storage.local. */
export const USER_PACKS_KEY = 'userPacks';

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

/** A stored value as the list, with anything that is not a stored pack left out (never throws on odd data). */
export function storedPacksOf(stored: unknown): StoredPack[] {
  return Array.isArray(stored) ? stored.filter(isStoredPack) : [];
}

/** Whether this version's checks have passed the entry, so that it may run. */
export function isRunnable(entry: StoredPack, version: string): entry is StoredPack & { compiled: EngineData } {
  return entry.checkedBy === version && isEngineData(entry.compiled);
}

/**
 * The precompiled rules of the enabled packs that passed this version's checks, for the content
 * scripts (utils/content-storage.ts reads the list). Others are skipped, never fatal.
 */
export function runnableRules(packs: readonly StoredPack[], version: string): EngineData[] {
  return packs.filter((e) => e.enabled && isRunnable(e, version)).map((e) => e.compiled!);
}
