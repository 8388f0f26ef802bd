/**
 * Page captures: the HTML pages inside an input, each with where it came from. A capture is a
 * `response` (HTTP 2xx) or `resource` record whose type is HTML, a `revisit` of one (its body read
 * from the record it refers to), or a saved `.html` file. Everything else in an archive (scripts,
 * images, requests, metadata, redirects) is not a page and is counted as skipped, with a reason.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { LimitReader, type WARCRecord } from 'warcio';
import { readFixture } from '../fixture-format';
import { ArchiveError, iterRecords, openArchive, recordAt, type RecordPlace, type WarcSource } from './archive';

export interface Capture {
  /** Stable id of the capture: the same archive record always gets the same id. */
  id: string;
  url: string;
  /** When the page was captured: WARC-Date, or the file's modification time for saved HTML. */
  capturedAt: string;
  archive: string;
  member: string | null;
  /** Byte offset of the record in its WARC (compressed offset for .warc.gz); null for saved HTML. */
  offset: number | null;
  recordId: string | null;
  digest: string | null;
  html: string;
  /** Where the archive's own subresources can be read from (browser replay), or null. */
  resources: ResourceLookup | null;
}

export type ResourceLookup = (url: string) => Promise<ArchivedResponse | null>;

export interface ArchivedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Something that was not scanned, and why. */
export interface Skip {
  archive: string;
  url: string | null;
  offset: number | null;
  reason: string;
}

/** What an input yields: captures to scan, skips to count, an error that ended the input early. */
export type InputItem =
  { kind: 'capture'; capture: Capture } | { kind: 'skip'; skip: Skip } | { kind: 'error'; error: ArchiveError };

/** Pages bigger than this are skipped: a real page's HTML is rarely over a few MB. */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;
/** Subresources bigger than this are not replayed (video; the rules never look at them). */
export const MAX_RESOURCE_BYTES = 32 * 1024 * 1024;

const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

