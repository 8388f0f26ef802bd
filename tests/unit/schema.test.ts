/**
 * What rules/schema.ts rejects, and how it says so.
 *
 * Every malformed case starts from a valid object (checked to parse) and breaks exactly one thing,
 * then asserts where zod reports the problem (JSON path and issue code), so a case cannot pass by
 * failing somewhere else. Rule packs can come from users, so these are the first line of defence.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  ComplaintChannel,
  Detection,
  ENGINE_VERSION,
  MAX_EVIDENCE_LENGTH,
  MAX_PATTERN_LENGTH,
  MAX_SELECTOR_LENGTH,
  Marketplace,
  MarketplaceCatalogue,
  Pattern,
  Redirector,
  Regulation,
  RegulationCatalogue,
  Rule,
  RulePack,
  Signal,
  TabReport,
  validate,
} from '@/rules/schema';
import { compilePacks } from '@/lib/engine';
import { patternProblems } from '@/lib/pattern-safety';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

/** `$.a[0].b` for every issue, with its code: `$.rules[0].platform invalid_value`. */
function issuesOf(schema: z.ZodMiniType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    return `$${path} ${issue.code}`;
  });
}

/** Paths only (no codes), for cases where the code is incidental. */
function pathsOf(schema: z.ZodMiniType, input: unknown): string[] {
  return issuesOf(schema, input).map((s) => s.split(' ')[0]);
}

const goodRule = (): Json => ({
  id: 'tiktok.cart',
  platform: 'tiktok',
  feature: 'cart',
  regulationIds: ['permendag-31-2023-pasal-21-3'],
  description: { id: 'Keranjang', en: 'Cart' },
  selector: 'button',
  signals: [
    { kind: 'text', pattern: 'keranjang|cart', flags: 'i' },
    { kind: 'attr', name: 'data-e2e', pattern: '^cart' },
  ],
});

const goodPack = (rules: Json[] = [goodRule()]): Json => ({
  name: 'test-pack',
  version: '1.2.3',
  engine: ENGINE_VERSION,
  platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
  redirectors: [{ host: 'l.facebook.com', path: '/l.php', param: 'u' }],
  rules,
});

const goodRegulation = (): Json => ({
  id: 'pp-80-2019-pasal-18',
  kind: 'provision',
  title: { id: 'Judul', en: 'Title' },
  summary: { id: 'Ringkasan.', en: 'Summary.' },
  citation: 'PP No. 80 Tahun 2019, Pasal 18',
  sourceUrl: 'https://peraturan.bpk.go.id/',
  status: 'in-force',
  basis: 'official-text',
  lastVerified: '2026-11-23',
});

const goodMarketplace = (): Json => ({
  id: 'tokopedia',
  name: 'Tokopedia',
  domains: ['tokopedia.com'],
  shortLinkDomains: ['tokopedia.link'],
  searchUrl: 'https://www.tokopedia.com/search?st=product&q={q}',
  pseRegistryUrl: 'https://pse.komdigi.go.id/',
  verifiedOn: '2026-11-23',
});

const goodChannel = (): Json => ({
  id: 'pktn-kemendag',
  name: { id: 'PKTN', en: 'PKTN' },
  description: { id: 'Pengaduan.', en: 'Complaints.' },
  contacts: [
    { kind: 'whatsapp', label: '0853-1111-1010', href: 'https://wa.me/6285311111010' },
    { kind: 'phone', label: '(021) 3441839', href: 'tel:+62213441839' },
    { kind: 'email', label: 'a@b.go.id', href: 'mailto:a@b.go.id' },
    { kind: 'web', label: 'example.go.id', href: 'https://example.go.id/' },
  ],
  verifiedOn: '2026-11-23',
});

function withRule(change: (rule: Json) => void): Json {
  const rule = goodRule();
  change(rule);
  return goodPack([rule]);
}

// ---------------------------------------------------------------------------------------------
// Positive controls: the bases are valid, and defaults are filled in
// ---------------------------------------------------------------------------------------------

