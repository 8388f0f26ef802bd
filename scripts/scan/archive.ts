/**
 * Reading web archives as streams: WARC (plain or gzip), WACZ (a zip of `archive/*.warc.gz` with
 * `pages/pages.jsonl`) and one record at a known offset (for subresources and revisits). Records
 * come from warcio's parser one at a time, so memory does not grow with the archive; a body is
 * read only when the caller asks for it.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { LimitReader, WARCParser, type WARCRecord } from 'warcio';
import yauzl from 'yauzl';

/** Where a record lives: the archive file, the WARC inside a WACZ (or null), the byte offset. */
export interface RecordPlace {
  archive: string;
  member: string | null;
  offset: number;
}

/** An archive could not be read past `offset` (truncated, corrupt gzip member, not a WARC). */
export class ArchiveError extends Error {
  constructor(
    readonly place: RecordPlace,
    readonly reason: string,
  ) {
    super(`${place.archive}${place.member ? `!${place.member}` : ''} at offset ${place.offset}: ${reason}`);
  }
}

export interface ArchivedRecord {
  record: WARCRecord;
  place: RecordPlace;
}

/** The WARC streams of one input: a WARC file is one, a WACZ has one per `archive/*.warc*`. */
export interface WarcSource {
  member: string | null;
  /** Its length in bytes (as stored: compressed for .warc.gz). */
  size: number;
  open(start?: number): Promise<Readable>;
}

export function isWacz(path: string): boolean {
  return /\.wacz$/i.test(path);
}

export function isWarc(path: string): boolean {
  return /\.warc(\.gz)?$/i.test(path);
}

// ---------------------------------------------------------------------------------------------
// WACZ (zip)
// ---------------------------------------------------------------------------------------------

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry, start = 0): Promise<Readable> {
  // A stored entry (WACZ keeps its WARCs uncompressed in the zip) can be opened at any offset.
  const range = start > 0 && entry.compressionMethod === 0 ? { start, end: entry.uncompressedSize } : {};
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, range, (error, stream) => {
      if (error) return reject(error);
      if (start > 0 && entry.compressionMethod !== 0) return resolve(skipBytes(stream, start));
      resolve(stream);
    }),
  );
}

/** A deflated entry cannot seek: read and drop the first `count` bytes. */
function skipBytes(stream: Readable, count: number): Readable {
  let left = count;
  return Readable.from(
    (async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        if (left >= chunk.length) {
          left -= chunk.length;
          continue;
        }
        yield left > 0 ? chunk.subarray(left) : chunk;
        left = 0;
      }
    })(stream),
  );
}

