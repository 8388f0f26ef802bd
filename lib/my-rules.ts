/**
 * The "My rules" pack: rules a person picked on a page and elements they marked "not a shopping
 * feature", kept as one ordinary rule pack named `my-rules`. It is installed, checked, switched
 * off and exported like any pack; this file only builds the next version of it. Pure data in,
 * data out.
 *
 *   picker / highlight ──proposal──▶ addProposal(current pack) ──▶ next pack ──installPack──▶ check
 */
import * as z from 'zod/mini';
import {
  ENGINE_VERSION,
  Exclusion,
  FeatureKind,
  PlatformId,
  Signal,
  categoryOf,
  type Exclusion as ExclusionType,
  type FeatureKind as FeatureKindType,
  type PlatformId as PlatformIdType,
  type Rule,
  type RuleInput,
  type RulePack,
  type RulePackInput,
} from '../rules/schema';

export const MY_RULES_PACK_NAME = 'my-rules';

/**
 * What the picker proposes: the feature the person chose, the platform of the page, and the
 * selector and signals it built. The rule's id and regulations are filled in when it is saved.
 */
export const RuleProposal = z.strictObject({
  kind: z.literal('rule'),
  platform: PlatformId,
  feature: FeatureKind,
  selector: z.string().check(z.minLength(1), z.maxLength(1000)),
  signals: z.array(Signal).check(z.maxLength(8)),
  evidence: z.enum(['label', 'link']),
});
export type RuleProposal = z.infer<typeof RuleProposal>;

/** What "not a shopping feature" on a highlight proposes. */
export const ExclusionProposal = z.strictObject({ kind: z.literal('exclusion'), ...Exclusion.shape });
export type ExclusionProposal = z.infer<typeof ExclusionProposal>;

export const Proposal = z.discriminatedUnion('kind', [RuleProposal, ExclusionProposal]);
export type Proposal = z.infer<typeof Proposal>;

/** The most common value of a list of regulation-id lists (ties: the first seen). */
function mostCommon(lists: readonly string[][]): string[] | null {
  const counts = new Map<string, { ids: string[]; n: number }>();
  for (const ids of lists) {
    const key = ids.join(' ');
    const entry = counts.get(key) ?? { ids, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  let best: { ids: string[]; n: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry;
  return best ? [...best.ids] : null;
}

/**
 * The regulations a picked rule cites: those the bundled rules for the same feature cite most
 * often, on the same platform if it has such a rule, else on any; failing that, those of the
 * feature's category. The legal reading stays in the bundled data; a person only picks a feature.
 */
export function regulationIdsFor(
  feature: FeatureKindType,
  platform: PlatformIdType,
  bundled: readonly RulePack[],
): string[] {
  const rules = bundled.flatMap((p) => p.rules);
  const of = (keep: (r: Rule) => boolean) => mostCommon(rules.filter(keep).map((r) => r.regulationIds));
  return (
    of((r) => r.feature === feature && r.platform === platform) ??
    of((r) => r.feature === feature) ??
    of((r) => categoryOf(r.feature) === categoryOf(feature)) ??
    []
  );
}

/** `my-rules.<platform>-<feature>-<n>` with the first n not taken. */
export function freshRuleId(platform: PlatformIdType, feature: FeatureKindType, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${MY_RULES_PACK_NAME}.${platform}-${feature}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** An empty My rules pack, to add the first item to. */
function emptyPack(): RulePackInput {
  return {
    name: MY_RULES_PACK_NAME,
    version: '1.0.0',
    engine: ENGINE_VERSION,
    description: 'Rules picked on pages and elements marked "not a shopping feature" in Lensa Niaga',
    rules: [],
    exclusions: [],
  };
}

/** The next patch version (`1.0.3` → `1.0.4`), so an exported pack says which state it is. */
function nextVersion(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : '1.0.0';
}

function sameExclusion(a: ExclusionType, b: ExclusionType): boolean {
  return a.ruleId === b.ruleId && a.selector === b.selector;
}

/** The pack's fields as they will be checked; `current` is the installed My rules pack, if any. */
function base(current: RulePackInput | null): RulePackInput {
  const pack = current ?? emptyPack();
  return {
    ...pack,
    version: current ? nextVersion(pack.version) : pack.version,
    rules: [...pack.rules],
    exclusions: [...(pack.exclusions ?? [])],
  };
}

/** The rule a proposal becomes, with a fresh id among `taken` (and the pack's own ids). */
export function ruleFromProposal(proposal: RuleProposal, id: string, bundled: readonly RulePack[]): RuleInput {
  return {
    id,
    platform: proposal.platform,
    feature: proposal.feature,
    regulationIds: regulationIdsFor(proposal.feature, proposal.platform, bundled),
    selector: proposal.selector,
    signals: proposal.signals,
    ...(proposal.evidence === 'link' ? { evidence: 'link' as const } : {}),
  };
}

/**
 * The My rules pack with one proposal added: a rule with a fresh id, or an exclusion (one that is
 * there already is not added twice). Not checked here: the result goes through the import check.
 */
export function addProposal(
  current: RulePackInput | null,
  proposal: Proposal,
  bundled: readonly RulePack[],
  takenIds: ReadonlySet<string> = new Set(),
): RulePackInput {
  const next = base(current);
  if (proposal.kind === 'exclusion') {
    const exclusion = { ruleId: proposal.ruleId, selector: proposal.selector };
    if (!next.exclusions!.some((x) => sameExclusion(x, exclusion))) next.exclusions!.push(exclusion);
    return next;
  }
  const taken = new Set([...takenIds, ...next.rules.map((r) => r.id)]);
  next.rules.push(ruleFromProposal(proposal, freshRuleId(proposal.platform, proposal.feature, taken), bundled));
  return next;
}

/** The pack with a rule put back (switched on again); a rule with that id is replaced. */
export function withRule(current: RulePackInput | null, rule: RuleInput): RulePackInput {
  const next = base(current);
  next.rules = [...next.rules.filter((r) => r.id !== rule.id), rule];
  return next;
}

/** The pack with an exclusion put back. */
export function withExclusion(current: RulePackInput | null, exclusion: ExclusionType): RulePackInput {
  const next = base(current);
  if (!next.exclusions!.some((x) => sameExclusion(x, exclusion))) next.exclusions!.push(exclusion);
  return next;
}

/**
 * The pack without a rule or an exclusion, or null when nothing would be left (a pack needs at
 * least one of either: the caller removes the installed pack instead).
 */
export function without(
  current: RulePackInput,
  item: { ruleId: string } | { exclusion: ExclusionType },
): RulePackInput | null {
  const next = base(current);
  if ('ruleId' in item) next.rules = next.rules.filter((r) => r.id !== item.ruleId);
  else next.exclusions = next.exclusions!.filter((x) => !sameExclusion(x, item.exclusion));
  return next.rules.length === 0 && next.exclusions!.length === 0 ? null : next;
}