describe('valid input', () => {
  it('accepts the base pack, rule, regulation, marketplace and channel', () => {
    expect(issuesOf(RulePack, goodPack())).toEqual([]);
    expect(issuesOf(Regulation, goodRegulation())).toEqual([]);
    expect(issuesOf(Marketplace, goodMarketplace())).toEqual([]);
    expect(issuesOf(ComplaintChannel, goodChannel())).toEqual([]);
  });

  it('fills in the documented defaults', () => {
    const rule = Rule.parse({ id: 'a', platform: 'x', feature: 'catalog', regulationIds: ['r'], selector: 'a' });
    expect(rule).toMatchObject({ signals: [], exclude: [], require: 'all', evidence: 'label' });
    const pack = RulePack.parse({ name: 'n', version: '1', engine: 1, rules: [rule] });
    expect(pack.platforms).toEqual([]);
    expect(pack.redirectors).toEqual([]);
    expect(Regulation.parse(goodRegulation()).caveatIds).toEqual([]);
    const { shortLinkDomains: _, ...noShort } = goodMarketplace();
    expect(Marketplace.parse(noShort).shortLinkDomains).toEqual([]);
  });

  it('accepts every signal kind and a numeric require', () => {
    const pack = withRule((r) => {
      r.signals = [
        { kind: 'text', pattern: 'beli', flags: 'iu' },
        { kind: 'link', pattern: '^https://shop\\.' },
        { kind: 'attr', name: 'aria-label', pattern: 'cart', flags: 'ims' },
        { kind: 'has', selector: 'svg[data-icon="cart"]' },
        { kind: 'page', pattern: '/shop/' },
      ];
      r.require = 3;
      r.exclude = [{ kind: 'text', pattern: 'iklan' }];
      r.page = { pattern: '^https://www\\.tiktok\\.com/' };
      r.evidence = 'link';
    });
    expect(issuesOf(RulePack, pack)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Wrong types and missing fields
// ---------------------------------------------------------------------------------------------

describe('wrong types', () => {
  it.each([
    ['id', 42, '$.rules[0].id'],
    ['platform', ['tiktok'], '$.rules[0].platform'],
    ['feature', null, '$.rules[0].feature'],
    ['regulationIds', 'permendag-31-2023-pasal-21-3', '$.rules[0].regulationIds'],
    ['selector', { css: 'a' }, '$.rules[0].selector'],
    ['signals', { kind: 'text', pattern: 'a' }, '$.rules[0].signals'],
    ['exclude', 'a', '$.rules[0].exclude'],
    ['require', 'most', '$.rules[0].require'],
    ['require', 1.5, '$.rules[0].require'],
    ['require', 0, '$.rules[0].require'],
    ['evidence', 'html', '$.rules[0].evidence'],
    ['description', 'Keranjang', '$.rules[0].description'],
    ['page', '^https://', '$.rules[0].page'],
  ])('rule.%s = %j is rejected at %s', (field, value, path) => {
    expect(
      pathsOf(
        RulePack,
        withRule((r) => (r[field] = value)),
      ),
    ).toContain(path);
  });

  it.each([
    ['name', 7],
    ['version', 1],
    ['engine', '1'],
    ['engine', 1.5],
    ['engine', 0],
    ['platforms', { tiktok: ['tiktok.com'] }],
    ['redirectors', 'l.facebook.com'],
    ['rules', {}],
    ['description', 12],
  ])('pack.%s = %j is rejected', (field, value) => {
    expect(pathsOf(RulePack, { ...goodPack(), [field]: value })).toContain(`$.${field}`);
  });

  it('rejects a pack that is not an object', () => {
    for (const input of [null, [], 'pack', 3, undefined]) expect(pathsOf(RulePack, input)).toEqual(['$']);
  });

  it('rejects a pattern whose pattern is not a string and a signal kind that does not exist', () => {
    expect(pathsOf(Signal, { kind: 'text', pattern: 5 })).toEqual(['$.pattern']);
    expect(issuesOf(Signal, { kind: 'regex', pattern: 'a' })).toEqual(['$.kind invalid_union']);
    expect(pathsOf(Signal, { kind: 'attr', name: 'data x', pattern: 'a' })).toEqual(['$.name']);
    expect(pathsOf(Signal, { kind: 'attr', name: '1data', pattern: 'a' })).toEqual(['$.name']);
  });
});

describe('missing fields', () => {
  it.each([
    ['id', 'invalid_type'],
    ['platform', 'invalid_value'],
    ['feature', 'invalid_value'],
    ['regulationIds', 'invalid_type'],
    ['selector', 'invalid_type'],
  ])('a rule without %s is rejected there (%s)', (field, code) => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => delete r[field]),
      ),
    ).toEqual([`$.rules[0].${field} ${code}`]);
  });

  it.each(['name', 'version', 'engine', 'rules'])('a pack without %s is rejected there', (field) => {
    const pack = goodPack();
    delete pack[field];
    expect(issuesOf(RulePack, pack)).toEqual([`$.${field} invalid_type`]);
  });

  it('rejects an empty regulationIds list, an empty id in it and an empty rule list', () => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.regulationIds = [])),
      ),
    ).toEqual(['$.rules[0].regulationIds too_small']);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.regulationIds = [''])),
      ),
    ).toEqual(['$.rules[0].regulationIds[0] too_small']);
    // A pack needs a rule or an exclusion ("not a shopping feature"); one of either is enough.
    expect(issuesOf(RulePack, goodPack([]))).toEqual(['$.rules custom']);
    expect(
      issuesOf(RulePack, { ...goodPack([]), exclusions: [{ ruleId: 'tiktok.product-tag', selector: 'a' }] }),
    ).toEqual([]);
    expect(
      issuesOf(RulePack, { ...goodPack([]), exclusions: [{ ruleId: 'tiktok.product-tag', selector: '' }] }),
    ).toEqual(['$.exclusions[0].selector too_small']);
  });

  it('rejects signals without their required parts', () => {
    expect(issuesOf(Signal, { kind: 'text' })).toEqual(['$.pattern invalid_type']);
    expect(issuesOf(Signal, { kind: 'attr', pattern: 'a' })).toEqual(['$.name invalid_type']);
    expect(issuesOf(Signal, { kind: 'has' })).toEqual(['$.selector invalid_type']);
    expect(issuesOf(Signal, { pattern: 'a' })).toEqual(['$.kind invalid_union']);
  });

  it('rejects a description with only one language', () => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.description = { id: 'Keranjang' })),
      ),
    ).toEqual(['$.rules[0].description.en invalid_type']);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.description = { id: 'Keranjang', en: '' })),
      ),
    ).toEqual(['$.rules[0].description.en too_small']);
  });
});

