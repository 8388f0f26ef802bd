/**
 * The seller audit document (lib/audit-document.ts): what it holds for a page with findings, a
 * clean page and another site; grouping, advice, citations and caveats; that every document it
 * builds passes the `lensa-niaga.audit` v1 schema (also for generated tab reports, and with the
 * real catalogues and every bundled rule); what the schema rejects; and the report's strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '@/lib/format';
import {
  ADVICE_STEPS,
  AUDIT_SCHEMA_NAME,
  AUDIT_SCHEMA_VERSION,
  AuditAdvice,
  AuditFinding,
  AuditRegulationRef,
  AuditReport,
  AuditScreenshot,
  SCREENSHOT_MAX_HEIGHT,
  SCREENSHOT_MAX_WIDTH,
  auditFileName,
  auditJson,
  buildAuditReport,
  fitWithin,
  type AuditInput,
  type AuditText,
  type PackInfo,
} from '@/lib/audit-document';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { getMarketplaces, getRegulations, regulationById } from '@/utils/catalogues';
import {
  CATEGORY_IDS,
  FEATURE_IDS,
  MAX_EVIDENCE_LENGTH,
  PLATFORM_IDS,
  categoryOf,
  type Detection,
  type TabReport,
} from '@/rules/schema';
import { localeId } from '@/utils/taxonomy-labels';
import { localeMessages, message } from '../helpers/fake-i18n';
import { detection, tabReport, testLookup, testMarketplaces, testRegulations } from '../helpers/popup-data';

/** Strings that say where they came from, so tests can see which text went where. */
const text: AuditText = {
  feature: (f) => `feature:${f}`,
  category: (c) => `category:${c}`,
  severity: (s) => `severity:${s}`,
  explanation: (e) => `explain:${e}`,
  advice: (step) => `advice:${step}`,
  notice: () => 'notice',
};

const packs: PackInfo[] = [
  {
    name: 'lensa-niaga/tiktok',
    version: '2026.11.23',
    source: 'bundled',
    rules: [{ id: 'tiktok.checkout' }, { id: 'tiktok.shop-tab' }],
  },
  {
    name: 'my-pack',
    version: '1.0.0',
    source: 'user',
    rules: [{ id: 'mine.cross-border' }, { id: 'tiktok.checkout' }],
  },
];

const NOW = Date.UTC(2026, 10, 23, 3, 15, 0); // 10:15 in Jakarta

function input(report: TabReport, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    report,
    lookup: testLookup,
    marketplaces: testMarketplaces,
    regulationsVersion: testRegulations.version,
    extension: { name: 'Lensa Niaga', version: '0.1.0' },
    rulePacks: packs,
    now: NOW,
    timeZone: 'Asia/Jakarta',
    language: 'id',
    text,
    ...overrides,
  };
}

const storefront = tabReport({
  url: 'https://www.tiktok.com/@tokobatik?tab=shop',
  updatedAt: NOW - 60_000,
  detections: [
    detection('marketplace-link', {
      ruleId: 'tiktok.marketplace-link',
      evidence: 'tokopedia.com/tokobatik',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
    }),
    detection('shop-tab', {
      ruleId: 'tiktok.shop-tab',
      count: 2,
      evidence: 'Shop',
      regulationIds: ['permendag-31-2023-pasal-1-17', 'event-tiktok-tokopedia-2023'],
    }),
    detection('cross-border-offer', {
      ruleId: 'mine.cross-border',
      count: 4,
      evidence: 'Dikirim dari luar negeri',
      regulationIds: ['permendag-31-2023-pasal-19-2', 'no-such-entry'],
    }),
    detection('checkout', {
      ruleId: 'tiktok.checkout',
      count: 3,
      evidence: '<img src=x onerror=alert(1)> Beli sekarang',
      regulationIds: ['permendag-31-2023-pasal-21-3', 'permendag-31-2023-pasal-1-17', 'test-unverified-claim'],
    }),
  ],
});

