/**
 * Fuzzing the rule engine, because user packs and pages are both untrusted: the bundled packs plus arbitrary valid user packs, run over
 * 5,000 arbitrary DOM trees (odd tags, attributes full of markup, script payloads and huge values,
 * deep nesting, raw HTML through the parser), never throw, never hang, and produce detections
 * that keep the contract (evidence at most MAX_EVIDENCE_LENGTH characters, known rule ids).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Detection,
  FEATURE_IDS,
  MAX_EVIDENCE_LENGTH,
  PLATFORM_IDS,
  RulePack,
  type RulePack as RulePackType,
} from '@/rules/schema';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { DetectionTracker, domSelectorCheck, compilePacks } from '@/lib/engine';
import { checkPack } from '@/lib/pack-check';

/** Longest one generated case may take: far above a normal case (a few ms) even on a loaded CI box,
 * far below what a hang (exponential backtracking, an endless loop) would take. */
const CASE_BUDGET_MS = 5_000;
const ATTRS_FOR_RULES = ['data-e2e', 'aria-label', 'href', 'title', 'data-icon'];

const bundled = loadBundledPacks();
const hosts = bundled.flatMap((p) => p.platforms.flatMap((q) => q.hosts));

// ---------------------------------------------------------------------------------------------
// Arbitrary user packs: schema-valid, with every platform, feature and signal kind
// ---------------------------------------------------------------------------------------------

const pattern = fc.constantFrom(
  '^beli',
  'keranjang|cart',
  'checkout',
  '^https://',
  'shop',
  '^nav-',
  'Rp\\s?\\d+',
  '^/shop',
  'produk.*harga',
);
const signal = fc.oneof(
  fc.record({ kind: fc.constantFrom('text', 'link', 'page'), pattern, flags: fc.constantFrom('i', 'iu', 'ims') }),
  fc.record({ kind: fc.constant('attr'), name: fc.constantFrom(...ATTRS_FOR_RULES), pattern }),
  fc.record({ kind: fc.constant('has'), selector: fc.constantFrom('a', 'svg', '[data-e2e]', 'img[alt]', 'script') }),
);
const rule = fc.record({
  id: fc.stringMatching(/^user[.-][a-z0-9]{1,8}$/),
  platform: fc.constantFrom(...PLATFORM_IDS),
  feature: fc.constantFrom(...FEATURE_IDS),
  regulationIds: fc.constant(['permendag-31-2023-pasal-21-3']),
  selector: fc.constantFrom('button', 'a[href]', 'div', '[data-e2e]', 'script', '*', 'li > a', ':is(span, p)'),
  signals: fc.array(signal, { minLength: 1, maxLength: 4 }),
  require: fc.constantFrom('all', 'any', 1),
  exclude: fc.array(signal, { maxLength: 2 }),
  evidence: fc.constantFrom('label', 'link'),
});
const validPack = fc.record({
  name: fc.constant('fuzz'),
  version: fc.constant('1.0.0'),
  engine: fc.constant(1),
  rules: fc.uniqueArray(rule, { minLength: 1, maxLength: 6, selector: (r) => r.id }),
});

// ---------------------------------------------------------------------------------------------
// Arbitrary pages
// ---------------------------------------------------------------------------------------------

const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "javascript:alert('x')",
  '{{constructor.constructor("alert(1)")()}}',
  '\u202e\u0000\ud800',
  '<svg/onload=alert(1)>',
  'Beli sekarang',
  'Keranjang',
  'Checkout',
  'Rp 150.000',
  'https://www.tokopedia.com/toko/produk',
  'https://l.facebook.com/l.php?u=https%3A%2F%2Fshopee.co.id%2Fx',
  'https://www.tiktok.com/shop',
  'https://wa.me/6281234567890',
  '/shop',
];
const TAGS = [
  'div',
  'span',
  'a',
  'button',
  'img',
  'section',
  'li',
  'ul',
  'p',
  'svg',
  'script',
  'template',
  'video',
  'input',
  'x-custom',
];
const ATTRS = [
  'href',
  'class',
  'id',
  'aria-label',
  'aria-labelledby',
  'title',
  'alt',
  'data-e2e',
  'data-testid',
  'data-icon',
  'role',
  'srcset',
  'type',
  'placeholder',
  'style',
];

const text = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constant('Beli '.repeat(1_000)) }, // far past every length cap
);