// ---------------------------------------------------------------------------------------------
// Unknown fields: every object is strict
// ---------------------------------------------------------------------------------------------

describe('unknown fields', () => {
  const cases: [string, Json, string][] = [
    ['pack', { ...goodPack(), author: 'me' }, '$'],
    ['rule', withRule((r) => (r.severity = 'high')), '$.rules[0]'],
    ['rule description', withRule((r) => (r.description = { id: 'a', en: 'b', fr: 'c' })), '$.rules[0].description'],
    ['text signal', withRule((r) => ((r.signals as Json[])[0].weight = 2)), '$.rules[0].signals[0]'],
    [
      'has signal',
      withRule((r) => (r.signals = [{ kind: 'has', selector: 'a', pattern: 'x' }])),
      '$.rules[0].signals[0]',
    ],
    [
      'exclude signal',
      withRule((r) => (r.exclude = [{ kind: 'page', pattern: 'x', name: 'y' }])),
      '$.rules[0].exclude[0]',
    ],
    ['page pattern', withRule((r) => (r.page = { pattern: 'x', kind: 'page' })), '$.rules[0].page'],
    [
      'platform entry',
      { ...goodPack(), platforms: [{ id: 'tiktok', hosts: ['tiktok.com'], name: 'TikTok' }] },
      '$.platforms[0]',
    ],
    [
      'redirector',
      { ...goodPack(), redirectors: [{ host: 'l.facebook.com', param: 'u', keep: true }] },
      '$.redirectors[0]',
    ],
  ];
  it.each(cases)('an unknown key in a %s is rejected', (_what, input, path) => {
    expect(issuesOf(RulePack, input)).toEqual([`${path} unrecognized_keys`]);
  });

  it('names the unknown keys in the issue', () => {
    const result = RulePack.safeParse(withRule((r) => (r.severity = 'high')));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['severity'] });
  });

  it('is strict in the catalogues and detections too', () => {
    expect(issuesOf(Regulation, { ...goodRegulation(), note: 'x' })).toEqual(['$ unrecognized_keys']);
    expect(issuesOf(Marketplace, { ...goodMarketplace(), rating: 5 })).toEqual(['$ unrecognized_keys']);
    const channel = goodChannel();
    (channel.contacts as Json[])[0].hours = '24/7';
    expect(issuesOf(ComplaintChannel, channel)).toEqual(['$.contacts[0] unrecognized_keys']);
    const detection = {
      ruleId: 'a',
      platform: 'x',
      feature: 'cart',
      category: 'transaction',
      regulationIds: [],
      count: 1,
      evidence: '',
      firstSeen: 0,
      lastSeen: 0,
    };
    expect(issuesOf(Detection, detection)).toEqual([]);
    expect(issuesOf(Detection, { ...detection, html: '<b>' })).toEqual(['$ unrecognized_keys']);
  });
});

// ---------------------------------------------------------------------------------------------
// Ids and taxonomy
// ---------------------------------------------------------------------------------------------

