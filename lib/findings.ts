/**
 * What a tab's findings mean, computed from a `TabReport` and the catalogues alone: who runs the
 * page's transactions, how much attention each finding needs, one row per feature, the verdict the
 * popup puts first, and every catalogue entry the rows rely on, each once. The popup, the badge and
 * the seller report all read it from here, so they never disagree. Pure: the catalogues are
 * parameters, so tests can pass their own.
 *
 * Ids the catalogue does not know are kept (with `regulation: null`) so the view can show the id
 * instead of dropping a claim or crashing while the catalogue is being edited.
 */
import {
  CATEGORY_IDS,
  FEATURE_IDS,
  categoryOf,
  type Category,
  type Detection,
  type FeatureKind,
  type Marketplace,
  type PlatformId,
  type Regulation,
  type RegulationStatus,
  type TabReport,
} from '../rules/schema';
import { hostMatches } from './hosts';
import { productQuery } from './product-query';

export type RegulationLookup = (id: string) => Regulation | undefined;

/** What the findings are judged against: the regulation catalogue and the registered marketplaces. */
export interface Catalogues {
  lookup: RegulationLookup;
  /** Empty when the marketplace catalogue could not be loaded: every page is then the platform's. */
  marketplaces: readonly Marketplace[];
}

const HEDGED_STATUSES: ReadonlySet<RegulationStatus> = new Set(['reported', 'unverified']);

/** A reported or unverified entry is shown as a report ("reported, not confirmed"), never as law. */
export function isHedged(status: RegulationStatus): boolean {
  return HEDGED_STATUSES.has(status);
}

export interface ResolvedCaveat {
  id: string;
  /** null when the catalogue has no entry with this id. */
  regulation: Regulation | null;
}

export interface ResolvedRegulation {
  id: string;
  /** null when the catalogue has no entry with this id. */
  regulation: Regulation | null;
  /** The entry's status is reported or unverified. */
  hedged: boolean;
  /** The entries named in its `caveatIds`. */
  caveats: ResolvedCaveat[];
}

export function resolveRegulation(id: string, lookup: RegulationLookup): ResolvedRegulation {
  const regulation = lookup(id) ?? null;
  return {
    id,
    regulation,
    hedged: regulation ? isHedged(regulation.status) : false,
    caveats: (regulation?.caveatIds ?? []).map((c) => ({ id: c, regulation: lookup(c) ?? null })),
  };
}

/**
 * `ids` resolved, each once, leaving out `skip`; a caveat shared by several of them (such as "31/2023
 * may have been replaced") is kept on the first only.
 */
export function resolveAll(
  ids: readonly string[],
  lookup: RegulationLookup,
  skip: ReadonlySet<string> = new Set(),
): ResolvedRegulation[] {
  const shown = new Set<string>();
  return [...new Set(ids)]
    .filter((id) => !skip.has(id))
    .map((id) => resolveRegulation(id, lookup))
    .map((r) => {
      const caveats = r.caveats.filter((c) => !shown.has(c.id));
      for (const c of caveats) shown.add(c.id);
      return { ...r, caveats };
    });
}

// ---------------------------------------------------------------------------------------------
// Who runs the transactions
// ---------------------------------------------------------------------------------------------

/**
 * Who takes the orders and payments of a page's transaction features: the social platform itself,
 * or a registered marketplace, on its own sites or on pages it runs for the platform (catalogue:
 * `domains` and `operates` in rules/marketplaces.json). `regulationIds` describe the arrangement.
 */
export type Operator =
  { kind: 'platform' } | { kind: 'marketplace'; marketplace: Marketplace; regulationIds: string[] };

export function operatorOf(host: string, platform: PlatformId, marketplaces: readonly Marketplace[]): Operator {
  if (host) {
    for (const marketplace of marketplaces) {
      const runs = marketplace.operates.find((o) => o.platform === platform && hostMatches(host, o.host));
      if (runs) return { kind: 'marketplace', marketplace, regulationIds: [...runs.regulationIds] };
    }
    for (const marketplace of marketplaces) {
      if (marketplace.domains.some((d) => hostMatches(host, d)))
        return { kind: 'marketplace', marketplace, regulationIds: [] };
    }
  }
  return { kind: 'platform' };
}

// ---------------------------------------------------------------------------------------------
// Severity and explanation
// ---------------------------------------------------------------------------------------------

/**
 * - `concern`: a transaction feature the social platform runs itself, backed by a regulation in force.
 * - `possible-concern`: the same, but its regulations are only reported, unverified, revoked or unknown.
 * - `info`: offers and link-outs, which the rules allow, and transactions a registered marketplace runs.
 */