describe('a storefront with findings', () => {
  const doc = buildAuditReport(input(storefront));

  it('passes its own schema and names it', () => {
    expect(AuditReport.safeParse(doc).success).toBe(true);
    expect(doc).toMatchObject({ schema: 'lensa-niaga.audit', version: 1, language: 'id', timeZone: 'Asia/Jakarta' });
    expect(AUDIT_SCHEMA_NAME).toBe('lensa-niaga.audit');
    expect(AUDIT_SCHEMA_VERSION).toBe(1);
  });

  it('says what page, when, and with which versions', () => {
    expect(doc.generatedAt).toBe('2026-11-23T03:15:00.000Z');
    expect(doc.page).toEqual({
      url: 'https://www.tiktok.com/@tokobatik?tab=shop',
      host: 'www.tiktok.com',
      platform: 'tiktok',
      platformName: 'TikTok',
      state: 'found',
      observedAt: '2026-11-23T03:14:00.000Z',
    });
    expect(doc.extension).toEqual({ name: 'Lensa Niaga', version: '0.1.0' });
    expect(doc.rulePacks).toEqual([
      { name: 'lensa-niaga/tiktok', version: '2026.11.23', source: 'bundled' },
      { name: 'my-pack', version: '1.0.0', source: 'user' },
    ]);
    expect(doc.catalogues).toEqual({ regulations: 'test', marketplaces: 'test' });
  });

  it('lists findings transaction first, then offers, then link-outs, each from the pack that has its rule', () => {
    expect(doc.findings.map((f) => [f.category, f.ruleId, f.rulePack])).toEqual([
      ['transaction', 'tiktok.checkout', 'lensa-niaga/tiktok'],
      ['offer', 'tiktok.shop-tab', 'lensa-niaga/tiktok'],
      ['offer', 'mine.cross-border', 'my-pack'],
      ['link-out', 'tiktok.marketplace-link', null],
    ]);
  });

  it('carries each finding as the page reported it, with labels in the report language', () => {
    const checkout = doc.findings[0];
    expect(checkout).toMatchObject({
      platform: 'tiktok',
      feature: 'checkout',
      featureLabel: 'feature:checkout',
      categoryLabel: 'category:transaction',
      severity: 'concern',
      severityLabel: 'severity:concern',
      count: 3,
      explanation: 'explain:transaction',
    });
    // Evidence is data: kept verbatim here, rendered as text by the page.
    expect(checkout.evidence).toBe('<img src=x onerror=alert(1)> Beli sekarang');
    expect(doc.findings[2].explanation).toBe('explain:cross-border-offer');
    expect(doc.findings[3].severity).toBe('info');
  });

  it('counts findings and elements per category, and the findings that need the seller to act', () => {
    expect(doc.summary.categories).toEqual([
      { category: 'transaction', label: 'category:transaction', findings: 1, elements: 3 },
      { category: 'offer', label: 'category:offer', findings: 2, elements: 6 },
      { category: 'link-out', label: 'category:link-out', findings: 1, elements: 1 },
    ]);
    expect(doc.summary).toMatchObject({ findings: 4, elements: 10, needsAction: 2 });
  });

  it('gives advice to transaction and cross-border findings only, in the fixed steps', () => {
    const advice = Object.fromEntries(doc.findings.map((f) => [f.ruleId, f.advice]));
    expect(advice['tiktok.checkout']).toEqual({
      kind: 'transaction',
      steps: ADVICE_STEPS.transaction.map((id) => ({ id, text: `advice:${id}` })),
    });
    expect(advice['mine.cross-border']?.kind).toBe('cross-border-offer');
    expect(advice['mine.cross-border']?.steps.map((s) => s.id)).toEqual([...ADVICE_STEPS['cross-border-offer']]);
    expect(advice['tiktok.shop-tab']).toBeNull();
    expect(advice['tiktok.marketplace-link']).toBeNull();
    // Both kinds point the seller to a registered marketplace, and the document lists them.
    expect(ADVICE_STEPS.transaction).toContain('marketplace');
    expect(ADVICE_STEPS['cross-border-offer']).toContain('marketplace');
    expect(doc.marketplaces?.registryUrl).toBe('https://pse.komdigi.go.id/');
    expect(doc.marketplaces?.items.map((m) => [m.name, m.verifiedOn])).toEqual([
      ['Tokopedia', '2026-11-23'],
      ['Blibli', '2026-11-22'],
    ]);
  });

  it('cites each regulation with citation, status and last-verified date; caveats once per finding', () => {
    const refs = doc.findings[0].regulations;
    expect(refs.map((r) => r.id)).toEqual([
      'permendag-31-2023-pasal-21-3',
      'permendag-31-2023-pasal-1-17',
      'test-unverified-claim',
    ]);
    expect(refs[0]).toEqual({
      id: 'permendag-31-2023-pasal-21-3',
      known: true,
      title: 'Social commerce tidak boleh menangani pembayaran',
      citation: 'Permendag No. 31 Tahun 2023, Pasal 21 ayat (3)',
      status: 'in-force',
      lastVerified: '2026-11-23',
      hedged: false,
      caveatIds: ['permendag-19-2026'],
    });
    // Two articles of 31/2023 share the caveat "may have been replaced": said once.
    expect(refs[1].caveatIds).toEqual([]);
    expect(refs[2]).toMatchObject({ status: 'unverified', hedged: true });
  });

  it('keeps a regulation id the catalogue does not know, marked unknown', () => {
    const ref = doc.findings[2].regulations.find((r) => r.id === 'no-such-entry');
    expect(ref).toEqual({
      id: 'no-such-entry',
      known: false,
      title: null,
      citation: null,
      status: null,
      lastVerified: null,
      hedged: false,
      caveatIds: [],
    });
    expect(doc.regulations.some((r) => r.id === 'no-such-entry')).toBe(false);
  });

  it('on the platform’s own pages the TikTok–Tokopedia arrangement is cited where a rule cites it', () => {
    expect(doc.context).toEqual([]);
    expect(doc.findings.find((f) => f.ruleId === 'tiktok.shop-tab')!.regulations.map((r) => r.id)).toContain(
      'event-tiktok-tokopedia-2023',
    );
  });

  it('copies every cited catalogue entry once, in both languages, caveats included', () => {
    expect(doc.regulations.map((r) => r.id)).toEqual([
      'permendag-31-2023-pasal-21-3',
      'permendag-19-2026',
      'permendag-31-2023-pasal-1-17',
      'test-unverified-claim',
      'event-tiktok-tokopedia-2023',
      'permendag-31-2023-pasal-19-2',
    ]);
    for (const r of doc.regulations) expect(r).toEqual(testLookup(r.id));
    expect(doc.regulations[0].title).toEqual({
      id: 'Social commerce tidak boleh menangani pembayaran',
      en: 'Social commerce may not handle payments',
    });
  });

  it('on a page a registered marketplace runs, its transactions are information, with the arrangement once', () => {
    const runBy = buildAuditReport(
      input({ ...storefront, url: 'https://shop-id.tokopedia.com/pdp/kemeja-batik/1729384756001234567' }),
    );
    expect(AuditReport.safeParse(runBy).success).toBe(true);
    expect(runBy.context.map((c) => c.id)).toEqual(['event-tiktok-tokopedia-2023']);
    for (const f of runBy.findings) expect(f.regulations.map((r) => r.id)).not.toContain('event-tiktok-tokopedia-2023');
    const checkout = runBy.findings.find((f) => f.ruleId === 'tiktok.checkout')!;
    expect(checkout).toMatchObject({
      severity: 'info',
      severityLabel: 'severity:info',
      explanation: 'explain:marketplace-transaction',
      advice: null,
    });
    // The cross-border offer still gets its advice; nothing else needs the seller to act.
    expect(runBy.summary.needsAction).toBe(1);
    expect(runBy.regulations.map((r) => r.id)).toContain('event-tiktok-tokopedia-2023');
  });

  it('uses the catalogue titles of the report language', () => {
    const en = buildAuditReport(input(storefront, { language: 'en' }));
    expect(en.language).toBe('en');
    expect(en.findings[0].regulations[0].title).toBe('Social commerce may not handle payments');
  });

  it('is the same document for the same input, and survives a JSON round trip', () => {
    expect(buildAuditReport(input(storefront))).toEqual(doc);
    const json = auditJson(doc);
    expect(json.endsWith('\n')).toBe(true);
    expect(AuditReport.parse(JSON.parse(json))).toEqual(doc);
  });
});

