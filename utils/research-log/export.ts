/**
 * Exports of the research log (NDJSON, CSV, JSON) under the schema `lensa-niaga.detections`
 * version 1, and the import of a JSON export back into the log. The README's "Research log data
 * dictionary" documents every field and the three layouts.
 *
 * - NDJSON: line 1 is the header object (schema, version, exportedAt, versions, count); every
 *   further line is one record.
 * - CSV (RFC 4180, CRLF): line 1 is a `# schema=… version=…` comment, line 2 the column names.
 *   Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) get a
 *   leading apostrophe and quotes (OWASP "CSV injection"): evidence and URLs come from web pages.
 * - JSON: one object, the header fields plus `records`. The only format that imports back.
 */
import { validate } from '../../rules/schema';
import type { ResearchDb } from './db';
import {
  ExportedRecord,
  JsonExport,
  RECORD_FIELDS,
  SCHEMA_NAME,
  SCHEMA_VERSION,
  type ExportFormat,
  type ExportMeta,
  type RecordFilter,
  type ResearchRecord,
} from './types';

export const MIME_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
};

export function exportMeta(
  versions: { extensionVersion: string; rulePacks: string[] },
  count: number,
  now: number,
): ExportMeta {
  return {
    schema: SCHEMA_NAME,
    version: SCHEMA_VERSION,
    exportedAt: new Date(now).toISOString(),
    extensionVersion: versions.extensionVersion,
    rulePacks: [...versions.rulePacks],
    count,
  };
}

/** `lensa-niaga-detections-20261123-101500.csv` (UTC). */
export function exportFileName(format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `lensa-niaga-detections-${stamp}.${format}`;
}

export function toExported(r: ResearchRecord): ExportedRecord {
  const out = {} as Record<string, unknown>;
  for (const field of RECORD_FIELDS) out[field] = r[field];
  out.time = new Date(r.time).toISOString();
  out.lastSeen = new Date(r.lastSeen).toISOString();
  out.rulePacks = [...r.rulePacks];
  return out as ExportedRecord;
}

