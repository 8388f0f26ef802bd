/**
 * Runs the bundled engine over every fixture page and asserts the exact set of rules that fire,
 * with the features and categories they report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { domSelectorCheck, compilePacks, summarize } from '@/lib/engine';
import { PLATFORM_IDS, categoryOf } from '@/rules/schema';
import { readFixture, type Fixture } from '../../scripts/fixture-format';
import { looksLikeData, redactText } from '@/lib/redact';
import { personalDataIn } from '../helpers/personal-data';

const engine = compilePacks(loadBundledPacks(), {
  checkSelector: domSelectorCheck(document),
});
const root = join(import.meta.dirname, '../fixtures');

function load(platform: string, file: string): Fixture {
  const fixture = readFixture(readFileSync(join(root, platform, file), 'utf8'));
  if ('error' in fixture) throw new Error(`${platform}/${file}: ${fixture.error}`);
  return fixture;
}

function detect(fixture: Fixture) {
  const doc = new DOMParser().parseFromString(fixture.html, 'text/html');
  const matcher = engine.forPage(fixture.url);
  return matcher ? summarize(matcher.scan(doc)) : [];
}

it('compiles every bundled rule', () => {
  expect(engine.problems).toEqual([]);
});

for (const platform of PLATFORM_IDS) {
  let files: string[] = [];
  try {
    files = readdirSync(join(root, platform))
      .filter((f) => f.endsWith('.html'))
      .sort();
  } catch {
    /* rules:check reports a platform without fixtures */
  }
  describe(`${platform} fixtures`, () => {
    it.each(files)('%s', (file) => {
      const fixture = load(platform, file);
      expect(engine.platformForUrl(fixture.url)).toBe(platform);
      const found = detect(fixture);
      expect(found.map((d) => d.ruleId).sort()).toEqual(fixture.expect);
      for (const d of found) {
        expect(d.platform).toBe(platform);
        expect(d.category).toBe(categoryOf(d.feature));
        expect(d.count).toBeGreaterThan(0);
        expect(d.evidence.length).toBeGreaterThan(0);
        expect(d.evidence.length).toBeLessThanOrEqual(120);
        // Evidence reads as a label, a link shape or a fixed description: never page JSON, never
        // anything the redaction would take out.
        expect(looksLikeData(d.evidence), d.evidence).toBe(false);
        expect(redactText(d.evidence)).toBe(d.evidence);
        if (d.product !== undefined) expect(d.category).toBe('offer');
      }
      if (file.includes('personal-data')) {
        expect(found.some((d) => d.category === 'transaction')).toBe(true);
        expect(personalDataIn(JSON.stringify(found))).toEqual([]);
      }
    });
  });
}

it('loads only the packs a host needs, and all of them without a host', () => {
  const all = loadBundledPacks();
  expect(all.map((p) => p.platforms[0].id).sort()).toEqual([...PLATFORM_IDS].sort());
  expect(loadBundledPacks('www.tiktok.com').map((p) => p.platforms[0].id)).toEqual(['tiktok']);
  expect(loadBundledPacks('shop-id.tokopedia.com').map((p) => p.platforms[0].id)).toEqual(['tiktok']);
  expect(loadBundledPacks('www.tokopedia.com')).toEqual([]);
  expect(loadBundledPacks('m.youtube.com').map((p) => p.platforms[0].id)).toEqual(['youtube']);
});

describe('personalDataIn, the fixtures’ check', () => {
  it('finds a fixture buyer’s number in page text, not inside a time the extension wrote', () => {
    expect(personalDataIn('Bekasi Utara, Jawa Barat 17121')).toEqual(['17121']);
    expect(personalDataIn('HP: 0812 3456 7890')).toEqual(['81234567890']);
    const now = Date.now();
    const time = Number(`${String(now).slice(0, 5)}17121${String(now).slice(10)}`);
    expect(String(time)).toContain('17121');
    expect(personalDataIn(JSON.stringify({ updatedAt: time, evidence: 'Checkout' }))).toEqual([]);
    expect(personalDataIn(JSON.stringify({ updatedAt: time, evidence: 'Kirim ke 17121' }))).toEqual(['17121']);
  });
});