describe('pages without findings', () => {
  it('a clean platform page: no findings, zero counts, nothing to act on', () => {
    const doc = buildAuditReport(input(tabReport({ url: 'https://www.tiktok.com/@resep', updatedAt: NOW })));
    expect(AuditReport.safeParse(doc).success).toBe(true);
    expect(doc.page).toMatchObject({ state: 'clean', platform: 'tiktok', platformName: 'TikTok' });
    expect(doc.findings).toEqual([]);
    expect(doc.context).toEqual([]);
    expect(doc.regulations).toEqual([]);
    expect(doc.summary).toEqual({
      findings: 0,
      elements: 0,
      needsAction: 0,
      categories: CATEGORY_IDS.map((c) => ({ category: c, label: `category:${c}`, findings: 0, elements: 0 })),
    });
  });

  it('another site: no platform; a tab never seen has no check time', () => {
    const doc = buildAuditReport(input(tabReport({ url: '', platform: null, updatedAt: 0 })));
    expect(AuditReport.safeParse(doc).success).toBe(true);
    expect(doc.page).toEqual({
      url: '',
      host: '',
      platform: null,
      platformName: null,
      state: 'other-site',
      observedAt: null,
    });
  });

  it('without a marketplace catalogue the document lists none', () => {
    const doc = buildAuditReport(input(storefront, { marketplaces: null }));
    expect(doc.marketplaces).toBeNull();
    expect(doc.catalogues.marketplaces).toBeNull();
    expect(AuditReport.safeParse(doc).success).toBe(true);
  });
});

