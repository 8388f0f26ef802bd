/**
 * Reading a JSON export of any size for import, without freezing the page: the file is read as a
 * stream of text chunks, a small scanner cuts the `records` array into its records (nothing else
 * of the file is held), records are validated in batches, and the reader hands the event loop
 * back every few milliseconds, reports its progress and stops when cancelled.
 *
 * All or nothing, as `parseImport`: a file with any invalid record imports nothing. Only the
 * records that the log's retention would keep are held for writing (the newest `maxRecords`, none
 * older than `maxAgeDays`): a million-record file against a 100,000-record log holds 100,000.
 */
import * as z from 'zod/mini';
import { validate } from '../../rules/schema';
import { ExportedRecord, fromExported } from './export';
import { SCHEMA_NAME, SCHEMA_VERSION, type ResearchRecord } from './types';

/** Longest stretch the reader runs before it yields to the event loop. */
const SLICE_MS = 8;
/** Records validated at a time (between two checks of the clock). */
const BATCH = 500;
/** Problems listed in an import error; the rest are counted. */
const MAX_ERRORS_SHOWN = 5;
/** Longest record text accepted: a record is a few hundred characters. */
const MAX_RECORD_CHARS = 64_000;
/** Longest header (everything but the records) accepted. */
const MAX_HEADER_CHARS = 64_000;

export interface ReadProgress {
  /** Records read and checked so far. */
  records: number;
  /** Characters of the file read so far. */
  chars: number;
}

export interface ReadOptions {
  file?: string;
  signal?: AbortSignal;
  onProgress?(progress: ReadProgress): void;
  /** The log's retention: only records it would keep are held. */
  retention: { maxRecords: number; maxAgeDays: number };
  now: number;
  /** Clock for slicing (performance.now()); and how to yield (a macrotask by default). */
  clock?(): number;
  pause?(): Promise<void>;
}

export type ReadResult =
  | { ok: true; records: ResearchRecord[]; total: number; dropped: number }
  | { ok: false; cancelled: boolean; errors: string[] };

const Header = z.strictObject({
  schema: z.literal(SCHEMA_NAME),
  version: z.literal(SCHEMA_VERSION),
  exportedAt: z.string(),
  extensionVersion: z.string(),
  rulePacks: z.array(z.string()),
  count: z.int().check(z.gte(0)),
  records: z.array(z.unknown()),
});

class Cancelled extends Error {}

/**
 * Cuts a JSON text, fed in chunks, into the texts of the elements of its top-level `records`
 * array, and the rest (the header, with `records` left as `[]`). It tracks only strings, escapes
 * and nesting depth; JSON.parse checks the pieces.
 */
class RecordScanner {
  header = '';
  /** Set when the text cannot be an export (a record that is not an object, one too long…). */
  fatal = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The text of the string being read at depth 1, and of the last one closed there. */
  private keyText = '';
  private lastKey = '';
  /** 'outside' → 'await-array' (after `"records":`) → 'inside' (in the array) → 'outside'. */
  private mode: 'outside' | 'await-array' | 'inside' = 'outside';
  private inRecord = false;
  private record: string[] = [];
  private recordChars = 0;
  private count = 0;

  /** Feed a chunk; complete record texts are pushed onto `out`. */
  push(chunk: string, out: string[]): void {
    let headerFrom = this.mode === 'inside' ? -1 : 0;
    let recordFrom = this.inRecord ? 0 : -1;
    for (let i = 0; i < chunk.length && !this.fatal; i++) {
      const c = chunk.charCodeAt(i);
      const top = this.depth === 1 && this.mode === 'outside';
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (top) this.lastKey = this.keyText;
        } else if (top && this.keyText.length < 16) this.keyText += chunk[i];
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (this.mode === 'await-array') {
        if (c !== 0x5b) this.fatal = '$.records: not an array';
        this.mode = 'inside';
        this.depth++;
        this.header += chunk.slice(headerFrom, i + 1);
        headerFrom = -1;
        continue;
      }
      if (this.mode === 'inside' && this.depth === 2 && c !== 0x7b && c !== 0x5d && c !== 0x2c) {
        this.fatal = `$.records[${this.count}]: not an object`;
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
        this.keyText = '';
      } else if (c === 0x7b || c === 0x5b) {
        this.depth++;
        if (this.mode === 'inside' && this.depth === 3) {
          this.inRecord = true;
          recordFrom = i;
        }
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.mode !== 'inside') continue;
        if (this.depth === 2 && this.inRecord) {
          this.keep(chunk.slice(recordFrom, i + 1));
          out.push(this.record.join(''));
          this.record = [];
          this.recordChars = 0;
          this.inRecord = false;
          this.count++;
        } else if (this.depth === 1) {
          this.mode = 'outside';
          this.lastKey = '';
          headerFrom = i; // the closing bracket belongs to the header again
        }
      } else if (c === 0x3a && top && this.lastKey === 'records') {
        this.mode = 'await-array';
      }
    }
    if (this.inRecord) this.keep(chunk.slice(recordFrom));
    if (headerFrom >= 0) this.header += chunk.slice(headerFrom);
    if (this.header.length > MAX_HEADER_CHARS) this.fatal = 'the header is too long';
  }

  private keep(part: string): void {
    this.recordChars += part.length;
    if (this.recordChars > MAX_RECORD_CHARS) this.fatal = `$.records[${this.count}]: too long`;
    else this.record.push(part);
  }

  get complete(): boolean {
    return this.depth === 0 && !this.inString && this.mode === 'outside';
  }
}