describe('ids, platforms and features', () => {
  it.each(['tiktok.cart', 'a', 'x.buy-button', 'ig.product-tag.v2', 'yt-1.a2'])('accepts the rule id %j', (id) => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.id = id)),
      ),
    ).toEqual([]);
  });

  it.each([
    '',
    'TikTok.cart',
    'tiktok cart',
    'tiktok..cart',
    '.cart',
    'cart.',
    'cart-',
    'tiktok_cart',
    'keranjang/beli',
    'tiktok.cart\n',
  ])('rejects the rule id %j', (id) => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.id = id)),
      ),
    ).toEqual(['$.rules[0].id invalid_format']);
  });

  it.each(['TikTok', 'tokopedia', 'twitter', 'threads', ''])(
    'rejects the unknown platform %j in a rule and in a host list',
    (id) => {
      expect(
        issuesOf(
          RulePack,
          withRule((r) => (r.platform = id)),
        ),
      ).toEqual(['$.rules[0].platform invalid_value']);
      expect(issuesOf(RulePack, { ...goodPack(), platforms: [{ id, hosts: ['tiktok.com'] }] })).toEqual([
        '$.platforms[0].id invalid_value',
      ]);
    },
  );

  it.each(['wishlist', 'Cart', 'buy_button', 'transaction', ''])('rejects the unknown feature %j', (feature) => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.feature = feature)),
      ),
    ).toEqual(['$.rules[0].feature invalid_value']);
  });

  it.each(['TikTok.com', 'tiktok', 'https://tiktok.com', 'tiktok.com/', '*.tiktok.com', 'tik tok.com'])(
    'rejects the host %j',
    (host) => {
      expect(issuesOf(RulePack, { ...goodPack(), platforms: [{ id: 'tiktok', hosts: [host] }] })).toEqual([
        '$.platforms[0].hosts[0] invalid_format',
      ]);
    },
  );

  it('rejects a platform entry without hosts', () => {
    expect(issuesOf(RulePack, { ...goodPack(), platforms: [{ id: 'tiktok', hosts: [] }] })).toEqual([
      '$.platforms[0].hosts too_small',
    ]);
  });

  it('rejects a pack version that does not look like 1.2.3', () => {
    for (const version of ['1.2.3', '2026.11.23', '1', '1.0.0-beta.1'])
      expect(issuesOf(RulePack, { ...goodPack(), version })).toEqual([]);
    for (const version of ['v1', '1.2.3.4.5', '', 'latest', '1..2'])
      expect(issuesOf(RulePack, { ...goodPack(), version })).toEqual(['$.version invalid_format']);
  });
});

// ---------------------------------------------------------------------------------------------
// Patterns and selectors
// ---------------------------------------------------------------------------------------------

describe('patterns', () => {
  it.each(['', 'i', 'm', 's', 'u', 'ims', 'imsu', 'ui'])('accepts the flags %j', (flags) => {
    expect(issuesOf(Pattern, { pattern: 'a', flags })).toEqual([]);
  });

  // g, y, d and v are flags RegExp knows: only the flags check can catch them.
  it.each(['g', 'y', 'gi', 'iy', 'd', 'v'])('rejects the stateful or unsupported flags %j', (flags) => {
    expect(new RegExp('a', flags)).toBeInstanceOf(RegExp);
    expect(issuesOf(Pattern, { pattern: 'a', flags })).toEqual(['$.flags invalid_format']);
    // the same check applies inside every pattern-carrying signal
    expect(issuesOf(Signal, { kind: 'link', pattern: 'a', flags })).toEqual(['$.flags invalid_format']);
  });

  // RegExp itself refuses these, so the pattern is reported as not compiling as well.
  it.each(['ii', 'imi', 'x', 'I', ' i'])('rejects the repeated or unknown flags %j', (flags) => {
    expect(issuesOf(Pattern, { pattern: 'a', flags })).toEqual(['$.flags invalid_format', '$.pattern custom']);
    expect(issuesOf(Signal, { kind: 'attr', name: 'title', pattern: 'a', flags })[0]).toBe('$.flags invalid_format');
  });

  it.each(['(', '[a-', '*a', 'a{2,1}', '(?<n>a)(?<n>b)', '\\'])(
    'rejects the invalid regular expression %j',
    (pattern) => {
      expect(issuesOf(Pattern, { pattern })).toEqual(['$.pattern custom']);
      expect(
        issuesOf(
          RulePack,
          withRule((r) => ((r.signals as Json[])[1].pattern = pattern)),
        ),
      ).toEqual(['$.rules[0].signals[1].pattern custom']);
    },
  );

  it('checks the pattern with its flags', () => {
    // valid without u, a syntax error with u
    expect(issuesOf(Pattern, { pattern: '\\-' })).toEqual([]);
    expect(issuesOf(Pattern, { pattern: '\\-', flags: 'u' })).toEqual(['$.pattern custom']);
  });

  it('rejects an empty pattern and one longer than the limit', () => {
    expect(issuesOf(Pattern, { pattern: '' })).toEqual(['$.pattern too_small']);
    expect(issuesOf(Pattern, { pattern: 'a'.repeat(MAX_PATTERN_LENGTH) })).toEqual([]);
    expect(issuesOf(Pattern, { pattern: 'a'.repeat(MAX_PATTERN_LENGTH + 1) })).toEqual(['$.pattern too_big']);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.exclude = [{ kind: 'text', pattern: 'b'.repeat(MAX_PATTERN_LENGTH + 1) }])),
      ),
    ).toEqual(['$.rules[0].exclude[0].pattern too_big']);
  });

  it('rejects an empty selector and one longer than the limit, in the rule and in a has signal', () => {
    const long = 'a'.repeat(MAX_SELECTOR_LENGTH + 1);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.selector = '')),
      ),
    ).toEqual(['$.rules[0].selector too_small']);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.selector = 'a'.repeat(MAX_SELECTOR_LENGTH))),
      ),
    ).toEqual([]);
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.selector = long)),
      ),
    ).toEqual(['$.rules[0].selector too_big']);
    expect(issuesOf(Signal, { kind: 'has', selector: long })).toEqual(['$.selector too_big']);
  });
});

// ---------------------------------------------------------------------------------------------
// Pack-level checks and engine compile problems
// ---------------------------------------------------------------------------------------------

