/**
 * What the end-to-end suites expect, shared by the Chromium suite (tests/e2e, Playwright) and the
 * Firefox suite (tests/e2e-firefox, puppeteer-core): the bundled rules' features and packs, the
 * regulation citations, the UI strings of a build, how fixtures are picked for a scenario, and
 * the hostile inputs. Browser-neutral: no driver is imported here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { categoryOf, type FeatureKind, type RegulationCatalogue, type TabReport } from '../../rules/schema';
import type { RoutedPage } from '../../scripts/fixture-pages';

const ROOT = join(import.meta.dirname, '../..');

/** Feature of every bundled rule, and every bundled pack's name and version, read from the packs. */
export const featureOf = new Map<string, FeatureKind>();
export const packs: { name: string; version: string }[] = [];
for (const f of readdirSync(join(ROOT, 'rules/platforms')).sort()) {
  const pack = JSON.parse(readFileSync(join(ROOT, 'rules/platforms', f), 'utf8'));
  packs.push({ name: pack.name, version: pack.version });
  for (const r of pack.rules) featureOf.set(r.id, r.feature);
}

export const regulations = (
  JSON.parse(readFileSync(join(ROOT, 'rules/regulations.json'), 'utf8')) as RegulationCatalogue
).regulations;
export const citationOf = new Map(regulations.map((r) => [r.id, r.citation]));

export type UiLanguage = 'id' | 'en';

/** The UI strings of a build (`report.title` → `_locales/<lang>/messages.json` `report_title`). */
export function uiMessages(buildDir: string) {
  const cache = new Map<UiLanguage, Record<string, { message: string }>>();
  return (lang: UiLanguage, key: string, subs: string[] = []): string => {
    if (!cache.has(lang))
      cache.set(lang, JSON.parse(readFileSync(join(buildDir, '_locales', lang, 'messages.json'), 'utf8')));
    const entry = cache.get(lang)![key.replaceAll('.', '_')];
    if (!entry) throw new Error(`no message ${key}`);
    return entry.message.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  };
}

/** The locale key of a feature's label (`buy-button` → `feature.buy_button`). */
export const featureKey = (feature: string) => `feature.${feature.replaceAll('-', '_')}`;

/** The rule ids of a report, sorted (the order fixture headers list them in). */
export const ruleIds = (r: TabReport) => r.detections.map((d) => d.ruleId).sort();

/** An in-app transaction or a cross-border offer: the findings that come with seller advice. */
export const needsAdvice = (ruleId: string) => {
  const feature = featureOf.get(ruleId)!;
  return categoryOf(feature) === 'transaction' || feature === 'cross-border-offer';
};

const platformOf = (p: RoutedPage) => p.file.split('/fixtures/')[1]?.split('/')[0];

/** The platforms' own fixture pages (tests/fixtures), not the suites' special pages. */
export const platformFixtures = (pages: RoutedPage[]) => pages.filter((p) => p.file.includes('/fixtures/'));

/** The first fixture of `platform` on which a rule of one of `features` fires. */
export function fixtureWith(pages: RoutedPage[], platform: string, features: string[]): RoutedPage {
  const found = pages.find(
    (p) => platformOf(p) === platform && p.expect.some((id) => features.includes(featureOf.get(id)!)),
  );
  if (!found) throw new Error(`no ${platform} fixture with ${features.join('/')}`);
  return found;
}

export function tiktokFixture(pages: RoutedPage[], accept: (p: RoutedPage) => boolean, what: string): RoutedPage {
  const found = pages.find((p) => platformOf(p) === 'tiktok' && accept(p));
  if (!found) throw new Error(`no TikTok fixture with ${what}`);
  return found;
}

/** A seller's storefront page: a storefront feature and no in-app transaction. */
export function storefrontFixture(pages: RoutedPage[]): RoutedPage {
  return tiktokFixture(
    pages,
    (p) => p.expect.some((id) => featureOf.get(id) === 'storefront') && !p.expect.some(needsAdvice),
    'a storefront',
  );
}

/** A clean TikTok page (nothing may fire), a profile page where there is one. */
export function cleanTiktokFixture(pages: RoutedPage[]): RoutedPage {
  const negatives = pages.filter((p) => platformOf(p) === 'tiktok' && p.expect.length === 0);
  const found = negatives.find((p) => /tiktok\.com\/@[^/?]+(\?|$)/.test(p.url)) ?? negatives[0];
  if (!found) throw new Error('no clean TikTok fixture');
  return found;
}