export type Severity = 'concern' | 'possible-concern' | 'info';
export const SEVERITIES = ['concern', 'possible-concern', 'info'] as const satisfies readonly Severity[];

export function severityOf(
  feature: FeatureKind,
  regulations: readonly (Regulation | null)[],
  operator: Operator,
): Severity {
  if (categoryOf(feature) !== 'transaction' || operator.kind === 'marketplace') return 'info';
  return regulations.some((r) => r?.status === 'in-force') ? 'concern' : 'possible-concern';
}

/** Which explanation text applies: one per category, the cross-border price floor, and marketplace-run transactions. */
export type Explanation = Category | 'cross-border-offer' | 'marketplace-transaction';

export function explanationOf(feature: FeatureKind, operator: Operator): Explanation {
  if (feature === 'cross-border-offer') return 'cross-border-offer';
  const category = categoryOf(feature);
  return category === 'transaction' && operator.kind === 'marketplace' ? 'marketplace-transaction' : category;
}

/** Detections in the order every view lists them: by category (transaction first), then feature, then rule. */
export function sortDetections(detections: readonly Detection[]): Detection[] {
  const order = (d: Detection) => FEATURE_IDS.indexOf(d.feature);
  return [...detections].sort((a, b) => order(a) - order(b) || a.ruleId.localeCompare(b.ruleId));
}

// ---------------------------------------------------------------------------------------------
// The popup's view model
// ---------------------------------------------------------------------------------------------

/** One feature of the page: every rule that found it merged. */
export interface FeatureRow {
  feature: FeatureKind;
  category: Category;
  severity: Severity;
  explanation: Explanation;
  /** Matching elements over all its rules. */
  count: number;
  /** The distinct page texts it was found by (untrusted page text). */
  evidence: string[];
  ruleIds: string[];
  /** Entries of the "what the rules say" section this row relies on, in the section's order. */
  regulationIds: string[];
  /** The product name its detections carry (offer features only), for marketplace searches. */
  productQuery: string | null;
}

/** A catalogue entry in the "what the rules say" section, with the caveats that qualify it. */
export interface CitedEntry {
  id: string;
  regulation: Regulation | null;
  hedged: boolean;
}

export interface CitedCaveat extends CitedEntry {
  /** The entries it qualifies. */
  qualifies: string[];
}

/** Every entry the rows and the verdict rely on, each once, and each caveat once. */
export interface RulesSection {
  entries: CitedEntry[];
  caveats: CitedCaveat[];
}

/**
 * What the page's verdict says:
 * - `transaction`: the social platform takes orders or payments itself (`hedged` when only
 *   reported or unverified rules back that concern);
 * - `marketplace`: there are transaction features, but a registered marketplace runs them;
 * - `offer`: offers (and perhaps link-outs), allowed as promotion;
 * - `link-out`: only links to shops elsewhere.
 */
export interface Verdict {
  kind: 'transaction' | 'marketplace' | 'offer' | 'link-out';
  hedged: boolean;
  /** Features per category. */
  features: Record<Category, number>;
  /** The entry the verdict's legal statement rests on, shown with its citation, status and date. */
  basis: CitedEntry | null;
}

interface PageBase {
  tabId: number;
  url: string;
  /** Host name of the page, '' when the URL cannot be parsed. */
  host: string;
}

