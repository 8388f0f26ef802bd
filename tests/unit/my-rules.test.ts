import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePacks, summarize } from '@/lib/engine';
import { checkPack } from '@/lib/pack-check';
import { addProposal, freshRuleId, regulationIdsFor, without, type Proposal } from '@/lib/my-rules';
import { RulePack, validate, type RulePack as RulePackType, type RulePackInput } from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { getRegulations } from '@/utils/catalogues';
import { DomEngine } from '@/scripts/scan/dom-engine';
import { loadPacks } from '@/scripts/scan/packs';
import { readFixture } from '@/scripts/fixture-format';

const bundled = loadBundledPacks();
const regulationIds = new Set(getRegulations().regulations.map((r) => r.id));
const context = () => {
  const taken = new Map<string, string>();
  for (const p of bundled) for (const r of p.rules) taken.set(r.id, 'bundled');
  return { file: 'pack', takenRuleIds: taken, regulationIds, platformHosts: bundled.flatMap((p) => p.platforms) };
};

const picked: Proposal = {
  kind: 'rule',
  platform: 'tiktok',
  feature: 'live-shopping',
  selector: 'div[data-e2e="live-basket"]',
  signals: [{ kind: 'text', pattern: '^Keranjang live(?:\\s|$)', flags: 'i' }],
  evidence: 'label',
};

function docOf(html: string): Document {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = html;
  return doc;
}

describe('the My rules pack', () => {
  it('gets a picked rule with a fresh id and the regulations the bundled rules cite for its feature', () => {
    const first = addProposal(null, picked, bundled);
    const second = addProposal(first, picked, bundled);
    expect(second.name).toBe('my-rules');
    expect(second.rules.map((r) => r.id)).toEqual([
      'my-rules.tiktok-live-shopping-1',
      'my-rules.tiktok-live-shopping-2',
    ]);
    expect(second.version).toBe('1.0.1');
    const bundledLive = bundled.flatMap((p) => p.rules).filter((r) => r.feature === 'live-shopping');
    expect(bundledLive.length).toBeGreaterThan(0);
    expect(second.rules[0].regulationIds).toEqual(bundledLive[0].regulationIds);
    expect(checkPack(second, context())).toMatchObject({ ok: true });
  });

  it('picks regulations for every feature, on every platform, that exist in the catalogue', () => {
    for (const platform of ['tiktok', 'youtube', 'x'] as const) {
      for (const feature of ['checkout', 'catalog', 'chat-order-link', 'cross-border-offer'] as const) {
        const ids = regulationIdsFor(feature, platform, bundled);
        expect(ids.length, `${platform} ${feature}`).toBeGreaterThan(0);
        for (const id of ids) expect(regulationIds.has(id), id).toBe(true);
      }
    }
    // The TikTok–Tokopedia arrangement is cited for TikTok's checkouts, not for others'.
    expect(regulationIdsFor('checkout', 'tiktok', bundled)).toContain('event-tiktok-tokopedia-2023');
    expect(regulationIdsFor('checkout', 'facebook', bundled)).not.toContain('event-tiktok-tokopedia-2023');
  });

  it('skips ids that are taken elsewhere', () => {
    expect(freshRuleId('x', 'cart', new Set(['my-rules.x-cart-1', 'my-rules.x-cart-2']))).toBe('my-rules.x-cart-3');
  });

  it('keeps an exclusion once, and may hold only exclusions', () => {
    const exclusion: Proposal = { kind: 'exclusion', ruleId: 'tiktok.product-tag', selector: 'a[data-e2e="x"]' };
    const pack = addProposal(addProposal(null, exclusion, bundled), exclusion, bundled);
    expect(pack.rules).toEqual([]);
    expect(pack.exclusions).toEqual([{ ruleId: 'tiktok.product-tag', selector: 'a[data-e2e="x"]' }]);
    expect(checkPack(pack, context())).toMatchObject({ ok: true });
    expect(without(pack, { exclusion: pack.exclusions![0] })).toBeNull();
  });

  it('refuses a pack with neither rules nor exclusions, and a slow exclusion selector', () => {
    const empty = { name: 'my-rules', version: '1.0.0', engine: 1, rules: [] };
    expect(validate(RulePack, empty)).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('at least one rule or one exclusion')],
    });
    const slow: RulePackInput = {
      ...empty,
      exclusions: [{ ruleId: 'tiktok.product-tag', selector: 'a:has(b:has(c))' }],
    };
    expect(checkPack(slow, context())).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/exclusion of "tiktok\.product-tag" \$\.exclusions\[0\]\.selector: .*too slow/)],
    });
  });
});