/** Up to `n` fixture pages that detect something, one platform at a time before repeating one. */
export function demoPages(pages: RoutedPage[], n: number): RoutedPage[] {
  const byPlatform = new Map<string, RoutedPage[]>();
  for (const p of platformFixtures(pages).filter((p) => p.expect.length > 0)) {
    const platform = platformOf(p)!;
    byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), p]);
  }
  const chosen: RoutedPage[] = [];
  for (let round = 0; chosen.length < n && round < 50; round++) {
    for (const list of byPlatform.values()) if (list[round] && chosen.length < n) chosen.push(list[round]);
  }
  return chosen;
}

/** The TikTok video page with a product tag that tests/e2e/pages/tiktok-spa.html serves. */
export const SPA_VIDEO_URL = 'https://www.tiktok.com/@tokobatik/video/7301234567890123456';
/** The route that page's `goToRoute()` moves to (nothing on it). */
export const SPA_NEXT_ROUTE_SUFFIX = '/7301234567890123999';

// ---------------------------------------------------------------------------------------------
// Research log
// ---------------------------------------------------------------------------------------------

export const RESEARCH_DB = 'lensa-niaga-research';
export const RESEARCH_SCHEMA = 'lensa-niaga.detections';
export const RESEARCH_EMPTY = /The log is empty|Catatan masih kosong/;

// ---------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------

/** Payloads that run script or inject markup if page text ever reaches an HTML sink. */
export const PAYLOADS = [
  `<img src=x onerror="window.__xss=1;alert('xss-1')">`,
  `"><script>window.__xss=2;alert('xss-2')</script>`,
  `<svg onload="window.__xss=3;alert('xss-3')">`,
  `javascript:alert('xss-4')`,
  `{{constructor.constructor('alert(5)')()}} \${alert('xss-6')}`,
  `</textarea></q></td><script>alert('xss-7')</script>`,
  `<iframe src="javascript:alert('xss-8')"></iframe>`,
  `<a href="javascript:alert('xss-9')">klik</a>`,
  `<style>*{display:none!important}</style>`,
  `&lt;b&gt;entitas&lt;/b&gt; &amp;amp;`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-11')>`,
  `'-alert('xss-12')-'`,
];

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A TikTok video page whose product anchor label and Shop tab label are the two payloads. */
export function payloadPage(i: number, label: string, tab: string): RoutedPage {
  const url = `https://www.tiktok.com/@xss.test/video/73000000000000010${String(i).padStart(2, '0')}`;
  const html = `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(label)}</title></head><body>
<nav><a data-e2e="nav-shop" href="/shop" aria-label="${escapeHtml(tab)}">Shop</a></nav>
<main><a data-e2e="product-anchor" href="https://shop-id.tokopedia.com/view/product/${i}"><span>${escapeHtml(label)}</span></a></main>
</body></html>`;
  return { url, html, expect: ['tiktok.product-tag', 'tiktok.shop-tab'], file: `generated-${i}` };
}

/** Console lines that mean a payload ran or the page's policy had to stop one. */
export const INJECTION_CONSOLE = /xss|Refused to (execute|load|apply)|Content Security Policy/i;

export interface InjectionTraces {
  marker: unknown;
  handlers: number;
  inlineScripts: number;
  frames: number;
  jsLinks: number;
  styles: number;
}
export const NO_INJECTION: InjectionTraces = {
  marker: null,
  handlers: 0,
  inlineScripts: 0,
  frames: 0,
  jsLinks: 0,
  styles: 0,
};

/** Runs in the page: what a payload would have left behind had it reached an HTML sink. */
export function injectionTraces(): InjectionTraces {
  return {
    marker: (window as unknown as { __xss?: unknown }).__xss ?? null,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
      .length,
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    frames: document.querySelectorAll('iframe, object, embed, math, mglyph').length,
    jsLinks: [...document.querySelectorAll('[href], [src]')].filter((el) =>
      /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? ''),
    ).length,
    styles: [...document.querySelectorAll('style')].filter((s) => /display:none!important/.test(s.textContent ?? ''))
      .length,
  };
}