describe('screenshot', () => {
  const shot = {
    mediaType: 'image/jpeg' as const,
    width: 640,
    height: 450,
    capturedAt: '2026-11-23T03:15:10.000Z',
    dataUrl: 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==',
  };

  it('is carried when the user added one, and absent otherwise', () => {
    expect(buildAuditReport(input(storefront)).screenshot).toBeNull();
    const doc = buildAuditReport(input(storefront, { screenshot: shot }));
    expect(doc.screenshot).toEqual(shot);
    expect(AuditReport.safeParse(doc).success).toBe(true);
  });

  it('must be a small JPEG data URL', () => {
    const bad = [
      { ...shot, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
      { ...shot, dataUrl: 'https://example.org/shot.jpg' },
      { ...shot, width: SCREENSHOT_MAX_WIDTH + 1 },
      { ...shot, height: 0 },
    ];
    for (const screenshot of bad) {
      expect(AuditReport.safeParse(buildAuditReport(input(storefront, { screenshot }))).success).toBe(false);
    }
  });

  it('is scaled to fit, keeping proportions, never enlarged', () => {
    expect(fitWithin(1280, 900)).toEqual({ width: 640, height: 450 });
    expect(fitWithin(800, 2000)).toEqual({ width: 256, height: SCREENSHOT_MAX_HEIGHT });
    expect(fitWithin(300, 200)).toEqual({ width: 300, height: 200 });
    expect(fitWithin(0, 100)).toEqual({ width: 1, height: 1 });
  });
});

describe('the schema', () => {
  const doc = buildAuditReport(input(storefront));
  const broken: [string, unknown][] = [
    ['another schema name', { ...doc, schema: 'lensa-niaga.detections' }],
    ['a later version', { ...doc, version: 2 }],
    ['an unknown field', { ...doc, extra: true }],
    ['no notice', { ...doc, notice: '' }],
    ['a time that is not ISO 8601', { ...doc, generatedAt: '23/11/2026' }],
    ['an unknown feature', { ...doc, findings: [{ ...doc.findings[0], feature: 'teleport' }] }],
    ['a negative count', { ...doc, findings: [{ ...doc.findings[0], count: -1 }] }],
    [
      'evidence over the limit',
      { ...doc, findings: [{ ...doc.findings[0], evidence: 'x'.repeat(MAX_EVIDENCE_LENGTH + 1) }] },
    ],
    [
      'advice without steps',
      { ...doc, findings: [{ ...doc.findings[0], advice: { kind: 'transaction', steps: [] } }] },
    ],
    [
      'a regulation entry without its source',
      { ...doc, regulations: [{ ...doc.regulations[0], sourceUrl: undefined }] },
    ],
    ['an unknown platform', { ...doc, page: { ...doc.page, platform: 'myspace' } }],
  ];
  it.each(broken)('rejects %s', (_, value) => {
    expect(AuditReport.safeParse(value).success).toBe(false);
  });
});

describe('any tab report gives a valid document', () => {
  const ids = [...testRegulations.regulations.map((r) => r.id), 'unknown-id'];
  const arbDetection: fc.Arbitrary<Detection> = fc
    .record({
      feature: fc.constantFrom(...FEATURE_IDS),
      platform: fc.constantFrom(...PLATFORM_IDS),
      count: fc.nat({ max: 500 }),
      evidence: fc.string({ maxLength: MAX_EVIDENCE_LENGTH }),
      regulationIds: fc.array(fc.constantFrom(...ids), { maxLength: 4 }),
    })
    .map((d) => detection(d.feature, { ...d, category: categoryOf(d.feature), ruleId: `${d.platform}.${d.feature}` }));
  const arbReport = fc
    .tuple(fc.constantFrom(...PLATFORM_IDS), fc.uniqueArray(arbDetection, { selector: (d) => d.ruleId, maxLength: 12 }))
    .map(([platform, detections]) => tabReport({ platform, detections }));

  it('validates, keeps every detection, and advises exactly the transaction and cross-border ones', () => {
    fc.assert(
      fc.property(arbReport, fc.constantFrom('id' as const, 'en' as const), (report, language) => {
        const doc = buildAuditReport(input(report, { language }));
        expect(AuditReport.safeParse(doc).success).toBe(true);
        expect(doc.findings.map((f) => f.ruleId).sort()).toEqual(report.detections.map((d) => d.ruleId).sort());
        expect(doc.summary.elements).toBe(report.detections.reduce((n, d) => n + d.count, 0));
        const order = doc.findings.map((f) => CATEGORY_IDS.indexOf(f.category));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        for (const f of doc.findings) {
          const wants = f.category === 'transaction' || f.feature === 'cross-border-offer';
          expect(f.advice !== null).toBe(wants);
        }
        expect(doc.summary.needsAction).toBe(doc.findings.filter((f) => f.advice).length);
        const cited = new Set(doc.regulations.map((r) => r.id));
        expect(cited.size).toBe(doc.regulations.length);
        for (const f of doc.findings) {
          for (const r of f.regulations) {
            expect(cited.has(r.id)).toBe(r.known);
            for (const c of r.caveatIds) expect(cited.has(c)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('with the bundled catalogues and rule packs', () => {
  it('a finding for every bundled rule cites only catalogue entries, and the document validates', () => {
    const bundled = loadBundledPacks();
    const rules = bundled.flatMap((p) => p.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const platform of PLATFORM_IDS) {
      const own = rules.filter((r) => r.platform === platform);
      if (own.length === 0) continue;
      const report = tabReport({
        platform,
        url: `https://example.${platform}/`,
        detections: own.map((r) =>
          detection(r.feature, {
            ruleId: r.id,
            platform,
            regulationIds: r.regulationIds,
            evidence: r.description?.id ?? 'x',
          }),
        ),
      });
      const doc = buildAuditReport(
        input(report, {
          lookup: regulationById,
          marketplaces: getMarketplaces(),
          regulationsVersion: getRegulations().version,
          rulePacks: bundled.map((p) => ({ ...p, source: 'bundled' as const })),
        }),
      );
      expect(AuditReport.safeParse(doc).success).toBe(true);
      expect(doc.findings.filter((f) => f.rulePack === null)).toEqual([]);
      const unknown = doc.findings.flatMap((f) =>
        f.regulations.filter((r) => !r.known).map((r) => `${f.ruleId} → ${r.id}`),
      );
      expect(unknown).toEqual([]);
      // Transactions cite the payment ban of Pasal 21(3).
      for (const f of doc.findings.filter((x) => x.category === 'transaction')) {
        expect(f.regulations.map((r) => r.id)).toContain('permendag-31-2023-pasal-21-3');
      }
    }
  });
});

describe('file name and times', () => {
  it('names the download after the platform, host and time, with safe characters only', () => {
    const doc = buildAuditReport(input(storefront));
    expect(auditFileName(doc)).toBe('lensa-niaga-audit-tiktok-www.tiktok.com-20261123-0315.json');
    const odd = buildAuditReport(input(tabReport({ url: 'https://../\\evil:host/', platform: null })));
    expect(auditFileName(odd)).toMatch(/^lensa-niaga-audit-page(-[a-z0-9.-]+)?-20261123-0315\.json$/);
    expect(auditFileName(odd)).not.toMatch(/[/\\:]/);
  });

  it('shows times in the report language and time zone', () => {
    const id = formatDateTime('2026-11-23T03:15:00.000Z', 'id', 'Asia/Jakarta');
    expect(id).toContain('2026');
    expect(id).toMatch(/November/);
    expect(id).toMatch(/10[.:]15/);
    expect(id).toContain('WIB');
    const en = formatDateTime('2026-11-23T03:15:00.000Z', 'en', 'UTC');
    expect(en).toMatch(/November 23, 2026/);
    expect(en).toMatch(/3:15/);
    // An unknown zone falls back to UTC instead of throwing; a non-date is shown as it is.
    expect(formatDateTime('2026-11-23T03:15:00.000Z', 'en', 'Nowhere/Atlantis')).toBe(en);
    expect(formatDateTime('not a date', 'en', 'UTC')).toBe('not a date');
  });
});

describe('report strings (locales/*.yml, `report.*`)', () => {
  const own = (locale: 'id' | 'en') =>
    Object.fromEntries(Object.entries(localeMessages(locale)).filter(([name]) => name.startsWith('report_')));
  const subs = (t: string) => [...t.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((m) => m[1]).sort();

  it('has the same keys, substitutions and plural forms in Indonesian and English, translated', () => {
    const id = own('id');
    const en = own('en');
    expect(Object.keys(id).length).toBeGreaterThan(40);
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const name of Object.keys(id)) {
      expect([name, subs(en[name])]).toEqual([name, subs(id[name])]);
      expect([name, en[name].split(' | ').length]).toEqual([name, id[name].split(' | ').length]);
      if (id[name].split(' ').length >= 3) expect([name, en[name]]).not.toEqual([name, id[name]]);
    }
  });

  it('has every advice step, and the popup names for every feature and category the report uses', () => {
    const steps = new Set(Object.values(ADVICE_STEPS).flat());
    for (const locale of ['id', 'en'] as const) {
      for (const step of steps) {
        const key = `report.advice.${step.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`;
        expect(message(locale, key).length).toBeGreaterThan(20);
      }
      for (const f of FEATURE_IDS) expect(message(locale, `feature.${localeId(f)}`)).not.toBe('');
      for (const c of CATEGORY_IDS) expect(message(locale, `category.${localeId(c)}`)).not.toBe('');
    }
    expect(message('id', 'report.advice.priceFloor')).toContain('USD 100');
    expect(message('en', 'report.advice.platform')).toContain('21(3)');
    expect(message('en', 'report.actions.print')).toBe('Print / Save as PDF');
    expect(message('id', 'report.actions.json')).toBe('Unduh JSON');
  });
});

describe('README, "Seller audit JSON (lensa-niaga.audit v1)"', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('## Seller audit JSON (lensa-niaga.audit v1)');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  // Every name in backticks, and each part of a path such as `findings[].regulations[].id`.
  const documented = new Set([...section.matchAll(/`([^`]+)`/g)].flatMap((m) => m[1].split(/[^\w-]+/).filter(Boolean)));
  const keys = (schema: { def: { shape: Record<string, unknown> } }) => Object.keys(schema.def.shape);

  it('exists', () => {
    expect(start).toBeGreaterThan(0);
  });

  it('names every field of the document, its findings, references, advice and screenshot', () => {
    const fields = [
      ...keys(AuditReport),
      ...keys(AuditReport.def.shape.page as never),
      ...keys(AuditReport.def.shape.summary as never),
      ...keys(AuditFinding),
      ...keys(AuditRegulationRef),
      ...keys(AuditAdvice),
      ...keys(AuditScreenshot),
    ];
    expect(fields.length).toBeGreaterThan(50);
    expect(fields.filter((f) => !documented.has(f))).toEqual([]);
  });

  it('lists every advice step id', () => {
    for (const step of new Set(Object.values(ADVICE_STEPS).flat())) expect(section).toContain(`\`${step}\``);
  });
});
