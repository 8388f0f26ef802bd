/**
 * Rule packs the user imported, kept in `storage.local`. They are untrusted: utils/pack-import.ts
 * validates them and checks every pattern for backtracking before one is stored; here, in the
 * content script, they are validated again against the schema (cheap, and safe after an update
 * that changed it) but not re-checked, which keeps the regex-analysis library out of page scripts.
 */
import { storage } from 'wxt/utils/storage';
import { RulePack, validate, type RulePack as RulePackType } from '../rules/schema';

export interface StoredPack {
  pack: unknown;
  enabled: boolean;
  installedAt: number;
}

export const userPacksItem = storage.defineItem<StoredPack[]>('local:userPacks', { fallback: [], version: 1 });

/** The enabled, valid user packs. A stored pack that no longer validates is skipped, not fatal. */
export async function loadUserPacks(): Promise<RulePackType[]> {
  const stored = await userPacksItem.getValue();
  const packs: RulePackType[] = [];
  for (const entry of stored) {
    if (!entry.enabled) continue;
    const checked = validate(RulePack, entry.pack);
    if (checked.ok) packs.push(checked.value);
  }
  return packs;
}