type NodeSpec = { tag: string; attrs: [string, string][]; text: string; children: NodeSpec[] };
/** A tree up to `depth` levels deep (deeper nesting comes from the raw HTML and the long chains below). */
function nodeAt(depth: number): fc.Arbitrary<NodeSpec> {
  return fc.record({
    tag: fc.constantFrom(...TAGS),
    attrs: fc.array(fc.tuple(fc.constantFrom(...ATTRS), text), { maxLength: 3 }),
    text,
    children: depth > 0 ? fc.array(nodeAt(depth - 1), { maxLength: 3 }) : fc.constant([]),
  });
}
const node = nodeAt(3);
/** A chain of nested wrappers (some platforms nest 30+ divs around a button). */
const chain = fc.record({ depth: fc.integer({ min: 1, max: 40 }), leaf: nodeAt(1) }).map(({ depth, leaf }) => {
  let spec: NodeSpec = leaf;
  for (let i = 0; i < depth; i++) spec = { tag: 'div', attrs: [], text: '', children: [spec] };
  return spec;
});

function build(doc: Document, spec: NodeSpec, depth = 0): Element {
  const el = doc.createElement(spec.tag);
  for (const [name, value] of spec.attrs) el.setAttribute(name, value);
  if (spec.text) el.append(spec.text);
  for (const child of spec.children) el.append(build(doc, child, depth + 1));
  return el;
}

const page = fc.record({
  host: fc.constantFrom(...hosts),
  path: fc.constantFrom(
    '/',
    '/shop',
    '/@toko/video/7300000000000000001',
    '/marketplace/item/1',
    '/pin/1/',
    '/p/abc/',
    '/watch?v=x',
  ),
  trees: fc.array(fc.oneof({ weight: 4, arbitrary: node }, { weight: 1, arbitrary: chain }), {
    minLength: 1,
    maxLength: 3,
  }),
  html: fc.option(
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            ...PAYLOADS,
            '<a href="/shop">',
            '</a>',
            '<button>',
            '<div data-e2e="nav-shop">',
            '<script type="application/json">{"anchors":[{"type":"product"}]}</script>',
          ),
          fc.string({ maxLength: 10 }),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join('')),
    { nil: undefined },
  ),
});

const checkSelector = domSelectorCheck(document);
const bundledEngine = compilePacks(bundled, { checkSelector });

afterEach(() => {
  document.body.replaceChildren();
});

describe('the engine on arbitrary pages and packs', () => {
  it('never throws or hangs on 5,000 arbitrary DOM trees with the bundled and random user packs', () => {
    let slowest = 0;
    let detections = 0;
    fc.assert(
      fc.property(
        page,
        fc.option(fc.array(validPack, { minLength: 1, maxLength: 2 }), { freq: 3, nil: [] }),
        (p, userPacks) => {
          const packs: RulePackType[] = [...bundled];
          userPacks.forEach((raw, i) => {
            const checked = checkPack({ ...raw, name: `fuzz-${i}` });
            if (checked.ok) packs.push(checked.pack);
          });
          const t0 = performance.now();
          const engine = packs.length === bundled.length ? bundledEngine : compilePacks(packs, { checkSelector });
          const root = document.createElement('main');
          for (const tree of p.trees) root.append(build(document, tree));
          if (p.html !== undefined) {
            const extra = document.createElement('div');
            extra.innerHTML = p.html; // the page's own markup, through the parser
            root.append(extra);
          }
          document.body.replaceChildren(root);
          const matcher = engine.forPage(`https://${p.host}${p.path}`);
          expect(matcher).not.toBeNull();
          const hits = matcher!.scan(document.body);
          const tracker = new DetectionTracker();
          const found = tracker.add(hits, 1);
          const ms = performance.now() - t0;
          slowest = Math.max(slowest, ms);
          expect(ms).toBeLessThan(CASE_BUDGET_MS);
          const ruleIds = new Set(engine.rules.map((r) => r.rule.id));
          for (const d of found) {
            expect(Detection.safeParse(d).success).toBe(true);
            expect(d.evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE_LENGTH);
            expect(ruleIds.has(d.ruleId)).toBe(true);
          }
          detections += found.length;
        },
      ),
      { numRuns: 5_000 },
    );
    // The generator reaches the rules: some pages do get detections.
    expect(detections).toBeGreaterThan(100);
    expect(slowest).toBeLessThan(CASE_BUDGET_MS);
  }, 240_000);

  it('keeps going when user packs carry selectors the browser rejects (1,000 packs)', () => {
    fc.assert(
      fc.property(validPack, fc.string({ minLength: 1, maxLength: 30 }), (raw, selector) => {
        const checked = RulePack.safeParse({ ...raw, rules: raw.rules.map((r) => ({ ...r, selector })) });
        if (!checked.success) return;
        const engine = compilePacks([...bundled, checked.data], { checkSelector });
        // A selector that does not parse becomes a compile problem of that rule, never an exception.
        for (const problem of engine.problems) expect(typeof problem.message).toBe('string');
        document.body.innerHTML = '<main><a href="/shop">Shop</a><button>Beli</button></main>';
        for (const host of hosts) expect(() => engine.forPage(`https://${host}/`)?.scan(document.body)).not.toThrow();
      }),
      { numRuns: 1_000 },
    );
  }, 60_000);
});
