/**
 * Research log: the shape of a record, of the settings and of the exports.
 *
 * One record per detection per route visit. A visit starts when the content script resets the
 * tab (load, reload, SPA route change); while it lasts, the record of each rule is updated
 * (count, lastSeen) instead of being written again for every diff.
 *
 * The field list below is also the consent text's list of what is kept, and the data dictionary
 * of the README: a field added here must be added to both (tests/unit/research-consent.test.ts
 * fails otherwise) and needs a new consent version.
 */
import * as z from 'zod/mini';
import { Category, FeatureKind, MAX_EVIDENCE_LENGTH, PlatformId } from '../../rules/schema';

/** The name and version of the export schema. Raise the version when a field changes meaning. */
export const SCHEMA_NAME = 'lensa-niaga.detections';
export const SCHEMA_VERSION = 1;

const MAX_URL_LENGTH = 4096;
const Id = z.string().check(z.minLength(1), z.maxLength(200));
const Versions = {
  extensionVersion: z.string().check(z.maxLength(50)),
  /** Rule packs in use, each "name@version". */
  rulePacks: z.array(z.string().check(z.maxLength(150))).check(z.maxLength(100)),
  consentVersion: z.int().check(z.gte(1)),
};

/** A record as IndexedDB keeps it: times are ms since the epoch. */
export const ResearchRecord = z.strictObject({
  id: Id,
  visitId: Id,
  time: z.number(),
  lastSeen: z.number(),
  platform: PlatformId,
  url: z.string().check(z.maxLength(MAX_URL_LENGTH)),
  ruleId: z.string().check(z.minLength(1), z.maxLength(200)),
  feature: FeatureKind,
  category: Category,
  count: z.int().check(z.gte(1)),
  evidence: z.string().check(z.maxLength(MAX_EVIDENCE_LENGTH)),
  ...Versions,
});
export type ResearchRecord = z.infer<typeof ResearchRecord>;

/** The fields in export order (CSV columns, JSON keys). */
export const RECORD_FIELDS = [
  'id',
  'visitId',
  'time',
  'lastSeen',
  'platform',
  'url',
  'ruleId',
  'feature',
  'category',
  'count',
  'evidence',
  'extensionVersion',
  'rulePacks',
  'consentVersion',
] as const satisfies readonly (keyof ResearchRecord)[];
export type RecordField = (typeof RECORD_FIELDS)[number];

const IsoTime = z.iso.datetime({ offset: false, precision: 3 });

/** A record as exports carry it: times are ISO 8601 strings in UTC ("2026-11-23T10:15:00.000Z"). */
export const ExportedRecord = z.strictObject({
  ...ResearchRecord.shape,
  time: IsoTime,
  lastSeen: IsoTime,
});
export type ExportedRecord = z.infer<typeof ExportedRecord>;

/** What every export names, in its envelope (JSON), first line (NDJSON) or first row (CSV). */
export interface ExportMeta {
  schema: typeof SCHEMA_NAME;
  version: typeof SCHEMA_VERSION;
  exportedAt: string;
  extensionVersion: string;
  rulePacks: string[];
  count: number;
}

/** The JSON export, and the only format that can be imported back. */
export const JsonExport = z
  .strictObject({
    schema: z.literal(SCHEMA_NAME),
    version: z.literal(SCHEMA_VERSION),
    exportedAt: IsoTime,
    extensionVersion: z.string(),
    rulePacks: z.array(z.string()),
    count: z.int().check(z.gte(0)),
    records: z.array(ExportedRecord),
  })
  .check(
    z.refine((e) => e.count === e.records.length, {
      message: 'count does not match the number of records',
      path: ['count'],
    }),
  );
export type JsonExport = z.infer<typeof JsonExport>;

export const EXPORT_FORMATS = ['ndjson', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ---------------------------------------------------------------------------------------------
// Settings and status (storage.local; see consent.ts and service.ts)
// ---------------------------------------------------------------------------------------------

export const URL_MODES = ['full', 'path'] as const;
export type UrlMode = (typeof URL_MODES)[number];

/** Retention limits: the caps a user may set, and the defaults. */
export const RETENTION = {
  defaultMaxRecords: 100_000,
  minRecords: 100,
  maxRecords: 1_000_000,
  defaultMaxAgeDays: 365,
  minAgeDays: 1,
  maxAgeDays: 3650,
} as const;

export const ResearchSettings = z.object({
  /** The consent the user gave (version and time), or null: nothing is recorded then. */
  consent: z.nullable(z.strictObject({ version: z.int().check(z.gte(1)), at: z.number() })),
  /** "path" keeps only scheme, host and path of page URLs (no query string, no fragment). */
  urlMode: z.enum(URL_MODES),
  maxRecords: z.int().check(z.gte(RETENTION.minRecords), z.lte(RETENTION.maxRecords)),
  maxAgeDays: z.int().check(z.gte(RETENTION.minAgeDays), z.lte(RETENTION.maxAgeDays)),
});
export type ResearchSettings = z.infer<typeof ResearchSettings>;

/**
 * Keep only scheme, host and path (`urlMode: "path"`): query strings and fragments often carry
 * session, tracking or search terms that a study of features does not need.
 */
export function storedUrl(url: string, mode: UrlMode): string {
  if (mode === 'full') return url;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}

export const DEFAULT_RESEARCH_SETTINGS: ResearchSettings = {
  consent: null,
  // Query strings carry tracking and session parameters more often than research value.
  urlMode: 'path',
  maxRecords: RETENTION.defaultMaxRecords,
  maxAgeDays: RETENTION.defaultMaxAgeDays,
};

/** What the background tells the page about writing: shown until the user dismisses it. */
export interface ResearchStatus {
  problem: null | {
    kind: 'storage-full' | 'write-failed';
    at: number;
    /** Oldest records deleted to make room for newer ones. */
    evicted: number;
    /** Records still waiting in memory to be written (0 when the newest were saved). */
    waiting: number;
    /** Records dropped because too many were waiting (0 unless storage stayed full). */
    dropped: number;
    detail: string;
  };
}

export const EMPTY_STATUS: ResearchStatus = { problem: null };

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** A filter of the table, the chart and the exports. `from`/`to` are ms, both inclusive. */
export interface RecordFilter {
  platform?: PlatformId;
  category?: Category;
  feature?: FeatureKind;
  from?: number;
  to?: number;
}

/** Where a page of the table ends: the index key of its last row (opaque to callers). */
export type PageToken = IDBValidKey[];

export interface RecordPage {
  records: ResearchRecord[];
  /** Token for the next (older) page, or null on the last page. */
  next: PageToken | null;
}

/** BroadcastChannel on which the background says "records were written" to open research pages. */
export const RESEARCH_CHANNEL = 'lensa-niaga-research';