describe('pack checks', () => {
  it('rejects duplicate rule ids and points at the second one', () => {
    const rules = [
      goodRule(),
      { ...goodRule(), feature: 'buy-button' },
      { ...goodRule(), id: 'tiktok.other' },
      goodRule(),
    ];
    const result = RulePack.safeParse(goodPack(rules));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['rules.1.id', 'duplicate rule id "tiktok.cart"'],
      ['rules.3.id', 'duplicate rule id "tiktok.cart"'],
    ]);
  });

  it('rejects a pack that needs a newer engine and accepts the current one', () => {
    expect(issuesOf(RulePack, { ...goodPack(), engine: ENGINE_VERSION })).toEqual([]);
    const result = RulePack.safeParse({ ...goodPack(), engine: ENGINE_VERSION + 1 });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toHaveLength(1);
    expect(result.error!.issues[0].path).toEqual(['engine']);
    expect(result.error!.issues[0].message).toContain(`needs engine version ${ENGINE_VERSION + 1}`);
  });

  it('rejects more than 2000 rules', () => {
    const rules = Array.from({ length: 2001 }, (_, i) => ({ ...goodRule(), id: `r${i}` }));
    expect(issuesOf(RulePack, goodPack(rules))).toEqual(['$.rules too_big']);
  });

  it.each([
    [{ host: 'L.Facebook.com', param: 'u' }, '$.redirectors[0].host invalid_format'],
    [{ host: 'https://l.facebook.com', param: 'u' }, '$.redirectors[0].host invalid_format'],
    [{ host: 'l.facebook.com', path: 'l.php', param: 'u' }, '$.redirectors[0].path invalid_format'],
    [{ host: 'l.facebook.com', param: '' }, '$.redirectors[0].param too_small'],
    [{ host: 'l.facebook.com' }, '$.redirectors[0].param invalid_type'],
    [{ param: 'u' }, '$.redirectors[0].host invalid_type'],
  ])('rejects the redirector %j', (redirector, issue) => {
    expect(issuesOf(RulePack, { ...goodPack(), redirectors: [redirector] })).toEqual([issue]);
    expect(Redirector.safeParse(redirector).success).toBe(false);
  });

  it('leaves "require more than the signals" to the engine, which reports it per rule', () => {
    const pack = RulePack.parse(
      goodPack([
        { ...goodRule(), id: 'too-many', require: 3 },
        { ...goodRule(), id: 'exactly', require: 2 },
        { ...goodRule(), id: 'none', signals: [], require: 1 },
        { ...goodRule(), id: 'any-of-none', signals: [], require: 'any' },
      ]),
    );
    const engine = compilePacks([pack]);
    expect(engine.problems.map((p) => p.ruleId)).toEqual(['too-many', 'none']);
    expect(engine.problems[0].message).toMatch(/require 3 .* 2 signals/);
    expect(engine.rules.map((r) => r.rule.id)).toEqual(['exactly', 'any-of-none']);
  });
});

// ---------------------------------------------------------------------------------------------
// Catalogues
// ---------------------------------------------------------------------------------------------

describe('regulation entries', () => {
  it.each([
    ['status', 'active', '$.status invalid_value'],
    ['status', 'Reported', '$.status invalid_value'],
    ['kind', 'law', '$.kind invalid_value'],
    ['basis', 'news', '$.basis invalid_value'],
    ['lastVerified', '23-11-2026', '$.lastVerified invalid_format'],
    ['lastVerified', '2026-1-5', '$.lastVerified invalid_format'],
    ['lastVerified', '2026-11-23T10:00:00Z', '$.lastVerified invalid_format'],
    ['lastVerified', 20261123, '$.lastVerified invalid_type'],
    ['sourceUrl', 'http://peraturan.bpk.go.id/', '$.sourceUrl invalid_format'],
    ['sourceUrl', 'peraturan.bpk.go.id', '$.sourceUrl invalid_format'],
    ['sourceUrl', 'https://', '$.sourceUrl invalid_format'],
    ['sourceUrl', 'https://a b.id/', '$.sourceUrl invalid_format'],
    ['sourceUrl', 'javascript:alert(1)', '$.sourceUrl invalid_format'],
    ['id', 'PP 80/2019', '$.id invalid_format'],
    ['citation', '', '$.citation too_small'],
    ['quote', 42, '$.quote invalid_type'],
    ['caveatIds', 'permendag-19-2026', '$.caveatIds invalid_type'],
    ['title', { id: 'Judul' }, '$.title.en invalid_type'],
    ['summary', { id: '', en: 'x' }, '$.summary.id too_small'],
  ])('rejects %s = %j', (field, value, issue) => {
    expect(issuesOf(Regulation, { ...goodRegulation(), [field]: value })).toEqual([issue]);
  });

  it.each(['in-force', 'revoked', 'reported', 'unverified'])('accepts the status %j', (status) => {
    expect(issuesOf(Regulation, { ...goodRegulation(), status })).toEqual([]);
  });

  it('rejects an empty catalogue and one without a version', () => {
    expect(issuesOf(RegulationCatalogue, { version: '1', regulations: [] })).toEqual(['$.regulations too_small']);
    expect(issuesOf(RegulationCatalogue, { regulations: [goodRegulation()] })).toEqual(['$.version invalid_type']);
    expect(issuesOf(RegulationCatalogue, { version: '1', regulations: [goodRegulation()] })).toEqual([]);
  });
});

