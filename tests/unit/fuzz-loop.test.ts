/**
 * Fuzzing the detection loop: while it runs on a fixture page, the page mutates at random (adds
 * copies of its own subtrees, removes and moves elements, rewrites labels and watched attributes,
 * wraps elements), with slices of the loop running in between at random. The loop must never
 * throw, must finish in bounded time, must report every rule that a rescan of the final DOM finds,
 * and must report nothing that a rescan of some state of the page along the way would not find.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DetectionLoop, type LoopHost } from '@/entrypoints/content/detection-loop';
import { domSelectorCheck, compilePacks, summarize, type PageMatcher } from '@/lib/engine';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { readFixture } from '../../scripts/fixture-format';

const CASE_BUDGET_MS = 5_000;
const engine = compilePacks(loadBundledPacks(), { checkSelector: domSelectorCheck(document) });
const root = join(import.meta.dirname, '../fixtures');
const fixtures = readdirSync(root)
  .flatMap((platform) =>
    readdirSync(join(root, platform))
      .filter((f) => f.endsWith('.html'))
      .map((f) => readFixture(readFileSync(join(root, platform, f), 'utf8'))),
  )
  .filter((f) => !('error' in f)) as { url: string; html: string; expect: string[] }[];

const LABELS = ['Beli sekarang', 'Keranjang', 'Checkout', 'Shop | Batik tulis', 'Bayar', 'Lihat produk', 'halo', ''];
const HREFS = [
  'https://shopee.co.id/product/1/2',
  'https://www.tokopedia.com/toko/produk',
  'https://wa.me/6281234567890',
  'https://www.tiktok.com/shop',
  'https://example.com/',
  '/@user',
];
const ATTRIBUTES = ['href', 'aria-label', 'title', 'data-e2e', 'role', 'data-test-id'];

type Op =
  | { kind: 'clone'; from: number; to: number }
  | { kind: 'remove'; at: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'label'; at: number; label: string }
  | { kind: 'attr'; at: number; name: string; value: string }
  | { kind: 'wrap'; at: number }
  | { kind: 'run'; frames: number };

/** An element: any element of the body, or (odd numbers) one of the page's candidates. */
const index = fc.nat({ max: 10_000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('clone' as const), from: index, to: index }),
  fc.record({ kind: fc.constant('remove' as const), at: index }),
  fc.record({ kind: fc.constant('move' as const), from: index, to: index }),
  fc.record({ kind: fc.constant('label' as const), at: index, label: fc.constantFrom(...LABELS) }),
  fc.record({
    kind: fc.constant('attr' as const),
    at: index,
    name: fc.constantFrom(...ATTRIBUTES),
    value: fc.constantFrom(...HREFS, ...LABELS, 'product-anchor', 'nav-shop', 'button'),
  }),
  fc.record({ kind: fc.constant('wrap' as const), at: index }),
  fc.record({ kind: fc.constant('run' as const), frames: fc.integer({ min: 1, max: 3 }) }),
);

let candidates = '*';

/**
 * Elements of the body (never html, head or body themselves); odd indexes pick among the
 * matcher's candidates, so the changes land where rules look.
 */
function pick(doc: Document, i: number): Element | null {
  const pool = i % 2 === 1 ? doc.body.querySelectorAll(candidates) : doc.body.querySelectorAll('*');
  const all = pool.length > 0 ? pool : doc.body.querySelectorAll('*');
  return all.length === 0 ? null : all[Math.floor(i / 2) % all.length];
}

function apply(doc: Document, o: Op): void {
  switch (o.kind) {
    case 'clone': {
      const from = pick(doc, o.from);
      const to = pick(doc, o.to) ?? doc.body;
      if (from && !from.contains(to)) to.append(from.cloneNode(true));
      break;
    }
    case 'remove':
      pick(doc, o.at)?.remove();
      break;
    case 'move': {
      const from = pick(doc, o.from);
      const to = pick(doc, o.to) ?? doc.body;
      if (from && !from.contains(to)) to.prepend(from);
      break;
    }
    case 'label': {
      const el = pick(doc, o.at);
      if (el && el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') el.textContent = o.label;
      break;
    }
    case 'attr':
      pick(doc, o.at)?.setAttribute(o.name, o.value);
      break;
    case 'wrap': {
      const el = pick(doc, o.at);
      if (el?.parentNode) {
        const wrapper = doc.createElement('div');
        el.parentNode.insertBefore(wrapper, el);
        wrapper.append(el);
      }
      break;
    }
    case 'run':
      break;
  }
}

function harness(doc: Document) {
  let frames: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let next = 1;
  const reported = new Set<string>();
  const host: LoopHost = {
    doc,
    now: () => performance.now(),
    clock: () => Date.now(),
    isHidden: () => false,
    requestFrame: (cb) => frames.push(cb),
    setTimeout: (cb) => {
      timers.set(next, cb);
      return next++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    send: (changed, reset) => {
      if (reset) reported.clear();
      for (const d of changed) reported.add(d.ruleId);
    },
  };
  return {
    host,
    reported,
    step() {
      const f = frames;
      frames = [];
      const t = [...timers.values()];
      timers.clear();
      for (const cb of [...f, ...t]) cb();
      return f.length + t.length;
    },
  };
}

const ruleIds = (matcher: PageMatcher, doc: Document) =>
  new Set(summarize(matcher.scan(doc.documentElement)).map((d) => d.ruleId));
const delivered = () => new Promise((r) => setTimeout(r, 0));

describe('detection loop under random DOM churn', () => {
  it('never throws, stays bounded, misses nothing the final DOM shows, invents nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fixtures),
        fc.array(op, { minLength: 1, maxLength: 25 }),
        async (fixture, ops) => {
          const started = performance.now();
          const parsed = new DOMParser().parseFromString(fixture.html, 'text/html');
          document.documentElement.replaceChildren(
            ...[...parsed.documentElement.children].map((el) => document.importNode(el, true)),
          );
          const matcher = engine.forPage(fixture.url)!;
          candidates = matcher.selector || '*';
          const h = harness(document);
          const loop = new DetectionLoop(matcher, h.host);
          const seen = ruleIds(matcher, document);
          try {
            loop.start();
            for (const o of ops) {
              if (o.kind === 'run') {
                await delivered();
                for (let i = 0; i < o.frames; i++) h.step();
              } else {
                apply(document, o);
                for (const id of ruleIds(matcher, document)) seen.add(id);
              }
            }
            await delivered();
            for (let guard = 0; h.step() > 0; guard++) {
              expect(guard).toBeLessThan(10_000);
              await delivered();
            }
            const final = ruleIds(matcher, document);
            for (const id of final) expect(h.reported, `missed ${id}`).toContain(id);
            for (const id of h.reported) expect(seen, `reported ${id}, never on the page`).toContain(id);
            expect(performance.now() - started).toBeLessThan(CASE_BUDGET_MS);
          } finally {
            loop.stop();
          }
        },
      ),
      { numRuns: 300, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
  }, 120_000);
});
