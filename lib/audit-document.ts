/**
 * The seller audit report as a document: what the report page shows and what "Download
 * JSON" saves are the same object, built here from one `TabReport` and the catalogues, and checked
 * by the zod schema below (`lensa-niaga.audit`, version 1; README, "Seller audit JSON").
 *
 * Pure: the regulation lookup, the catalogues, the versions, the clock, the time zone and the UI
 * strings are parameters, so tests can pass their own and the same input always gives the same
 * document. Order, severity, explanation and who runs the page's transactions come from
 * lib/findings.ts, as in the popup and the badge, so they never disagree about a finding.
 *
 * Catalogue text (titles, summaries) is copied in both languages, as the catalogue holds it: a
 * lawyer reading the JSON gets the Indonesian next to the translation. Labels and advice are in the
 * report's `language`.
 */
import * as z from 'zod/mini';
import {
  CATEGORY_IDS,
  Category,
  categoryOf,
  FeatureKind,
  MAX_EVIDENCE_LENGTH,
  Marketplace,
  PlatformId,
  Regulation,
  RegulationStatus,
  type MarketplaceCatalogue,
  type TabReport,
} from '../rules/schema';
import { PLATFORM_NAMES } from './platform-names';
import {
  SEVERITIES,
  explanationOf,
  hostOf,
  isHedged,
  isWebPage,
  operatorOf,
  resolveAll,
  severityOf,
  sortDetections,
  type Explanation,
  type RegulationLookup,
  type Severity,
} from './findings';
import { cleanEvidence } from './redact';

/** The name and version of the JSON document. Raise the version when a field changes meaning. */
export const AUDIT_SCHEMA_NAME = 'lensa-niaga.audit';
export const AUDIT_SCHEMA_VERSION = 1;

/** Largest screenshot kept in a report, in CSS pixels (it is scaled down to fit). */
export const SCREENSHOT_MAX_WIDTH = 640;
export const SCREENSHOT_MAX_HEIGHT = 640;

/**
 * What a seller can do instead, per kind of finding. The ids are stable (they are in the JSON);
 * the text of each step lives in locales (`report.advice.<step>`, camel-cased).
 * - transaction: the platform takes the order or payment, which Permendag 31/2023 Pasal 21(3)
 *   forbids a social-commerce operator to facilitate.
 * - cross-border-offer: the price floor of Pasal 19(2) and the duties of Pasal 5 for foreign sellers.
 */
export const ADVICE_STEPS = {
  transaction: ['marketplace', 'link', 'promotion', 'platform'],
  'cross-border-offer': ['price-floor', 'foreign-merchant', 'marketplace', 'promotion'],
} as const;
export type AdviceKind = keyof typeof ADVICE_STEPS;
export type AdviceStep = (typeof ADVICE_STEPS)[AdviceKind][number];

export { SEVERITIES };
export const PAGE_STATES = ['other-site', 'clean', 'found'] as const;
export const LANGUAGES = ['id', 'en'] as const;
export type ReportLanguage = (typeof LANGUAGES)[number];

// ---------------------------------------------------------------------------------------------
// The schema of the document
// ---------------------------------------------------------------------------------------------

const IsoDateTime = z.iso.datetime();
const IsoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const Text = z.string().check(z.minLength(1));
const Count = z.int().check(z.gte(0));

export const AuditRegulationRef = z.strictObject({
  id: Text,
  /** False when the catalogue has no entry with this id (the id is kept, not dropped). */
  known: z.boolean(),
  title: z.nullable(z.string()),
  citation: z.nullable(z.string()),
  status: z.nullable(RegulationStatus),
  lastVerified: z.nullable(IsoDate),
  /** The status is `reported` or `unverified`: read it as a report, not as settled law. */
  hedged: z.boolean(),
  /** Entries in `regulations` that qualify this one (shown once per finding). */
  caveatIds: z.array(z.string()),
});
export type AuditRegulationRef = z.infer<typeof AuditRegulationRef>;

export const AuditAdvice = z.strictObject({
  kind: z.enum(Object.keys(ADVICE_STEPS) as [AdviceKind, ...AdviceKind[]]),
  steps: z.array(z.strictObject({ id: Text, text: Text })).check(z.minLength(1)),
});
export type AuditAdvice = z.infer<typeof AuditAdvice>;

export const AuditFinding = z.strictObject({
  ruleId: Text,
  /** Name of the rule pack the rule comes from; null when no loaded pack has it. */
  rulePack: z.nullable(z.string()),
  platform: PlatformId,
  feature: FeatureKind,
  featureLabel: Text,
  category: Category,
  categoryLabel: Text,
  severity: z.enum(SEVERITIES),
  severityLabel: Text,
  count: Count,
  evidence: z.string().check(z.maxLength(MAX_EVIDENCE_LENGTH)),
  explanation: Text,
  regulations: z.array(AuditRegulationRef),
  advice: z.nullable(AuditAdvice),
});
export type AuditFinding = z.infer<typeof AuditFinding>;

