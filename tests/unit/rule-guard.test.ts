import { afterEach, describe, expect, it } from 'vitest';
import { compilePacks, RULE_BUDGET_MS, RULE_WINDOW_MS, type Trip } from '@/lib/engine';
import { GroupClock } from '@/lib/engine/rule-guard';
import { PageSession, type PageEnv } from '@/entrypoints/content/page-session';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { RulePack, type Detection } from '@/rules/schema';

const limits = { budgetMs: RULE_BUDGET_MS, windowMs: RULE_WINDOW_MS };

describe('GroupClock', () => {
  it('trips once when a window holds more than the budget', () => {
    const clock = new GroupClock();
    expect(clock.charge(15, 100, limits)).toBeNull();
    expect(clock.charge(15, 150, limits)).toBeNull();
    expect(clock.charge(20, 200, limits)).toBeNull(); // exactly the budget: still allowed
    expect(clock.charge(1, 300, limits)).toEqual({ spentMs: 51, budgetMs: 50, windowMs: 1000 });
    expect(clock.tripped).toBe(true);
    expect(clock.charge(500, 400, limits)).toBeNull(); // told once
  });

  it('charges one call at most MAX_CHARGE_MS, so one long pause does not trip a cheap rule', () => {
    const clock = new GroupClock();
    expect(clock.charge(500, 100, limits)).toBeNull(); // a 500 ms garbage collection in one call
    expect(clock.charge(20, 200, limits)).toBeNull();
    expect(clock.charge(20, 300, limits)).toMatchObject({ spentMs: 60 }); // a third slow call trips
  });

  it('starts a new window after windowMs, so a steady cheap rule never trips', () => {
    const clock = new GroupClock();
    // 40 ms every second for a minute: 4 % of the time, under the 5 % budget.
    for (let s = 0; s < 60; s++) expect(clock.charge(40, s * 1000 + 500, limits)).toBeNull();
    expect(clock.tripped).toBe(false);
  });
});

const pack = (name: string, rules: unknown[]) =>
  RulePack.parse({ name, version: '1', engine: 1, platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }], rules });
const rule = (id: string, selector: string, pattern: string) => ({
  id,
  platform: 'tiktok',
  feature: 'product-tag',
  regulationIds: ['r'],
  selector,
  signals: [{ kind: 'text', pattern }],
});
const bundled = pack('bundled', [rule('tiktok.buy', 'button', '^Beli$')]);
const user = pack('mine', [rule('mine.slow', 'li.item', '^Item'), rule('mine.fast', 'p.fast', '^Toko')]);

/**
 * A fake clock that only moves when the DOM runs a selector naming `li.item`: 0.25 ms per element
 * tested or returned, as a slow selector would cost on a long list. Everything else is free.
 */
const SLOW = 'li.item';
const COST_MS = 0.25;
let restore: (() => void) | null = null;
function slowSelectorClock(): { now: () => number; calls: () => number } {
  let t = 0;
  let calls = 0;
  const proto = Element.prototype;
  const { matches, closest, querySelectorAll } = proto;
  const doc = Document.prototype.querySelectorAll;
  const charge = (selector: string, n: number) => {
    if (!selector.includes(SLOW)) return;
    calls++;
    t += COST_MS * Math.max(1, n);
  };
  proto.matches = function (this: Element, s: string) {
    charge(s, 1);
    return matches.call(this, s);
  };
  proto.closest = function (this: Element, s: string) {
    charge(s, 1);
    return closest.call(this, s);
  };
  proto.querySelectorAll = function (this: Element, s: string) {
    const found = querySelectorAll.call(this, s);
    charge(s, found.length);
    return found;
  } as typeof proto.querySelectorAll;
  restore = () => {
    Object.assign(proto, { matches, closest, querySelectorAll });
    Document.prototype.querySelectorAll = doc;
  };
  return { now: () => t, calls: () => calls };
}
afterEach(() => {
  restore?.();
  restore = null;
});