describe('marketplace entries', () => {
  it.each([
    ['searchUrl', 'https://www.tokopedia.com/search?q=', '$.searchUrl invalid_format'],
    ['searchUrl', 'https://www.tokopedia.com/search?q={query}', '$.searchUrl invalid_format'],
    ['searchUrl', 'http://www.tokopedia.com/search?q={q}', '$.searchUrl invalid_format'],
    ['pseRegistryUrl', 'pse.komdigi.go.id', '$.pseRegistryUrl invalid_format'],
    ['verifiedOn', '2026/11/23', '$.verifiedOn invalid_format'],
    ['domains', [], '$.domains too_small'],
    ['domains', ['Tokopedia.com'], '$.domains[0] invalid_format'],
    ['shortLinkDomains', ['https://tokopedia.link'], '$.shortLinkDomains[0] invalid_format'],
    ['name', '', '$.name too_small'],
    ['id', 'Tokopedia', '$.id invalid_format'],
  ])('rejects %s = %j', (field, value, issue) => {
    expect(issuesOf(Marketplace, { ...goodMarketplace(), [field]: value })).toEqual([issue]);
  });

  it('reports both problems of a searchUrl that is neither https nor has {q}', () => {
    expect(issuesOf(Marketplace, { ...goodMarketplace(), searchUrl: 'http://x.id/search' })).toEqual([
      '$.searchUrl invalid_format',
      '$.searchUrl invalid_format',
    ]);
  });
});

describe('complaint channels', () => {
  function withContact(contact: Json): Json {
    return { ...goodChannel(), contacts: [contact] };
  }

  it.each([
    'http://simpktn.kemendag.go.id/',
    'javascript:alert(1)',
    'wa.me/6285311111010',
    '0853-1111-1010',
    'tel:',
    'tel:+62 21 3441839',
    'mailto:',
    'sms:+6285311111010',
    'https://',
    '',
  ])('rejects the contact href %j', (href) => {
    expect(issuesOf(ComplaintChannel, withContact({ kind: 'web', label: 'x', href }))).toEqual([
      '$.contacts[0].href invalid_format',
    ]);
  });

  it('rejects an unknown contact kind, an empty label, and a channel without contacts', () => {
    expect(issuesOf(ComplaintChannel, withContact({ kind: 'fax', label: 'x', href: 'tel:+62213441839' }))).toEqual([
      '$.contacts[0].kind invalid_value',
    ]);
    expect(issuesOf(ComplaintChannel, withContact({ kind: 'phone', label: '', href: 'tel:+62213441839' }))).toEqual([
      '$.contacts[0].label too_small',
    ]);
    expect(issuesOf(ComplaintChannel, { ...goodChannel(), contacts: [] })).toEqual(['$.contacts too_small']);
    expect(issuesOf(ComplaintChannel, { ...goodChannel(), verifiedOn: 'kemarin' })).toEqual([
      '$.verifiedOn invalid_format',
    ]);
  });

  it('rejects a marketplace catalogue without complaint channels or with a bad registry URL', () => {
    const good = {
      version: '1',
      pseRegistryUrl: 'https://pse.komdigi.go.id/',
      marketplaces: [goodMarketplace()],
      complaintChannels: [goodChannel()],
    };
    expect(issuesOf(MarketplaceCatalogue, good)).toEqual([]);
    expect(issuesOf(MarketplaceCatalogue, { ...good, complaintChannels: [] })).toEqual([
      '$.complaintChannels too_small',
    ]);
    expect(issuesOf(MarketplaceCatalogue, { ...good, marketplaces: [] })).toEqual(['$.marketplaces too_small']);
    expect(issuesOf(MarketplaceCatalogue, { ...good, pseRegistryUrl: 'http://pse.kominfo.go.id' })).toEqual([
      '$.pseRegistryUrl invalid_format',
    ]);
  });
});