/** A forged content-script message a web page might try to send. */
export const FORGED_UPDATE = {
  type: 'detections:update',
  url: 'https://www.tiktok.com/forged',
  platform: 'tiktok',
  reset: true,
  detections: [
    {
      ruleId: 'forged.rule',
      platform: 'tiktok',
      feature: 'checkout',
      category: 'transaction',
      regulationIds: [],
      count: 1,
      evidence: 'forged',
      firstSeen: 1,
      lastSeen: 1,
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// User rule packs
// ---------------------------------------------------------------------------------------------

export const USER_PACK = {
  name: 'toko-uji',
  version: '1.2.0',
  engine: 1,
  description: '<b>not bold</b> rules for a test page',
  rules: [
    {
      id: 'user.live-banner',
      platform: 'tiktok',
      feature: 'live-shopping',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: '[data-user-test="banner"]',
      signals: [{ kind: 'text', pattern: '^Belanja live sekarang$', flags: 'i' }],
    },
    {
      id: 'user.other',
      platform: 'tiktok',
      feature: 'catalog',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      selector: '[data-user-test="catalog"]',
      signals: [{ kind: 'attr', name: 'data-user-test', pattern: '^catalog$' }],
    },
  ],
};

/** The same pack, newer, with a pattern that backtracks catastrophically: refused whole. */
export const BAD_USER_PACK = {
  ...USER_PACK,
  version: '2.0.0',
  rules: [{ ...USER_PACK.rules[0], signals: [{ kind: 'text', pattern: '^(\\w|\\d)+$' }] }],
};

/** A page on which only USER_PACK's first rule fires. */
export const USER_PACK_PAGE: RoutedPage = {
  url: 'https://www.tiktok.com/@toko.uji/live',
  html: '<!doctype html><body><div data-user-test="banner">Belanja live sekarang</div></body>',
  expect: [],
  file: 'generated-user',
};

// ---------------------------------------------------------------------------------------------
// Phone layout (run in the page)
// ---------------------------------------------------------------------------------------------

/** The smallest tap target a phone user can hit reliably, in CSS pixels. */
export const MIN_TAP_PX = 44;

/** Runs in the page: how far the page scrolls sideways (0 or less: it does not). */
export function sidewaysScroll(): number {
  return document.documentElement.scrollWidth - document.documentElement.clientWidth;
}

/**
 * Runs in the page: every visible control smaller than `min` × `min` CSS pixels, as
 * `tag.class "text" W×H`. A control inside a label is measured by its label (tapping the label
 * works it); a link inside running text is left out (the sentence around it sets its size).
 */
export function smallTapTargets(min: number): string[] {
  const controls = document.querySelectorAll<HTMLElement>(
    'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex="0"]',
  );
  const problems: string[] = [];
  const seen = new Set<Element>();
  for (const control of controls) {
    const target = (control.closest('label') as HTMLElement | null) ?? control;
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(target);
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (target.closest('[aria-hidden="true"], [hidden]')) continue;
    if (target.tagName === 'A' && style.display === 'inline') {
      const parent = target.parentElement;
      const ownText = (target.textContent ?? '').trim().length;
      if (parent && (parent.textContent ?? '').trim().length > ownText) continue;
    }
    // Half a pixel of slack: layout rounds fractional sizes.
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const name = `${target.tagName.toLowerCase()}${target.className ? '.' + String(target.className).split(' ')[0] : ''}`;
      const text = (target.textContent ?? '').trim().slice(0, 30);
      problems.push(`${name} "${text}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return problems;
}

/**
 * Runs in the page: style rules that show, move or reveal something only under `:hover`, which a
 * touch screen cannot do. Colour and underline changes are fine.
 */
export function hoverOnlyRules(): string[] {
  const revealing = ['display', 'visibility', 'opacity', 'max-height', 'height', 'clip-path', 'transform', 'content'];
  const found: string[] = [];
  const walk = (rules: CSSRuleList) => {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule && rule.selectorText.includes(':hover')) {
        const props = revealing.filter((p) => rule.style.getPropertyValue(p) !== '');
        if (props.length > 0) found.push(`${rule.selectorText} { ${props.join(', ')} }`);
      }
      if ('cssRules' in rule && (rule as CSSGroupingRule).cssRules) walk((rule as CSSGroupingRule).cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return found;
}