describe('exclusions in the engine', () => {
  const rules: RulePackInput = {
    name: 'base',
    version: '1.0.0',
    engine: 1,
    platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
    rules: [
      {
        id: 'base.link',
        platform: 'tiktok',
        feature: 'marketplace-link',
        regulationIds: ['r'],
        selector: 'a[href]',
        signals: [{ kind: 'link', pattern: '^https://shopee\\.co\\.id/' }],
      },
      {
        id: 'base.other',
        platform: 'tiktok',
        feature: 'storefront',
        regulationIds: ['r'],
        selector: 'a[href]',
        signals: [{ kind: 'link', pattern: '^https://shopee\\.co\\.id/' }],
      },
    ],
  };
  const doc = docOf(
    '<div data-e2e="user-bio"><a href="https://shopee.co.id/a">a</a></div>' +
      '<div data-e2e="video-desc"><a href="https://shopee.co.id/b">b</a></div>',
  );
  const counts = (packs: RulePackInput[]) =>
    Object.fromEntries(
      summarize(
        compilePacks(packs.map((p) => RulePack.parse(p)))
          .forPage('https://www.tiktok.com/@x')!
          .scan(doc.body),
      ).map((d) => [d.ruleId, d.count]),
    );

  it("drops a rule's hit whose element matches an exclusion, from another pack too, and no other rule's", () => {
    expect(counts([rules])).toEqual({ 'base.link': 2, 'base.other': 2 });
    const mine: RulePackInput = {
      name: 'my-rules',
      version: '1.0.0',
      engine: 1,
      rules: [],
      exclusions: [{ ruleId: 'base.link', selector: 'div[data-e2e="user-bio"] a' }],
    };
    expect(counts([rules, mine])).toEqual({ 'base.link': 1, 'base.other': 2 });
    // Both of a rule's exclusions apply; an exclusion for a rule nobody has changes nothing.
    mine.exclusions!.push({ ruleId: 'base.link', selector: '[data-e2e="video-desc"] a' });
    mine.exclusions!.push({ ruleId: 'nobody.rule', selector: 'a' });
    expect(counts([rules, mine])).toEqual({ 'base.other': 2 });
  });

  it('reports an exclusion selector the DOM cannot parse as a problem, and keeps the rule', () => {
    const mine = RulePack.parse({
      name: 'my-rules',
      version: '1.0.0',
      engine: 1,
      rules: [],
      exclusions: [{ ruleId: 'base.link', selector: 'a[[' }],
    });
    const engine = compilePacks([RulePack.parse(rules), mine], {
      checkSelector: (s) => void doc.querySelector(s),
    });
    expect(engine.problems).toEqual([{ ruleId: 'base.link', message: expect.stringContaining('exclusion') }]);
    expect(summarize(engine.forPage('https://www.tiktok.com/@x')!.scan(doc.body))).toHaveLength(2);
  });
});

describe('exclusions in the scanner', () => {
  it('a --pack with an exclusion drops that rule on the pages it marks, as the extension does', () => {
    const fixture = readFixture(readFileSync('tests/e2e/pages/tiktok-spa.html', 'utf8'));
    if ('error' in fixture) throw new Error(fixture.error);
    const dir = mkdtempSync(join(tmpdir(), 'my-rules-'));
    try {
      const file = join(dir, 'my-rules.json');
      const exclusion: Proposal = {
        kind: 'exclusion',
        ruleId: 'tiktok.product-tag',
        selector: 'a[data-e2e="product-anchor"][href*="/view/product/"]',
      };
      writeFileSync(file, JSON.stringify(addProposal(null, exclusion, bundled)));
      const ruleIds = (packs: RulePackType[]) =>
        new DomEngine(packs).scan(fixture.url, fixture.html).detections.map((d) => d.ruleId);
      expect(ruleIds(loadPacks([]).packs)).toContain('tiktok.product-tag');
      expect(ruleIds(loadPacks([file]).packs)).not.toContain('tiktok.product-tag');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