async function readEntryText(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<string> {
  const stream = await entryStream(zip, entry);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parts.push(chunk);
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      break;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A page the WACZ lists in `pages/pages.jsonl`. */
export interface ListedPage {
  url: string;
  ts: string | null;
}

export interface OpenedArchive {
  sources: WarcSource[];
  /** The pages a WACZ lists, or null for a WARC (every HTML response counts as a page then). */
  pages: ListedPage[] | null;
  close(): void;
}

/** Longest pages.jsonl read (a list of URLs; a big crawl's is a few MB). */
const MAX_PAGES_LIST_BYTES = 64 * 1024 * 1024;

export async function openArchive(path: string): Promise<OpenedArchive> {
  if (!isWacz(path)) {
    return {
      sources: [
        { member: null, size: statSync(path).size, open: async (start = 0) => createReadStream(path, { start }) },
      ],
      pages: null,
      close() {},
    };
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    throw new ArchiveError({ archive: path, member: null, offset: 0 }, `not a readable zip: ${message(error)}`);
  }
  const entries = await listEntries(zip);
  const warcs = entries
    .filter((e) => /^archive\/[^/]+\.warc(\.gz)?$/i.test(e.fileName))
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
  const list = entries.find((e) => e.fileName === 'pages/pages.jsonl');
  let pages: ListedPage[] | null = null;
  if (list) {
    pages = [];
    for (const line of (await readEntryText(zip, list, MAX_PAGES_LIST_BYTES)).split('\n')) {
      try {
        const item = JSON.parse(line) as { url?: unknown; ts?: unknown };
        if (typeof item.url === 'string')
          pages.push({ url: item.url, ts: typeof item.ts === 'string' ? item.ts : null });
      } catch {
        /* the header line ({"format": …}) and blank lines */
      }
    }
  }
  return {
    sources: warcs.map((entry) => ({
      member: entry.fileName,
      size: entry.uncompressedSize,
      open: (start = 0) => entryStream(zip, entry, start),
    })),
    pages,
    close: () => zip.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every record of one WARC stream, in order. The caller may read a record's body before asking
 * for the next one; what it leaves unread is skipped. A stream that breaks off throws an
 * ArchiveError naming the offset of the record that could not be read; the records yielded
 * before it stand.
 */
export async function* iterRecords(archive: string, source: WarcSource): AsyncGenerator<ArchivedRecord> {
  const stream = await source.open();
  let consumed = 0;
  const counted = async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      consumed += chunk.length;
      yield chunk;
    }
  };
  const parser = new WARCParser(counted());
  let offset = 0;
  let previous: WARCRecord | null = null;
  try {
    for (;;) {
      let record: WARCRecord | null;
      try {
        record = await parser.parse();
      } catch (error) {
        throw new ArchiveError({ archive, member: source.member, offset: nextOffset(parser, offset) }, message(error));
      }
      // Skipping the previous record's rest counts down its Content-Length: anything left means
      // the stream ended inside it (a truncated file, or a gzip member that stopped inflating).
      const missing = previous?._reader instanceof LimitReader ? previous._reader.limit : 0;
      if (missing > 0) {
        throw new ArchiveError(
          { archive, member: source.member, offset },
          `record cut off: ${missing} bytes of its Content-Length missing (truncated or corrupt)`,
        );
      }
      if (!record) {
        // The parser stops quietly where a gzip member cannot be inflated any further.
        const stop = parser._reader.getRawOffset();
        if (stop < consumed || parser._reader.errored) {
          throw new ArchiveError(
            { archive, member: source.member, offset: stop },
            `unreadable data (a corrupt or truncated gzip member); the last record read starts at offset ${offset}`,
          );
        }
        return;
      }
      previous = record;
      offset = parser.offset;
      if (!parser._reader.compressed) {
        // warcio spins without end when asked to skip past the end of a plain WARC: check first
        // that the record's content fits in what is left of the file.
        const end = parser._reader.getRawOffset() + (record._reader instanceof LimitReader ? record._reader.limit : 0);
        if (end > source.size) {
          throw new ArchiveError(
            { archive, member: source.member, offset },
            `record cut off: ${end - source.size} bytes of its Content-Length missing (truncated file)`,
          );
        }
      }
      if (!record.warcHeaders.statusline.startsWith('WARC/')) {
        throw new ArchiveError({ archive, member: source.member, offset }, 'not a WARC record');
      }
      // Every WARC record has a Content-Length; without one the header block itself was cut off.
      if (record.warcHeaders.headers.get('Content-Length') === null) {
        throw new ArchiveError({ archive, member: source.member, offset }, 'record header cut off (no Content-Length)');
      }
      yield { record, place: { archive, member: source.member, offset } };
    }
  } finally {
    stream.destroy();
  }
}

/** Best guess of where an unreadable record starts: after the last one read. */
function nextOffset(parser: WARCParser, last: number): number {
  try {
    return Math.max(last, parser.offset);
  } catch {
    return last;
  }
}

/** One record at a known place (a subresource served to the browser, a revisit's original). */
export async function recordAt(source: WarcSource, offset: number): Promise<WARCRecord | null> {
  const stream = await source.open(offset);
  try {
    const record = await new WARCParser(stream).parse();
    if (record) record.payload = await record.readFully(true);
    return record;
  } finally {
    stream.destroy();
  }
}