export const AuditScreenshot = z.strictObject({
  mediaType: z.literal('image/jpeg'),
  width: z.int().check(z.gte(1), z.lte(SCREENSHOT_MAX_WIDTH)),
  height: z.int().check(z.gte(1), z.lte(SCREENSHOT_MAX_HEIGHT)),
  capturedAt: IsoDateTime,
  dataUrl: z.string().check(z.regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/)),
});
export type AuditScreenshot = z.infer<typeof AuditScreenshot>;

export const AuditReport = z.strictObject({
  schema: z.literal(AUDIT_SCHEMA_NAME),
  version: z.literal(AUDIT_SCHEMA_VERSION),
  generatedAt: IsoDateTime,
  timeZone: Text,
  language: z.enum(LANGUAGES),
  extension: z.strictObject({ name: Text, version: Text }),
  rulePacks: z.array(z.strictObject({ name: Text, version: Text, source: z.enum(['bundled', 'user']) })),
  catalogues: z.strictObject({ regulations: z.nullable(z.string()), marketplaces: z.nullable(z.string()) }),
  page: z.strictObject({
    url: z.string(),
    host: z.string(),
    platform: z.nullable(PlatformId),
    platformName: z.nullable(z.string()),
    state: z.enum(PAGE_STATES),
    observedAt: z.nullable(IsoDateTime),
  }),
  summary: z.strictObject({
    findings: Count,
    elements: Count,
    needsAction: Count,
    categories: z.array(z.strictObject({ category: Category, label: Text, findings: Count, elements: Count })),
  }),
  findings: z.array(AuditFinding),
  context: z.array(AuditRegulationRef),
  regulations: z.array(Regulation),
  marketplaces: z.nullable(z.strictObject({ registryUrl: Text, items: z.array(Marketplace) })),
  screenshot: z.nullable(AuditScreenshot),
  notice: Text,
});
export type AuditReport = z.infer<typeof AuditReport>;

// ---------------------------------------------------------------------------------------------
// Building it
// ---------------------------------------------------------------------------------------------

/** The UI strings the document carries, in the report's language. */
export interface AuditText {
  feature(feature: FeatureKind): string;
  category(category: Category): string;
  severity(severity: Severity): string;
  explanation(explanation: Explanation): string;
  advice(step: AdviceStep): string;
  notice(): string;
}

export interface PackInfo {
  name: string;
  version: string;
  source: 'bundled' | 'user';
  rules: readonly { id: string }[];
}