/**
 * Read a JSON export from text chunks (a file's stream). Resolves with the records to write, or
 * the problems (with their place: `$.records[12].platform: …`), or `cancelled`.
 */
export async function readJsonExport(chunks: AsyncIterable<string>, options: ReadOptions): Promise<ReadResult> {
  const file = options.file ?? 'file';
  const clock = options.clock ?? (() => performance.now());
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const cutoff = options.now - options.retention.maxAgeDays * 86_400_000;
  const maxRecords = options.retention.maxRecords;
  const scanner = new RecordScanner();
  const errors: string[] = [];
  let errorCount = 0;
  const ids = new Set<string>();
  let kept: ResearchRecord[] = [];
  let index = 0;
  let chars = 0;
  let sliceStart = clock();

  const check = async () => {
    if (options.signal?.aborted) throw new Cancelled();
    if (clock() - sliceStart < SLICE_MS) return;
    options.onProgress?.({ records: index, chars });
    await pause();
    if (options.signal?.aborted) throw new Cancelled();
    sliceStart = clock();
  };
  const problem = (line: string) => {
    errorCount++;
    if (errors.length < MAX_ERRORS_SHOWN) errors.push(line);
  };
  const trim = () => {
    if (kept.length <= maxRecords) return;
    kept = newest(kept, maxRecords);
  };

  const take = (texts: string[]) => {
    for (const text of texts) {
      const at = index++;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        problem(`${file}: $.records[${at}]: not JSON: ${(error as Error).message.slice(0, 120)}`);
        continue;
      }
      const result = validate(ExportedRecord, value, file);
      if (!result.ok) {
        for (const line of result.errors) problem(line.replace(`${file}: $`, `${file}: $.records[${at}]`));
        continue;
      }
      const r = result.value;
      if (ids.has(r.id)) {
        problem(`${file}: $.records[${at}].id: duplicate record id "${r.id.slice(0, 80)}"`);
        continue;
      }
      ids.add(r.id);
      if (errorCount > 0) continue; // nothing will be written: hold nothing more
      const record = fromExported(r);
      if (record.time < cutoff) continue;
      kept.push(record);
      if (kept.length >= 2 * maxRecords) trim();
    }
  };

  try {
    for await (const chunk of chunks) {
      chars += chunk.length;
      const texts: string[] = [];
      scanner.push(chunk, texts);
      if (scanner.fatal) return { ok: false, cancelled: false, errors: [`${file}: ${scanner.fatal}`] };
      for (let i = 0; i < texts.length; i += BATCH) {
        take(texts.slice(i, i + BATCH));
        await check();
      }
      await check();
    }
  } catch (error) {
    if (error instanceof Cancelled) return { ok: false, cancelled: true, errors: [] };
    return { ok: false, cancelled: false, errors: [`${file}: could not be read: ${String(error).slice(0, 200)}`] };
  }
  options.onProgress?.({ records: index, chars });

  if (!scanner.complete) return { ok: false, cancelled: false, errors: [`${file}: not JSON: the file ends too early`] };
  let head: unknown;
  try {
    head = JSON.parse(scanner.header);
  } catch (error) {
    return { ok: false, cancelled: false, errors: [`${file}: not JSON: ${(error as Error).message.slice(0, 200)}`] };
  }
  const h = head as { schema?: unknown; version?: unknown } | null;
  if (typeof h !== 'object' || h === null || h.schema !== SCHEMA_NAME) {
    return {
      ok: false,
      cancelled: false,
      errors: [`${file}: not a "${SCHEMA_NAME}" export (its "schema" field is missing or different)`],
    };
  }
  if (h.version !== SCHEMA_VERSION) {
    const v = String(h.version);
    return {
      ok: false,
      cancelled: false,
      errors: [`${file}: schema version ${v} is not supported (this extension reads version ${SCHEMA_VERSION})`],
    };
  }
  const header = validate(Header, head, file);
  if (!header.ok) problem(header.errors[0]);
  else if (header.value.count !== index) problem(`${file}: $.count: count does not match the number of records`);
  if (errorCount > 0) {
    const more = errorCount - errors.length;
    return { ok: false, cancelled: false, errors: more > 0 ? [...errors, `… and ${more} more`] : errors };
  }
  trim();
  return { ok: true, records: kept, total: index, dropped: index - kept.length };
}

/**
 * The `n` newest records, in no particular order: those the log's retention keeps, which deletes
 * the oldest by [time, id] first. Only the times are sorted (a typed array, a few milliseconds
 * for 200,000), never the records.
 */
function newest(records: ResearchRecord[], n: number): ResearchRecord[] {
  const times = Float64Array.from(records, (r) => r.time).sort();
  const threshold = times[times.length - n];
  const out = records.filter((r) => r.time > threshold);
  const ties = records.filter((r) => r.time === threshold).sort((a, b) => (a.id < b.id ? 1 : -1));
  return out.concat(ties.slice(0, n - out.length));
}

/** A file's text as chunks, decoded as UTF-8 while it is read. */
export async function* textChunks(file: Blob): AsyncGenerator<string> {
  const reader = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
