/**
 * Where the My rules pack's pieces wait and rest (lib/my-rules.ts builds the pack itself):
 * - proposals from the picker and from "not a shopping feature", kept by the background in
 *   `storage.session` (which pages can reach and content scripts cannot) until the options page
 *   adds them to the pack and installs it;
 * - rules and exclusions switched off on the options page, in `storage.local`: they are out of
 *   the installed pack, which only holds what runs, and go back in when switched on.
 */
import { storage } from 'wxt/utils/storage';
import * as z from 'zod/mini';
import { Exclusion, Rule, RulePack, validate, type RuleInput, type RulePack as RulePackType } from '../rules/schema';
import { MY_RULES_PACK_NAME, Proposal } from '../lib/my-rules';
import { readStoredPacks } from './user-packs';
import type { StoredPack } from './stored-packs';

/** Proposals that may wait at once; a page cannot pile up more than this. */
export const MAX_PENDING_PROPOSALS = 20;

export const pendingProposalsItem = storage.defineItem<unknown[]>('session:myRulesPending', { fallback: [] });

function validProposals(value: unknown): Proposal[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => {
    const parsed = Proposal.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Keep a proposal for the options page (the background's side). The oldest go when too many wait. */
export async function keepProposal(proposal: Proposal): Promise<void> {
  const pending = validProposals(await pendingProposalsItem.getValue());
  await pendingProposalsItem.setValue([...pending, proposal].slice(-MAX_PENDING_PROPOSALS));
}

/**
 * Take every waiting proposal (the options page's side). Under a lock, so two open options pages
 * never both take the same one.
 */
export async function takeProposals(): Promise<Proposal[]> {
  const take = async () => {
    const pending = validProposals(await pendingProposalsItem.getValue());
    if (pending.length) await pendingProposalsItem.setValue([]);
    return pending;
  };
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? await locks.request('lensa-niaga-my-rules', take) : take();
}

/** Calls `cb` when proposals arrive while a page is open. */
export function watchProposals(cb: () => void): () => void {
  return pendingProposalsItem.watch((next) => {
    if (Array.isArray(next) && next.length) cb();
  });
}

const SwitchedOff = z.object({
  rules: z._default(z.array(z.unknown()), []),
  exclusions: z._default(z.array(z.unknown()), []),
});

export interface SwitchedOffItems {
  rules: RuleInput[];
  exclusions: Exclusion[];
}

export const switchedOffItem = storage.defineItem<unknown>('local:myRulesOff', { fallback: {} });

/** The switched-off rules and exclusions; anything that no longer validates is left out. */
export async function readSwitchedOff(): Promise<SwitchedOffItems> {
  const parsed = SwitchedOff.safeParse(await switchedOffItem.getValue());
  if (!parsed.success) return { rules: [], exclusions: [] };
  return {
    rules: parsed.data.rules.filter((r) => Rule.safeParse(r).success) as RuleInput[],
    exclusions: parsed.data.exclusions.flatMap((x) => {
      const e = Exclusion.safeParse(x);
      return e.success ? [e.data] : [];
    }),
  };
}

export function writeSwitchedOff(items: SwitchedOffItems): Promise<void> {
  return switchedOffItem.setValue(items);
}

/** The installed My rules pack (validated) and its entry, or nulls when there is none. */
export async function installedMyRules(): Promise<{ entry: StoredPack | null; pack: RulePackType | null }> {
  const entry =
    (await readStoredPacks()).find((e) => (e.pack as { name?: unknown } | null)?.name === MY_RULES_PACK_NAME) ?? null;
  if (!entry) return { entry: null, pack: null };
  const checked = validate(RulePack, entry.pack);
  return { entry, pack: checked.ok ? checked.value : null };
}