describe('detections', () => {
  const detection = {
    ruleId: 'tiktok.cart',
    platform: 'tiktok',
    feature: 'cart',
    category: 'transaction',
    regulationIds: ['permendag-31-2023-pasal-21-3'],
    count: 2,
    evidence: 'Keranjang',
    firstSeen: 1,
    lastSeen: 2,
  };

  it('rejects over-long evidence, negative or fractional counts and unknown taxonomy', () => {
    expect(issuesOf(Detection, detection)).toEqual([]);
    expect(issuesOf(Detection, { ...detection, evidence: 'x'.repeat(MAX_EVIDENCE_LENGTH) })).toEqual([]);
    expect(issuesOf(Detection, { ...detection, evidence: 'x'.repeat(MAX_EVIDENCE_LENGTH + 1) })).toEqual([
      '$.evidence too_big',
    ]);
    expect(issuesOf(Detection, { ...detection, count: -1 })).toEqual(['$.count too_small']);
    expect(issuesOf(Detection, { ...detection, count: 1.5 })).toEqual(['$.count invalid_type']);
    expect(issuesOf(Detection, { ...detection, category: 'promo' })).toEqual(['$.category invalid_value']);
    expect(issuesOf(Detection, { ...detection, platform: 'myspace' })).toEqual(['$.platform invalid_value']);
  });

  it('accepts a tab report without a platform and rejects a non-integer tab id', () => {
    const report = { tabId: 3, url: 'https://example.com/', platform: null, detections: [detection], updatedAt: 5 };
    expect(issuesOf(TabReport, report)).toEqual([]);
    expect(issuesOf(TabReport, { ...report, tabId: 3.5 })).toEqual(['$.tabId invalid_type']);
    expect(issuesOf(TabReport, { ...report, platform: undefined })).toEqual(['$.platform invalid_value']);
  });
});

// ---------------------------------------------------------------------------------------------
// validate(): one readable line per problem
// ---------------------------------------------------------------------------------------------

describe('validate()', () => {
  /** file, optional rule "id", JSON path, message. */
  const LINE = /^(?<file>[^:\n]+): (?:rule "(?<rule>[^"\n]*)" )?(?<path>\$[^\s:]*): (?<message>[^\n]+)$/;

  it('returns the parsed value with defaults when the input is valid', () => {
    const result = validate(RulePack, goodPack(), 'packs/ok.json');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.rules[0].require).toBe('all');
  });

  it('names the file, the rule id and the JSON path of a bad flag', () => {
    const pack = withRule((r) => ((r.signals as Json[])[1].flags = 'g'));
    const result = validate(RulePack, pack, 'packs/x.json');
    expect(result).toEqual({
      ok: false,
      errors: [
        'packs/x.json: rule "tiktok.cart" $.rules[0].signals[1].flags: flags may be i, m, s and u, each at most once',
      ],
    });
  });

  it('gives one line per issue, each naming its own rule', () => {
    const bad = [
      { ...goodRule(), id: 'a.ok' },
      { ...goodRule(), id: 'b.platform', platform: 'myspace' },
      { ...goodRule(), id: 'c.pattern', signals: [{ kind: 'text', pattern: '(' }] },
      { ...goodRule(), id: 'd.selector', selector: '' },
    ];
    const input = { ...goodPack(bad), engine: 'one' };
    const result = validate(RulePack, input, 'packs/multi.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const parsed = RulePack.safeParse(input);
    expect(result.errors).toHaveLength(parsed.error!.issues.length);
    const lines = result.errors.map((e) => e.match(LINE)?.groups);
    expect(lines.every(Boolean)).toBe(true);
    expect(lines.map((g) => [g!.file, g!.rule, g!.path])).toEqual([
      ['packs/multi.json', undefined, '$.engine'],
      ['packs/multi.json', 'b.platform', '$.rules[1].platform'],
      ['packs/multi.json', 'c.pattern', '$.rules[2].signals[0].pattern'],
      ['packs/multi.json', 'd.selector', '$.rules[3].selector'],
    ]);
    expect(lines[2]!.message).toBe('pattern is not a valid regular expression');
  });

  it('leaves out the rule id when the rule has none, or for pack-level problems', () => {
    const noId = withRule((r) => delete r.id);
    expect(validate(RulePack, noId, 'p.json')).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^p\.json: \$\.rules\[0\]\.id: /)],
    });
    const engine = validate(RulePack, { ...goodPack(), engine: ENGINE_VERSION + 1 }, 'p.json');
    expect(engine).toEqual({
      ok: false,
      errors: [
        `p.json: $.engine: pack needs engine version ${ENGINE_VERSION + 1}, this extension has ${ENGINE_VERSION}`,
      ],
    });
    expect(validate(RulePack, null, 'p.json')).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^p\.json: \$: /)],
    });
  });

  it('uses "<input>" when no file is given', () => {
    const result = validate(RulePack, {}, undefined);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const line of result.errors) expect(line).toMatch(/^<input>: \$\.\w+: /);
  });

  it('names catalogue entries by id', () => {
    const bad = {
      version: '1',
      regulations: [goodRegulation(), { ...goodRegulation(), id: 'pp-x', status: 'active' }],
    };
    const result = validate(RegulationCatalogue, bad, 'rules/regulations.json');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([
        expect.stringMatching(/^rules\/regulations\.json: entry "pp-x" \$\.regulations\[1\]\.status: /),
      ]);
    const mp = validate(
      MarketplaceCatalogue,
      {
        version: '1',
        pseRegistryUrl: 'https://pse.komdigi.go.id/',
        marketplaces: [{ ...goodMarketplace(), searchUrl: 'https://a.id/' }],
        complaintChannels: [goodChannel()],
      },
      'm.json',
    );
    expect(mp.ok).toBe(false);
    if (!mp.ok)
      expect(mp.errors).toEqual(['m.json: entry "tokopedia" $.marketplaces[0].searchUrl: searchUrl must contain {q}']);
  });

  it('shortens an over-long id in the message', () => {
    const id = 'x'.repeat(500) + ' bad';
    const result = validate(
      RulePack,
      withRule((r) => (r.id = id)),
      'p.json',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toContain(`rule "${'x'.repeat(80)}" $.rules[0].id`);
      expect(result.errors[0].length).toBeLessThan(250);
    }
  });

  // Known gap, reported to the owner of rules/schema.ts: validate() prints the raw id of an
  // imported rule, so an id containing a newline splits one problem over two lines (and can
  // imitate another file's line). When validate() escapes the id, change `it.fails` to `it`.
  it('keeps one problem on one line even when a hostile rule id contains a newline', () => {
    const result = validate(
      RulePack,
      withRule((r) => (r.id = 'a"\nother.json: rule "b')),
      'p.json',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) for (const line of result.errors) expect(line).not.toContain('\n');
  });
});