export function captureId(archive: string, member: string | null, offset: number | null, url: string): string {
  const key = [archive.replace(/^.*[\\/]/, ''), member ?? '', offset ?? '', url].join('\u0000');
  return `scan-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** Text of an HTML body: the charset named by the HTTP header, else by a <meta>, else UTF-8. */
export function decodeHtml(body: Uint8Array, contentType: string | null): string {
  let charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1];
  if (!charset) {
    const head = Buffer.from(body.subarray(0, 2048)).toString('latin1');
    charset = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  }
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function isoDate(warcDate: string | null | undefined): string {
  const t = warcDate ? Date.parse(warcDate) : NaN;
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** The `http` status of a response record, 0 when there is none. */
function statusOf(record: WARCRecord): number {
  return Number(record.httpHeaders?.statusCode ?? 0) || 0;
}

function contentTypeOf(record: WARCRecord): string | null {
  if (record.httpHeaders) return record.httpHeaders.headers.get('content-type') ?? null;
  return record.warcContentType ?? null;
}

/** The key of the pages a WACZ lists: its URL without the fragment. */
function pageKey(url: string): string {
  return url.split('#')[0];
}

interface Original {
  offset: number;
  source: WarcSource;
}

/**
 * Reads the body of a record, checking that it is whole: a record cut off by the end of the file
 * would otherwise be scanned as a shorter page.
 */
async function readBody(record: WARCRecord, place: RecordPlace): Promise<Uint8Array> {
  const body = await record.readFully(true);
  // The record's reader counts down what its Content-Length promised.
  if (record._reader instanceof LimitReader && record._reader.limit > 0) {
    throw new ArchiveError(place, `record cut off: ${record._reader.limit} bytes of its Content-Length missing`);
  }
  return body;
}

/** The captures of one WARC or WACZ file, in archive order. */
export async function* archiveCaptures(
  path: string,
  options: { replay: boolean; deferClose?: (close: () => void) => void },
): AsyncGenerator<InputItem> {
  let archive;
  try {
    archive = await openArchive(path);
  } catch (error) {
    if (error instanceof ArchiveError) {
      yield { kind: 'error', error };
      return;
    }
    throw error;
  }
  try {
    const listed = archive.pages ? new Set(archive.pages.map((p) => pageKey(p.url))) : null;
    const resources = options.replay ? await indexResources(path, archive.sources) : null;
    for (const source of archive.sources) {
      // Revisits name their original by payload digest; keep where each HTML body was seen.
      const originals = new Map<string, Original>();
      try {
        for await (const { record, place } of iterRecords(path, source)) {
          const item = await captureOf(record, place, source, listed, originals, resources);
          if (item) yield item;
        }
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        yield { kind: 'error', error };
      }
    }
  } finally {
    // Captures being replayed still read subresources: the caller closes the archive after them.
    if (options.deferClose) options.deferClose(() => archive.close());
    else archive.close();
  }
}

async function captureOf(
  record: WARCRecord,
  place: RecordPlace,
  source: WarcSource,
  listed: Set<string> | null,
  originals: Map<string, Original>,
  resources: ResourceLookup | null,
): Promise<InputItem | null> {
  const type = record.warcType;
  if (type !== 'response' && type !== 'resource' && type !== 'revisit') return null;
  const url = record.warcTargetURI ?? '';
  const skip = (reason: string): InputItem => ({
    kind: 'skip',
    skip: { archive: place.archive, url, offset: place.offset, reason },
  });
  if (!/^https?:\/\//i.test(url)) return skip('not an http(s) URL');
  const contentType = contentTypeOf(record);
  const status = type === 'resource' ? 200 : statusOf(record);
  const html = HTML_TYPE.test(contentType ?? '');
  if (!html) return null; // a subresource: not a page, and far too common to list one by one
  if (status < 200 || status > 299) return skip(`HTTP status ${status}`);
  if (listed && !listed.has(pageKey(url))) return skip('HTML that the WACZ does not list as a page (a frame)');
  const digest = record.warcPayloadDigest ?? null;
  let body: Uint8Array;
  if (type === 'revisit') {
    const original = digest ? originals.get(digest) : undefined;
    if (!original) return skip('revisit whose original is not in the same WARC');
    const earlier = await recordAt(original.source, original.offset);
    if (!earlier?.payload) return skip('revisit whose original could not be read');
    body = earlier.payload;
  } else {
    if (record.warcContentLength > MAX_PAGE_BYTES) return skip(`page larger than ${MAX_PAGE_BYTES} bytes`);
    body = await readBody(record, place);
    if (digest) originals.set(digest, { offset: place.offset, source });
  }
  const capturedAt = isoDate(record.warcDate);
  if (!capturedAt) return skip('no valid WARC-Date');
  return {
    kind: 'capture',
    capture: {
      id: captureId(place.archive, place.member, place.offset, url),
      url,
      capturedAt,
      archive: place.archive,
      member: place.member,
      offset: place.offset,
      recordId: record.warcHeader('WARC-Record-ID') ?? null,
      digest,
      html: decodeHtml(body, contentType),
      resources,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Subresources for the browser engine
// ---------------------------------------------------------------------------------------------

/**
 * A first pass over the archive that notes where each URL's response is (offset only, so the
 * index stays small); the replay reads a subresource back from its offset when the page asks.
 */
async function indexResources(path: string, sources: WarcSource[]): Promise<ResourceLookup> {
  const where = new Map<string, { source: WarcSource; offset: number }>();
  for (const source of sources) {
    try {
      for await (const { record, place } of iterRecords(path, source)) {
        if (record.warcType !== 'response' && record.warcType !== 'resource') continue;
        const url = record.warcTargetURI;
        if (url && !where.has(pageKey(url))) where.set(pageKey(url), { source, offset: place.offset });
      }
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      // The page pass reports the same error; serve what was indexed before it.
    }
  }
  return async (url) => {
    const at = where.get(pageKey(url));
    if (!at) return null;
    const record = await recordAt(at.source, at.offset).catch(() => null);
    if (!record?.payload || record.payload.length > MAX_RESOURCE_BYTES) return null;
    const headers: Record<string, string> = {};
    const http = record.httpHeaders?.headers;
    if (http) {
      for (const [name, value] of http as Headers) {
        // The body is served decoded: drop what described its encoding on the wire.
        if (!/^(content-encoding|transfer-encoding|content-length)$/i.test(name)) headers[name] = value;
      }
    } else if (record.warcContentType) headers['content-type'] = record.warcContentType;
    return {
      status: record.warcType === 'resource' ? 200 : statusOf(record) || 200,
      headers,
      body: Buffer.from(record.payload),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Saved HTML files
// ---------------------------------------------------------------------------------------------

/** The URL a saved page names: `<!-- saved from url=(NNNN)… -->`, a lensa-fixture header, or its canonical link. */
export function savedPageUrl(html: string): string | null {
  const head = html.slice(0, 64 * 1024);
  const saved = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(head)?.[1];
  if (saved && /^https?:\/\//i.test(saved)) return saved;
  const fixture = readFixture(head);
  if (!('error' in fixture)) return fixture.url;
  const canonical =
    /<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*\bhref\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ??
    /<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*\brel\s*=\s*["']?canonical\b/i.exec(head)?.[1];
  if (canonical && /^https?:\/\//i.test(canonical)) return canonical.replaceAll('&amp;', '&');
  return null;
}

export async function* htmlCaptures(path: string, url: string | null): AsyncGenerator<InputItem> {
  const info = await stat(path);
  if (info.size > MAX_PAGE_BYTES) {
    yield {
      kind: 'skip',
      skip: { archive: path, url, offset: null, reason: `page larger than ${MAX_PAGE_BYTES} bytes` },
    };
    return;
  }
  const html = decodeHtml(await readFile(path), null);
  const pageUrl = url ?? savedPageUrl(html);
  if (!pageUrl) {
    yield {
      kind: 'skip',
      skip: { archive: path, url: null, offset: null, reason: 'no URL: pass --url, or save the page with its address' },
    };
    return;
  }
  yield {
    kind: 'capture',
    capture: {
      id: captureId(path, null, null, pageUrl),
      url: pageUrl,
      capturedAt: info.mtime.toISOString(),
      archive: path,
      member: null,
      offset: null,
      recordId: null,
      digest: null,
      html,
      resources: null,
    },
  };
}
