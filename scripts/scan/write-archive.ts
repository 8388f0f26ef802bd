/**
 * Web archives for the scanner's tests, the bench and the agreement check, written with warcio's
 * own serializer from fixture pages:
 * WARC (plain or gzip per record) and WACZ (a stored zip of archive/data.warc.gz and
 * pages/pages.jsonl), in a temporary folder.
 */
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARCRecord, WARCSerializer } from 'warcio';
import yazl from 'yazl';
import { readFixture } from '../fixture-format';

export interface ArchivePage {
  url: string;
  html: string;
  date?: string;
  /** Extra records: a stylesheet, an image… served to the browser engine. */
  contentType?: string;
  status?: number;
}

export interface FixturePage extends ArchivePage {
  expect: string[];
  file: string;
}

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures');

/** Fixture pages of the given platform folders (all when none are named), sorted by file. */
export function fixturePages(platforms?: string[]): FixturePage[] {
  const pages: FixturePage[] = [];
  for (const platform of (platforms ?? readdirSync(FIXTURES)).sort()) {
    for (const name of readdirSync(join(FIXTURES, platform))
      .filter((n) => n.endsWith('.html'))
      .sort()) {
      const f = readFixture(readFileSync(join(FIXTURES, platform, name), 'utf8'));
      if ('error' in f) throw new Error(`${platform}/${name}: ${f.error}`);
      pages.push({ url: f.url, html: f.html, expect: f.expect, file: `${platform}/${name}` });
    }
  }
  return pages;
}

async function* bytes(text: string | Uint8Array) {
  yield typeof text === 'string' ? new TextEncoder().encode(text) : text;
}

/** The serialized records of one page: its request and its response. */
export async function pageRecords(page: ArchivePage, gzip: boolean, index: number): Promise<Uint8Array[]> {
  const date = page.date ?? new Date(Date.UTC(2023, 8, 1, 0, 0, index)).toISOString().replace('.000', '');
  const response = WARCRecord.create(
    {
      url: page.url,
      date,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: `HTTP/1.1 ${page.status ?? 200} OK`,
      httpHeaders: { 'Content-Type': page.contentType ?? 'text/html; charset=utf-8' },
    },
    bytes(page.html),
  );
  const request = WARCRecord.create(
    {
      url: page.url,
      date,
      type: 'request',
      warcVersion: 'WARC/1.1',
      statusline: `GET ${new URL(page.url).pathname} HTTP/1.1`,
      httpHeaders: { Host: new URL(page.url).host },
    },
    bytes(''),
  );
  return [await WARCSerializer.serialize(response, { gzip }), await WARCSerializer.serialize(request, { gzip })];
}

export async function warcBytes(pages: ArchivePage[], gzip: boolean): Promise<Buffer> {
  const info = await WARCSerializer.serialize(
    WARCRecord.createWARCInfo({ filename: 'test.warc', warcVersion: 'WARC/1.1' }, { software: 'lensa-niaga tests' }),
    { gzip },
  );
  const parts: Uint8Array[] = [info];
  for (const [i, page] of pages.entries()) parts.push(...(await pageRecords(page, gzip, i)));
  return Buffer.concat(parts);
}

export async function writeWarc(path: string, pages: ArchivePage[], gzip = path.endsWith('.gz')): Promise<string> {
  writeFileSync(path, await warcBytes(pages, gzip));
  return path;
}

export async function writeWacz(path: string, pages: ArchivePage[], listed = pages): Promise<string> {
  const warc = await warcBytes(pages, true);
  const zip = new yazl.ZipFile();
  zip.addBuffer(warc, 'archive/data.warc.gz', { compress: false });
  const list = [
    JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }),
    ...listed.map((p, i) => JSON.stringify({ id: `p${i}`, url: p.url, ts: p.date ?? '2023-09-01T00:00:00Z' })),
  ].join('\n');
  zip.addBuffer(Buffer.from(list + '\n'), 'pages/pages.jsonl');
  zip.addBuffer(Buffer.from(JSON.stringify({ profile: 'data-package', resources: [] })), 'datapackage.json');
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject),
  );
  return path;
}
