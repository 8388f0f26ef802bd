/**
 * Fixture pages are HTML snapshots modelled on a platform's real markup. Each opens with a
 * comment that says where the page lives and which rules must fire on it, exactly:
 *
 *   <!-- lensa-fixture
 *   url: https://www.tiktok.com/@toko/video/7300000000000000001
 *   expect: tiktok.product-anchor tiktok.marketplace-link
 *   note: a video with a product anchor
 *   source: owner/repo:path/to/list.txt#L120
 *   real: the data-e2e value and the link shape, from the source
 *   filled: the product name, price and the surrounding layout
 *   -->
 *
 * `expect:` left empty marks a negative fixture (no rule may fire). A fixture that reproduces
 * markup seen elsewhere names it: one `source:` line per source (the `ref` of a rule source, see
 * `RuleSource` in rules/schema.ts), then `real:` (what the source shows) and `filled:` (what was
 * made up around it). A fixture with a source needs both.
 */
export interface Fixture {
  url: string;
  expect: string[];
  note: string;
  sources: string[];
  real: string;
  filled: string;
  html: string;
}

const HEADER = /^\s*<!--\s*lensa-fixture\s*\n([\s\S]*?)-->/;

export function readFixture(text: string): Fixture | { error: string } {
  const m = HEADER.exec(text);
  if (!m) return { error: 'missing the <!-- lensa-fixture … --> header' };
  const fields: Record<string, string> = {};
  const sources: string[] = [];
  for (const line of m[1].split('\n')) {
    const kv = /^\s*(url|expect|note|source|real|filled):\s*(.*)$/.exec(line);
    if (!kv) continue;
    if (kv[1] === 'source') sources.push(kv[2].trim());
    else fields[kv[1]] = kv[2].trim();
  }
  if (!fields.url || !/^https:\/\//.test(fields.url)) return { error: 'header needs "url: https://…"' };
  if (fields.expect === undefined) return { error: 'header needs an "expect:" line (empty for a negative)' };
  if (sources.some((s) => s === '')) return { error: 'header has an empty "source:" line' };
  if (sources.length > 0 && (!fields.real || !fields.filled))
    return {
      error: 'a fixture with a "source:" needs "real:" (what the source shows) and "filled:" (what was made up)',
    };
  return {
    url: fields.url,
    expect: fields.expect
      .split(/[\s,]+/)
      .filter(Boolean)
      .sort(),
    note: fields.note ?? '',
    sources,
    real: fields.real ?? '',
    filled: fields.filled ?? '',
    html: text.slice(m[0].length),
  };
}