export interface AuditInput {
  report: TabReport;
  lookup: RegulationLookup;
  /** null when the catalogue could not be loaded: the report then lists no marketplaces. */
  marketplaces: MarketplaceCatalogue | null;
  regulationsVersion: string | null;
  extension: { name: string; version: string };
  rulePacks: readonly PackInfo[];
  /** When the report is made, in ms since the epoch. */
  now: number;
  /** IANA time zone the page shows times in ("Asia/Jakarta"). */
  timeZone: string;
  language: ReportLanguage;
  text: AuditText;
  screenshot?: AuditScreenshot | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Which advice a finding gets: transactions the social platform runs itself, and offers of goods
 * from abroad. A transaction a registered marketplace runs needs none: that is what the advice is.
 */
export function adviceKindOf(feature: FeatureKind, severity: Severity): AdviceKind | null {
  if (feature === 'cross-border-offer') return 'cross-border-offer';
  return severity !== 'info' ? 'transaction' : null;
}

function refOf(
  id: string,
  regulation: Regulation | null,
  caveatIds: readonly string[],
  language: ReportLanguage,
): AuditRegulationRef {
  return {
    id,
    known: regulation !== null,
    title: regulation ? regulation.title[language] : null,
    citation: regulation?.citation ?? null,
    status: regulation?.status ?? null,
    lastVerified: regulation?.lastVerified ?? null,
    hedged: regulation ? isHedged(regulation.status) : false,
    caveatIds: [...caveatIds],
  };
}

function pageState(report: TabReport): (typeof PAGE_STATES)[number] {
  if (report.platform === null) return 'other-site';
  return report.detections.length === 0 ? 'clean' : 'found';
}

export function buildAuditReport(input: AuditInput): AuditReport {
  const { report, lookup, text, language } = input;
  const host = hostOf(report.url);
  const state = pageState(report);
  const markets = input.marketplaces;
  const operator =
    report.platform && isWebPage(report.url)
      ? operatorOf(host, report.platform, markets?.marketplaces ?? [])
      : ({ kind: 'platform' } as const);
  // The arrangement behind a marketplace-run page is background, stated once, not per finding.
  const contextIds = state === 'found' && operator.kind === 'marketplace' ? operator.regulationIds : [];
  const skip = new Set(contextIds);
  const packOf = new Map<string, string>();
  for (const pack of input.rulePacks)
    for (const rule of pack.rules) if (!packOf.has(rule.id)) packOf.set(rule.id, pack.name);

  // Every catalogue entry the document mentions, in order of first mention, each once.
  const cited = new Map<string, Regulation>();
  const cite = (id: string) => {
    const regulation = lookup(id);
    if (!regulation || cited.has(id)) return;
    cited.set(id, regulation);
    for (const caveat of regulation.caveatIds) cite(caveat);
  };

  const detections = state === 'found' ? sortDetections(report.detections) : [];
  const findings = detections.map((d): AuditFinding => {
    const regulations = resolveAll(d.regulationIds, lookup, skip);
    const severity = severityOf(
      d.feature,
      regulations.map((r) => r.regulation),
      operator,
    );
    const kind = adviceKindOf(d.feature, severity);
    const category = categoryOf(d.feature);
    for (const r of regulations) cite(r.id);
    return {
      ruleId: d.ruleId,
      rulePack: packOf.get(d.ruleId) ?? null,
      platform: d.platform,
      feature: d.feature,
      featureLabel: text.feature(d.feature),
      category,
      categoryLabel: text.category(category),
      severity,
      severityLabel: text.severity(severity),
      count: d.count,
      // The same gate as detections:get: a report is filed and shared, so no personal data.
      evidence: cleanEvidence(d.evidence, d.feature),
      explanation: text.explanation(explanationOf(d.feature, operator)),
      regulations: regulations.map((r) =>
        refOf(
          r.id,
          r.regulation,
          r.caveats.map((c) => c.id),
          language,
        ),
      ),
      advice: kind ? { kind, steps: ADVICE_STEPS[kind].map((step) => ({ id: step, text: text.advice(step) })) } : null,
    };
  });

  const context = resolveAll(contextIds, lookup).map((c) => {
    cite(c.id);
    return refOf(
      c.id,
      c.regulation,
      c.caveats.map((x) => x.id),
      language,
    );
  });

  const categories = CATEGORY_IDS.map((category) => {
    const items = findings.filter((f) => f.category === category);
    return {
      category,
      label: text.category(category),
      findings: items.length,
      elements: items.reduce((n, f) => n + f.count, 0),
    };
  });

  return {
    schema: AUDIT_SCHEMA_NAME,
    version: AUDIT_SCHEMA_VERSION,
    generatedAt: iso(input.now),
    timeZone: input.timeZone,
    language,
    extension: { ...input.extension },
    rulePacks: input.rulePacks.map(({ name, version, source }) => ({ name, version, source })),
    catalogues: { regulations: input.regulationsVersion, marketplaces: markets?.version ?? null },
    page: {
      url: report.url,
      host,
      platform: report.platform,
      platformName: report.platform ? PLATFORM_NAMES[report.platform] : null,
      state,
      // The background stamps `updatedAt` when a content script last reported; 0 means never.
      observedAt: report.updatedAt > 0 ? iso(report.updatedAt) : null,
    },
    summary: {
      findings: findings.length,
      elements: findings.reduce((n, f) => n + f.count, 0),
      needsAction: findings.filter((f) => f.advice).length,
      categories,
    },
    findings,
    context,
    regulations: [...cited.values()],
    marketplaces: markets
      ? {
          registryUrl: markets.pseRegistryUrl,
          items: markets.marketplaces.map((m) => ({ ...m })),
        }
      : null,
    screenshot: input.screenshot ?? null,
    notice: text.notice(),
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers for the page and the download
// ---------------------------------------------------------------------------------------------

/** "lensa-niaga-audit-tiktok-www.tiktok.com-20261123-1015.json": safe on every file system. */
export function auditFileName(doc: Pick<AuditReport, 'generatedAt' | 'page'>): string {
  const stamp = doc.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const parts = ['lensa-niaga-audit', doc.page.platform ?? 'page', doc.page.host]
    .filter(Boolean)
    .map((p) =>
      p
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '-')
        .replace(/^[-.]+|[-.]+$/g, ''),
    )
    .filter(Boolean);
  return `${parts.join('-')}-${stamp}.json`;
}

/** The document as the downloaded file holds it (validated first: a bad document is a bug). */
export function auditJson(doc: AuditReport): string {
  return `${JSON.stringify(AuditReport.parse(doc), null, 2)}\n`;
}

/** Size to scale a screenshot to, keeping its proportions and never enlarging it. */
export function fitWithin(
  width: number,
  height: number,
  maxWidth = SCREENSHOT_MAX_WIDTH,
  maxHeight = SCREENSHOT_MAX_HEIGHT,
): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: 1, height: 1 };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