// ---------------------------------------------------------------------------------------------
// lib/pattern-safety.ts
// ---------------------------------------------------------------------------------------------

describe('patternProblems', () => {
  it.each([
    ['(a+)+', /nested quantifier/],
    ['(a*)*b', /nested quantifier/],
    ['(\\w+\\s?)*$', /nested quantifier/],
    ['(x{2,})+', /nested quantifier/],
    ['^(beli|keranjang+)+$', /nested quantifier/],
    ['(a|a)*', /overlapping alternatives/],
    ['(ab|ab)+c', /overlapping alternatives/],
    ['(a)\\1', /backreferences and lookaround/],
    ['(a)(b)\\2', /backreferences and lookaround/],
    ['beli(?= sekarang)', /backreferences and lookaround/],
    ['beli(?! nanti)', /backreferences and lookaround/],
    ['(?<=Rp)\\d+', /backreferences and lookaround/],
    ['(?<!Rp)\\d+', /backreferences and lookaround/],
  ])('rejects %j', (source, problem) => {
    const problems = patternProblems(source);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(problem);
  });

  // re2js's translateRegExp turns the named backreference `\k<w>` into the literal text "k<w>",
  // so RE2 alone would accept it; patternProblems looks for it in the source.
  it('rejects the named backreference (?<w>a)\\k<w>', () => {
    expect(patternProblems('(?<w>a)\\k<w>').join('\n')).toMatch(/backreferences and lookaround/);
  });

  it('rejects a pattern longer than the schema allows, and only then for length', () => {
    expect(patternProblems('a'.repeat(MAX_PATTERN_LENGTH))).toEqual([]);
    expect(patternProblems('a'.repeat(MAX_PATTERN_LENGTH + 1))).toEqual([
      `longer than ${MAX_PATTERN_LENGTH} characters`,
    ]);
  });

  it.each([
    ['^https://(www\\.|m\\.)?tiktok\\.com/shop(/|\\?|$)', 'i'],
    ['^nav-shop$', undefined],
    ['\\b(keranjang|beli sekarang|checkout|add to cart)\\b', 'i'],
    ['^https?://(wa\\.me|api\\.whatsapp\\.com)/', undefined],
    ['Rp\\s?[\\d.]+', undefined],
    ['(tokopedia\\.link|shope\\.ee|lzd\\.co)/\\w+', 'i'],
    ['[a-z]{2,}\\d*', 'u'],
    ['^\\s*(bayar|pay)\\s*$', 'ims'],
    ['(?:ab)+', undefined],
  ])('accepts the ordinary pattern %j', (source, flags) => {
    expect(patternProblems(source, flags)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rule sources (provenance; optional for user packs, required for bundled rules by rules:check)
// ---------------------------------------------------------------------------------------------

describe('rule sources', () => {
  const source = (): Json => ({ kind: 'filter-list', ref: 'owner/list:filters/x.txt#L12', seen: '2024-02-04' });

  it('accepts a rule with sources and one without', () => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.sources = [source()])),
      ),
    ).toEqual([]);
    expect(Rule.parse(goodRule()).sources).toBeUndefined();
  });

  it.each([
    ['an unknown kind', { ...source(), kind: 'blog' }, '$.rules[0].sources[0].kind invalid_value'],
    ['an empty ref', { ...source(), ref: '' }, '$.rules[0].sources[0].ref too_small'],
    ['a seen that is not YYYY-MM-DD', { ...source(), seen: '4 Feb 2024' }, '$.rules[0].sources[0].seen invalid_format'],
    ['an unknown key', { ...source(), note: 'x' }, '$.rules[0].sources[0] unrecognized_keys'],
  ])('rejects a source with %s', (_what, bad, issue) => {
    expect(
      issuesOf(
        RulePack,
        withRule((r) => (r.sources = [bad])),
      ),
    ).toEqual([issue]);
  });
});