function session(doc: Document, now: () => number) {
  const frames: (() => void)[] = [];
  const sent: Detection[][] = [];
  const reports: { ruleIds: string[]; trip: Trip }[] = [];
  const e: PageEnv = {
    doc,
    engine: compilePacks([bundled, user]),
    url: () => 'https://www.tiktok.com/@a',
    now,
    clock: () => 1_700_000_000_000,
    isHidden: () => false,
    requestFrame: (cb) => frames.push(cb),
    setTimeout: (cb) => frames.push(cb),
    clearTimeout: () => {},
    send: (u) => sent.push(u.detections),
    loadHighlights: () => Promise.reject(new Error('no highlights in this test')),
    guardedRuleIds: new Set(['mine.slow', 'mine.fast']),
    reportSlow: (r) => reports.push(r),
  };
  const s = new PageSession(e, DEFAULT_SETTINGS);
  const run = () => {
    for (let i = 0; i < 100_000 && frames.length; i++) frames.shift()!();
  };
  const latest = () => {
    const byRule = new Map<string, Detection>();
    for (const batch of sent) for (const d of batch) byRule.set(d.ruleId, d);
    return byRule;
  };
  return { s, run, reports, latest };
}

function longList(doc: Document, items: number): void {
  const lis = Array.from({ length: items }, (_, i) => `<li class="item">Item ${i}</li>`).join('');
  doc.body.innerHTML = `<button>Beli</button><ul>${lis}</ul><p class="fast">Toko saya</p><button>Beli</button>`;
}

describe('the time guard in the content script', () => {
  it('switches a slow user rule off on the page at once and reports it; the other rules go on', () => {
    const clock = slowSelectorClock();
    const doc = document.implementation.createHTMLDocument('t');
    longList(doc, 2000);
    const h = session(doc, clock.now);
    h.s.start();
    h.run();

    expect(h.reports).toHaveLength(1);
    expect(h.reports[0].ruleIds).toEqual(['mine.slow']);
    expect(h.reports[0].trip.spentMs).toBeGreaterThan(RULE_BUDGET_MS);
    expect(h.reports[0].trip.budgetMs).toBe(RULE_BUDGET_MS);
    const found = h.latest();
    // Switched off after about its budget's worth of items, long before the list's end.
    const slowCount = found.get('mine.slow')?.count ?? 0;
    expect(slowCount).toBeLessThan((RULE_BUDGET_MS / COST_MS) * 1.5);
    expect(found.get('tiktok.buy')?.count).toBe(2);
    expect(found.get('mine.fast')?.count).toBe(1);

    // Once off, its selector is never run again on this page, also not for new content.
    const calls = clock.calls();
    const more = doc.createElement('li');
    more.className = 'item';
    more.textContent = 'Item baru';
    doc.querySelector('ul')!.append(more);
    const button = doc.createElement('button');
    button.textContent = 'Beli';
    doc.body.append(button);
    return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
      h.run();
      expect(clock.calls()).toBe(calls);
      expect(h.latest().get('tiktok.buy')?.count).toBe(3);
      expect(h.reports).toHaveLength(1);
    });
  });

  it('keeps a rule that stays within its budget, and never times bundled rules', () => {
    const clock = slowSelectorClock();
    const doc = document.implementation.createHTMLDocument('t');
    longList(doc, 100); // 100 items cost 25 ms: under the budget
    const h = session(doc, clock.now);
    h.s.start();
    h.run();
    expect(h.reports).toEqual([]);
    expect(h.latest().get('mine.slow')?.count).toBe(100);
  });

  it('leaves a switched-off rule off on the next route of the same page', async () => {
    const clock = slowSelectorClock();
    const doc = document.implementation.createHTMLDocument('t');
    longList(doc, 2000);
    const h = session(doc, clock.now);
    h.s.start();
    h.run();
    expect(h.reports).toHaveLength(1);
    const calls = clock.calls();
    h.s.routeChanged();
    h.run();
    expect(clock.calls()).toBe(calls);
    expect(h.latest().get('tiktok.buy')?.count).toBe(2);
  });

  it('costs the guard two clock reads per group and call, not per element', () => {
    const doc = document.implementation.createHTMLDocument('t');
    longList(doc, 150); // below the walk's chunk: one native scan
    let reads = 0;
    const engine = compilePacks([bundled, user]);
    const matcher = engine.forPage('https://www.tiktok.com/@a')!.withGuard({
      ruleIds: new Set(['mine.slow', 'mine.fast']),
      now: () => reads++,
      onTrip: () => {},
    });
    const hits = matcher.scan(doc.body);
    expect(hits.filter((h) => h.rule.rule.id === 'mine.slow')).toHaveLength(150);
    expect(reads).toBe(4); // two guarded groups, one scan
  });
});