export type PopupModel =
  /** A browser or extension page (no http(s) address): nothing to check there. */
  | (PageBase & { state: 'extension-page' })
  /** A web page outside the platforms. */
  | (PageBase & { state: 'other-site' })
  | (PageBase & { state: 'clean'; platform: PlatformId })
  | (PageBase & {
      state: 'found';
      platform: PlatformId;
      operator: Operator;
      verdict: Verdict;
      /** One per feature, by category (transaction first), then taxonomy order. */
      rows: FeatureRow[];
      rules: RulesSection;
      /** The first product name the detections carry, for "where to buy instead". */
      productQuery: string | null;
    });

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** Whether `url` is a web page (as opposed to a browser or extension page). */
export function isWebPage(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function rowsOf(
  detections: readonly Detection[],
  operator: Operator,
  catalogues: Catalogues,
  skip: ReadonlySet<string>,
) {
  const byFeature = new Map<FeatureKind, Detection[]>();
  for (const d of sortDetections(detections)) byFeature.set(d.feature, [...(byFeature.get(d.feature) ?? []), d]);
  return [...byFeature].map(([feature, ds]): FeatureRow => {
    const regulationIds = [...new Set(ds.flatMap((d) => d.regulationIds))].filter((id) => !skip.has(id));
    const evidence = [...new Set(ds.map((d) => d.evidence).filter(Boolean))];
    return {
      feature,
      category: categoryOf(feature),
      severity: severityOf(
        feature,
        regulationIds.map((id) => catalogues.lookup(id) ?? null),
        operator,
      ),
      explanation: explanationOf(feature, operator),
      count: ds.reduce((n, d) => n + d.count, 0),
      evidence,
      ruleIds: ds.map((d) => d.ruleId),
      regulationIds,
      productQuery: ds.map(productQuery).find(Boolean) ?? null,
    };
  });
}

function sectionOf(ids: readonly string[], lookup: RegulationLookup): RulesSection {
  const entries = [...new Set(ids)].map((id): CitedEntry => {
    const r = resolveRegulation(id, lookup);
    return { id, regulation: r.regulation, hedged: r.hedged };
  });
  const listed = new Set(entries.map((e) => e.id));
  const caveats = new Map<string, CitedCaveat>();
  for (const e of entries) {
    for (const c of e.regulation?.caveatIds ?? []) {
      if (listed.has(c)) continue;
      const regulation = lookup(c) ?? null;
      const caveat = caveats.get(c) ?? {
        id: c,
        regulation,
        hedged: regulation ? isHedged(regulation.status) : false,
        qualifies: [],
      };
      caveat.qualifies.push(e.id);
      caveats.set(c, caveat);
    }
  }
  return { entries, caveats: [...caveats.values()] };
}

function verdictOf(rows: readonly FeatureRow[], operator: Operator, rules: RulesSection): Verdict {
  const features = Object.fromEntries(
    CATEGORY_IDS.map((c) => [c, rows.filter((r) => r.category === c).length]),
  ) as Record<Category, number>;
  const entry = (id: string | undefined) => rules.entries.find((e) => e.id === id) ?? null;
  const concerns = rows.filter((r) => r.severity !== 'info');
  if (concerns.length > 0) {
    const ids = concerns.flatMap((r) => r.regulationIds);
    const inForce = ids.find((id) => entry(id)?.regulation?.status === 'in-force');
    return {
      kind: 'transaction',
      hedged: concerns.every((r) => r.severity === 'possible-concern'),
      features,
      basis: entry(inForce ?? ids[0]),
    };
  }
  if (features.transaction > 0 && operator.kind === 'marketplace') {
    return { kind: 'marketplace', hedged: false, features, basis: entry(operator.regulationIds[0]) };
  }
  const kind = features.offer > 0 ? 'offer' : 'link-out';
  const first = rows.find((r) => r.category === kind);
  return { kind, hedged: false, features, basis: entry(first?.regulationIds[0]) };
}

export function buildPopupModel(report: TabReport, catalogues: Catalogues): PopupModel {
  const base: PageBase = { tabId: report.tabId, url: report.url, host: hostOf(report.url) };
  if (report.platform === null)
    return { ...base, state: report.url && !isWebPage(report.url) ? 'extension-page' : 'other-site' };
  const platform = report.platform;
  if (report.detections.length === 0) return { ...base, state: 'clean', platform };

  const operator = operatorOf(base.host, platform, catalogues.marketplaces);
  // The arrangement behind a marketplace-run page is stated first, once, not inside each row.
  const arrangement = operator.kind === 'marketplace' ? operator.regulationIds : [];
  const rows = rowsOf(report.detections, operator, catalogues, new Set(arrangement));
  const rules = sectionOf([...arrangement, ...rows.flatMap((r) => r.regulationIds)], catalogues.lookup);
  return {
    ...base,
    state: 'found',
    platform,
    operator,
    verdict: verdictOf(rows, operator, rules),
    rows,
    rules,
    productQuery: rows.find((r) => r.productQuery)?.productQuery ?? null,
  };
}

/**
 * What the toolbar badge says: the number of distinct in-app transaction features the social
 * platform runs itself, in red; nothing for offers, link-outs and marketplace-run pages.
 */
export interface BadgeSummary {
  /** Distinct transaction features the social platform runs itself. */
  concerns: number;
  /** All distinct features found. */
  features: number;
  /** The marketplace that runs the page's transactions, if any. */
  marketplace: string | null;
}

export function badgeSummary(report: TabReport, catalogues: Catalogues): BadgeSummary {
  const model = buildPopupModel(report, catalogues);
  if (model.state !== 'found') return { concerns: 0, features: 0, marketplace: null };
  return {
    concerns: model.rows.filter((r) => r.severity !== 'info').length,
    features: model.rows.length,
    marketplace:
      model.operator.kind === 'marketplace' && model.verdict.features.transaction > 0
        ? model.operator.marketplace.name
        : null,
  };
}
