/**
 * The fixture pages every browser suite serves, read from their headers (scripts/fixture-format.ts).
 * Browser-neutral: the Chromium harness (scripts/browser-harness.ts), the Firefox suite
 * (tests/e2e-firefox) and the demo all load pages through this.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFixture } from './fixture-format';

const FIXTURE_ROOT = resolve(import.meta.dirname, '../tests/fixtures');
const PAGE_ROOT = resolve(import.meta.dirname, '../tests/e2e/pages');

export interface RoutedPage {
  url: string;
  expect: string[];
  html: string;
  file: string;
}

/** Every fixture page (tests/fixtures/<platform>/*.html and tests/e2e/pages/*.html) by URL. */
export function loadPages(): RoutedPage[] {
  const pages: RoutedPage[] = [];
  const read = (file: string) => {
    const f = readFixture(readFileSync(file, 'utf8'));
    if ('error' in f) throw new Error(`${file}: ${f.error}`);
    pages.push({ url: f.url, expect: f.expect, html: f.html, file });
  };
  for (const platform of readdirSync(FIXTURE_ROOT)) {
    for (const f of readdirSync(join(FIXTURE_ROOT, platform))
      .filter((n) => n.endsWith('.html'))
      .sort())
      read(join(FIXTURE_ROOT, platform, f));
  }
  for (const f of readdirSync(PAGE_ROOT)
    .filter((n) => n.endsWith('.html'))
    .sort())
    read(join(PAGE_ROOT, f));
  return pages;
}

/** The page a URL is served as: the last fixture with that URL, as the Chromium context routes it. */
export function pageAt(pages: RoutedPage[], url: string): RoutedPage | undefined {
  return pages.findLast((p) => p.url === url.split('#')[0]);
}
