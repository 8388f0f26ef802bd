/**
 * What a scan writes: the research log's `lensa-niaga.detections` records (utils/research-log),
 * version 2, which adds where each capture came from and which engine read it. The README's
 * "Scanning archives" section documents every field.
 */
import * as z from 'zod/mini';
import { escapeCsvCell } from '../../utils/research-log/export';
import {
  ExportedRecord,
  RECORD_FIELDS,
  storedUrl,
  type SCHEMA_NAME,
  type UrlMode,
} from '../../utils/research-log/types';
import type { Detection } from '../../rules/schema';
import { cleanEvidence } from '../../lib/redact';
import type { Capture } from './captures';

/** Version 1 is the research log's; version 2 adds the scan fields below. */
export const SCAN_SCHEMA_VERSION = 2;

export const ENGINES = ['browser', 'dom'] as const;
export type EngineName = (typeof ENGINES)[number];

export const SCAN_FIELDS = [
  'engine',
  'archive',
  'archiveMember',
  'recordOffset',
  'warcRecordId',
  'payloadDigest',
] as const;
export const SCAN_RECORD_FIELDS = [...RECORD_FIELDS, ...SCAN_FIELDS] as const;
export type ScanField = (typeof SCAN_RECORD_FIELDS)[number];

export const ScanRecord = z.strictObject({
  ...ExportedRecord.shape,
  // No consent text is involved in scanning an archive.
  consentVersion: z.null(),
  engine: z.enum(ENGINES),
  archive: z.string(),
  archiveMember: z.nullable(z.string()),
  recordOffset: z.nullable(z.int().check(z.gte(0))),
  warcRecordId: z.nullable(z.string()),
  payloadDigest: z.nullable(z.string()),
});
export type ScanRecord = z.infer<typeof ScanRecord>;

export interface RunHeader {
  schema: typeof SCHEMA_NAME;
  version: typeof SCAN_SCHEMA_VERSION;
  kind: 'scan';
  startedAt: string;
  extensionVersion: string;
  rulePacks: string[];
  engine: EngineName;
  dom: string | null;
  urlMode: UrlMode;
  inputs: string[];
  shard: string | null;
}

export interface RecordContext {
  engine: EngineName;
  extensionVersion: string;
  rulePacks: string[];
  urlMode: UrlMode;
}

export function recordsOf(capture: Capture, detections: readonly Detection[], ctx: RecordContext): ScanRecord[] {
  return detections.map((d) => ({
    id: `${capture.id}:${d.ruleId}`,
    visitId: capture.id,
    time: capture.capturedAt,
    lastSeen: capture.capturedAt,
    platform: d.platform,
    url: storedUrl(capture.url, ctx.urlMode),
    ruleId: d.ruleId,
    feature: d.feature,
    category: d.category,
    count: d.count,
    // The gate the background applies before it stores anything (the engine redacted already).
    evidence: cleanEvidence(d.evidence, d.feature),
    extensionVersion: ctx.extensionVersion,
    rulePacks: [...ctx.rulePacks],
    consentVersion: null,
    engine: ctx.engine,
    archive: capture.archive,
    archiveMember: capture.member,
    recordOffset: capture.offset,
    warcRecordId: capture.recordId,
    payloadDigest: capture.digest,
  }));
}

export const FORMATS = ['ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

const CRLF = '\r\n';

/** The first line(s) of an output: the header object (NDJSON), or a `#` comment and the column names (CSV). */
export function headerText(format: Format, header: RunHeader): string {
  if (format === 'ndjson') return `${JSON.stringify(header)}\n`;
  const fields = [
    `schema=${header.schema}`,
    `version=${header.version}`,
    `kind=scan`,
    `startedAt=${header.startedAt}`,
    `extensionVersion=${header.extensionVersion}`,
    `rulePacks=${header.rulePacks.join(' ')}`,
    `engine=${header.engine}`,
    `inputs=${header.inputs.length}`,
    `shard=${header.shard ?? 'all'}`,
  ];
  return `${escapeCsvCell(`# ${fields.join('; ')}`)}${CRLF}${SCAN_RECORD_FIELDS.join(',')}${CRLF}`;
}

/** One record as a line; CSV cells escaped exactly as the research log's export escapes them. */
export function recordText(format: Format, record: ScanRecord): string {
  if (format === 'ndjson') return `${JSON.stringify(record)}\n`;
  return (
    SCAN_RECORD_FIELDS.map((field) => {
      const value = record[field];
      if (value === null) return '';
      return escapeCsvCell(Array.isArray(value) ? value.join(' ') : value);
    }).join(',') + CRLF
  );
}