export function fromExported(r: ExportedRecord): ResearchRecord {
  return { ...r, time: Date.parse(r.time), lastSeen: Date.parse(r.lastSeen), rulePacks: [...r.rulePacks] };
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

/**
 * Cells a spreadsheet could run as a formula, after OWASP's CSV-injection guidance: a first
 * character of =, +, - or @ (also their full-width forms, which some spreadsheets fold to ASCII),
 * a tab or a carriage return; and the same characters after leading white space, which
 * spreadsheets may trim on import. Such a cell gets a leading `'`, so it is read as text.
 */
export const FORMULA_START = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/;

/** One CSV cell: quoted when needed (RFC 4180), defused when it could run as a formula. */
export function escapeCsvCell(value: string | number): string {
  let text = String(value);
  const formula = FORMULA_START.test(text);
  if (formula) text = `'${text}`;
  if (formula || /[",\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

function csvCell(r: ExportedRecord, field: (typeof RECORD_FIELDS)[number]): string {
  const value = r[field];
  // rulePacks is a list: space-separated in one cell ("name@version" never contains a space).
  return escapeCsvCell(Array.isArray(value) ? value.join(' ') : value);
}

const CRLF = '\r\n';

function csvPreamble(meta: ExportMeta): string {
  const fields = [
    `schema=${meta.schema}`,
    `version=${meta.version}`,
    `exportedAt=${meta.exportedAt}`,
    `extensionVersion=${meta.extensionVersion}`,
    `rulePacks=${meta.rulePacks.join(' ')}`,
    `count=${meta.count}`,
  ];
  return `${escapeCsvCell(`# ${fields.join('; ')}`)}${CRLF}${RECORD_FIELDS.join(',')}${CRLF}`;
}

// ---------------------------------------------------------------------------------------------
// Writers: begin, records (any number of chunks), end
// ---------------------------------------------------------------------------------------------

interface Writer {
  begin(meta: ExportMeta): string;
  chunk(records: readonly ResearchRecord[], first: boolean): string;
  end(): string;
}

const WRITERS: Record<ExportFormat, Writer> = {
  ndjson: {
    begin: (meta) => `${JSON.stringify(meta)}\n`,
    chunk: (records) => records.map((r) => `${JSON.stringify(toExported(r))}\n`).join(''),
    end: () => '',
  },
  csv: {
    begin: csvPreamble,
    chunk: (records) =>
      records
        .map((r) => {
          const e = toExported(r);
          return RECORD_FIELDS.map((f) => csvCell(e, f)).join(',') + CRLF;
        })
        .join(''),
    end: () => '',
  },
  json: {
    begin: (meta) => `${JSON.stringify(meta).slice(0, -1)},"records":[`,
    chunk: (records, first) => (first ? '\n' : ',\n') + records.map((r) => JSON.stringify(toExported(r))).join(',\n'),
    end: () => '\n]}\n',
  },
};

/** The whole export as one string (tests, small logs). */
export function serialize(format: ExportFormat, meta: ExportMeta, records: readonly ResearchRecord[]): string {
  const w = WRITERS[format];
  return w.begin(meta) + (records.length > 0 ? w.chunk(records, true) : '') + w.end();
}

/** Records per read while exporting: big enough to be quick, small enough to keep memory flat. */
const EXPORT_CHUNK = 2_000;

/** Export what `filter` selects straight from the database, as a Blob built chunk by chunk. */
export async function exportFromDb(
  db: ResearchDb,
  format: ExportFormat,
  filter: RecordFilter,
  versions: { extensionVersion: string; rulePacks: string[] },
  now: number,
): Promise<{ blob: Blob; count: number }> {
  const w = WRITERS[format];
  const parts: string[] = [];
  let first = true;
  const count = await db.scan(
    filter,
    EXPORT_CHUNK,
    (total) => parts.push(w.begin(exportMeta(versions, total, now))),
    (records) => {
      parts.push(w.chunk(records, first));
      first = false;
    },
  );
  parts.push(w.end());
  return { blob: new Blob(parts, { type: MIME_TYPES[format] }), count };
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

export type ImportResult = { ok: true; records: ResearchRecord[] } | { ok: false; errors: string[] };

/** Problems listed in an import error; the rest are counted. */
const MAX_ERRORS_SHOWN = 5;

/**
 * Read a JSON export. All or nothing: a file with any invalid record imports nothing, and the
 * errors name where the problem is (`$.records[12].platform: …`).
 */
export function parseImport(text: string, file = 'file'): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const hint =
      text.trimStart().startsWith('{"schema"') && text.includes('\n{')
        ? ' (an NDJSON export? only the JSON export can be imported)'
        : '';
    return { ok: false, errors: [`${file}: not JSON${hint}: ${(error as Error).message.slice(0, 200)}`] };
  }
  const head = data as { schema?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.schema !== SCHEMA_NAME) {
    return {
      ok: false,
      errors: [`${file}: not a "${SCHEMA_NAME}" export (its "schema" field is missing or different)`],
    };
  }
  if (head.version !== SCHEMA_VERSION) {
    return {
      ok: false,
      errors: [
        `${file}: schema version ${String(head.version)} is not supported (this extension reads version ${SCHEMA_VERSION})`,
      ],
    };
  }
  const result = validate(JsonExport, data, file);
  if (!result.ok) {
    const more = result.errors.length - MAX_ERRORS_SHOWN;
    return {
      ok: false,
      errors: [...result.errors.slice(0, MAX_ERRORS_SHOWN), ...(more > 0 ? [`… and ${more} more`] : [])],
    };
  }
  const seen = new Set<string>();
  for (const [i, r] of result.value.records.entries()) {
    if (seen.has(r.id))
      return { ok: false, errors: [`${file}: $.records[${i}].id: duplicate record id "${r.id.slice(0, 80)}"`] };
    seen.add(r.id);
  }
  return { ok: true, records: result.value.records.map(fromExported) };
}

export { ExportedRecord };
