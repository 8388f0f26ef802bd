/**
 * What the popup shows for one tab, computed from a `TabReport` alone: the page's state, the
 * detections grouped by category in a fixed order (transaction first: it is the one the law
 * forbids a social platform to offer), and each detection's regulations resolved against the
 * catalogue. Pure: the catalogue lookup is a parameter, so tests can pass their own.
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
  type PlatformId,
  type Regulation,
  type RegulationStatus,
  type TabReport,
} from '../rules/schema';
import { productQuery } from './product-query';

export type RegulationLookup = (id: string) => Regulation | undefined;

/** Statuses the popup must hedge ("reported, not confirmed") instead of stating as law. */
export const HEDGED_STATUSES: ReadonlySet<RegulationStatus> = new Set(['reported', 'unverified']);

/** Catalogue entries that explain a platform's situation as a whole, shown once per page. */
export const PLATFORM_CONTEXT: Partial<Record<PlatformId, readonly string[]>> = {
  tiktok: ['event-tiktok-tokopedia-2023'],
};

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
  /** The entries named in its `caveatIds` (each shown once per detection). */
  caveats: ResolvedCaveat[];
}

/** Which explanation text applies: one per category, plus the cross-border price floor. */
export type Explanation = Category | 'cross-border-offer';

/**
 * - `concern`: a transaction feature backed by a regulation in force.
 * - `possible-concern`: a transaction feature whose regulations are hedged, revoked or unknown.
 * - `info`: offers and link-outs, which the rules allow.
 */
export type Severity = 'concern' | 'possible-concern' | 'info';

export interface DetectionView {
  detection: Detection;
  category: Category;
  explanation: Explanation;
  severity: Severity;
  regulations: ResolvedRegulation[];
  /** The product name the detection carries (offer features only), for marketplace searches. */
  productQuery: string | null;
}

export interface CategoryGroup {
  category: Category;
  /** Transaction features are what the law forbids a social platform to facilitate. */
  concern: boolean;
  items: DetectionView[];
  /** Matching elements across the group's detections. */
  elementCount: number;
}

interface PageBase {
  tabId: number;
  url: string;
  /** Host name of the page, '' when the URL cannot be parsed. */
  host: string;
}

export type PopupModel =
  | (PageBase & { state: 'other-site' })
  | (PageBase & { state: 'clean'; platform: PlatformId })
  | (PageBase & {
      state: 'found';
      platform: PlatformId;
      /** Always all three categories, in CATEGORY_IDS order; empty ones have no items. */
      groups: CategoryGroup[];
      /** Platform-wide context entries (e.g. TikTok and Tokopedia). */
      context: ResolvedRegulation[];
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

function resolve(id: string, lookup: RegulationLookup): ResolvedRegulation {
  const regulation = lookup(id) ?? null;
  return {
    id,
    regulation,
    hedged: regulation ? HEDGED_STATUSES.has(regulation.status) : false,
    caveats: (regulation?.caveatIds ?? []).map((c) => ({ id: c, regulation: lookup(c) ?? null })),
  };
}

function explanationFor(detection: Detection): Explanation {
  return detection.feature === 'cross-border-offer' ? 'cross-border-offer' : categoryOf(detection.feature);
}

function severityFor(category: Category, regulations: ResolvedRegulation[]): Severity {
  if (category !== 'transaction') return 'info';
  return regulations.some((r) => r.regulation?.status === 'in-force') ? 'concern' : 'possible-concern';
}

const featureOrder = (d: Detection) => FEATURE_IDS.indexOf(d.feature);

function viewOf(detection: Detection, lookup: RegulationLookup, skip: ReadonlySet<string>): DetectionView {
  const category = categoryOf(detection.feature);
  const shownCaveats = new Set<string>();
  const regulations = [...new Set(detection.regulationIds)]
    .filter((id) => !skip.has(id))
    .map((id) => resolve(id, lookup))
    .map((r) => {
      // A caveat such as "31/2023 may have been replaced" is said once per detection, not once
      // per article of the same regulation.
      const caveats = r.caveats.filter((c) => !shownCaveats.has(c.id));
      for (const c of caveats) shownCaveats.add(c.id);
      return { ...r, caveats };
    });
  return {
    detection,
    category,
    explanation: explanationFor(detection),
    severity: severityFor(category, regulations),
    regulations,
    productQuery: productQuery(detection),
  };
}

export function buildPopupModel(report: TabReport, lookup: RegulationLookup): PopupModel {
  const base: PageBase = { tabId: report.tabId, url: report.url, host: hostOf(report.url) };
  if (report.platform === null) return { ...base, state: 'other-site' };
  const platform = report.platform;
  if (report.detections.length === 0) return { ...base, state: 'clean', platform };

  const contextIds = PLATFORM_CONTEXT[platform] ?? [];
  const skip = new Set(contextIds);
  const sorted = [...report.detections].sort(
    (a, b) => featureOrder(a) - featureOrder(b) || a.ruleId.localeCompare(b.ruleId),
  );
  const views = sorted.map((d) => viewOf(d, lookup, skip));
  const groups = CATEGORY_IDS.map((category): CategoryGroup => {
    const items = views.filter((v) => v.category === category);
    return {
      category,
      concern: category === 'transaction',
      items,
      elementCount: items.reduce((n, v) => n + v.detection.count, 0),
    };
  });
  return {
    ...base,
    state: 'found',
    platform,
    groups,
    context: contextIds.map((id) => resolve(id, lookup)),
    productQuery: views.find((v) => v.productQuery)?.productQuery ?? null,
  };
}
