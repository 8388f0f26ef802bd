/**
 * Fixture pages are HTML snapshots modelled on a platform's real markup. Each opens with a
 * comment that says where the page lives and which rules must fire on it, exactly:
 *
 *   <!-- lensa-fixture
 *   url: https://www.tiktok.com/@toko/video/7300000000000000001
 *   expect: tiktok.product-anchor tiktok.marketplace-link
 *   note: a video with a product anchor
 *   -->
 *
 * `expect:` left empty marks a negative fixture (no rule may fire).
 */
export interface Fixture {
  url: string;
  expect: string[];
  note: string;
  html: string;
}

const HEADER = /^\s*<!--\s*lensa-fixture\s*\n([\s\S]*?)-->/;

export function readFixture(text: string): Fixture | { error: string } {
  const m = HEADER.exec(text);
  if (!m) return { error: 'missing the <!-- lensa-fixture … --> header' };
  const fields: Record<string, string> = {};
  for (const line of m[1].split('\n')) {
    const kv = /^\s*(url|expect|note):\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]] = kv[2].trim();
  }
  if (!fields.url || !/^https:\/\//.test(fields.url)) return { error: 'header needs "url: https://…"' };
  if (fields.expect === undefined) return { error: 'header needs an "expect:" line (empty for a negative)' };
  return {
    url: fields.url,
    expect: fields.expect
      .split(/[\s,]+/)
      .filter(Boolean)
      .sort(),
    note: fields.note ?? '',
    html: text.slice(m[0].length),
  };
}
