import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { compilePacks } from '@/lib/engine';
import { highlightKit } from '@/entrypoints/content/highlight-kit';
import { provideHighlights } from '@/entrypoints/content/highlight-script';
import { PageSession, type PageEnv } from '@/entrypoints/content/page-session';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { RulePack, type Detection } from '@/rules/schema';
import { message, useLocale } from '../helpers/fake-i18n';

const pack = RulePack.parse({
  name: 't',
  version: '1',
  engine: 1,
  platforms: [{ id: 'tiktok', hosts: ['tiktok.com'] }],
  rules: [
    {
      id: 'tiktok.buy',
      platform: 'tiktok',
      feature: 'buy-button',
      regulationIds: ['r'],
      selector: 'button',
      signals: [{ kind: 'text', pattern: '^Beli sekarang$' }],
    },
    {
      // A pack can say anything in a fixed description: the session's last gate still redacts.
      id: 'tiktok.pay',
      platform: 'tiktok',
      feature: 'payment',
      regulationIds: ['r'],
      selector: 'button',
      signals: [{ kind: 'text', pattern: '^Bayar$' }],
      evidenceText: 'Bayar ke 0812-3456-7890',
    },
  ],
});

beforeEach(() => useLocale('id'));

/**
 * `loadHighlights` does what the background's `highlights:load` does to a page: it runs the
 * highlights script (which leaves its kit on the global object), after a turn of the event loop.
 */
function env(doc: Document, url: string) {
  const frames: (() => void)[] = [];
  const sent: { reset: boolean; detections: Detection[]; url: string }[] = [];
  const timers: (() => void)[] = [];
  let loads = 0;
  const e: PageEnv = {
    doc,
    engine: compilePacks([pack]),
    url: () => url,
    now: () => 0,
    clock: () => 1_700_000_000_000,
    isHidden: () => false,
    requestFrame: (cb) => frames.push(cb),
    setTimeout: (cb) => timers.push(cb),
    clearTimeout: () => {},
    send: (u) => sent.push(u),
    loadHighlights: async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 0));
      provideHighlights();
      return highlightKit()!;
    },
  };
  return {
    e,
    frames,
    sent,
    loads: () => loads,
    run: () => {
      while (frames.length) frames.shift()!();
    },
    runTimers: () => {
      while (timers.length) timers.shift()!();
    },
  };
}

describe('PageSession', () => {
  it('redacts every detection before it leaves the page', () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Bayar</button>';
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    new PageSession(h.e, DEFAULT_SETTINGS).start();
    h.run();
    expect(h.sent[0].detections).toMatchObject([{ ruleId: 'tiktok.pay', evidence: 'Bayar ke […]' }]);
  });

  it('keeps redacting in later updates, with their new counts', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Bayar</button>';
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    new PageSession(h.e, DEFAULT_SETTINGS).start();
    h.run();
    for (let i = 0; i < 2; i++) {
      const b = doc.createElement('button');
      b.textContent = 'Bayar';
      doc.body.append(b);
      await new Promise((r) => setTimeout(r, 0));
      h.run();
      h.runTimers();
      const last = h.sent[h.sent.length - 1];
      expect(last.detections).toMatchObject([{ ruleId: 'tiktok.pay', count: i + 2, evidence: 'Bayar ke […]' }]);
    }
    expect(h.sent).toHaveLength(3);
  });

  it('reports without touching the page: no highlights unless the user asks', () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Beli sekarang</button><button>Beli sekarang</button><button>Lihat</button>';
    const before = doc.documentElement.outerHTML;
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    new PageSession(h.e, DEFAULT_SETTINGS).start();
    h.run();
    expect(h.sent[0]).toMatchObject({ reset: true, detections: [{ ruleId: 'tiktok.buy', count: 2 }] });
    expect(doc.documentElement.outerHTML).toBe(before);
    // Not even the highlights script is loaded.
    expect(h.loads()).toBe(0);
  });

  it('with "always highlight" on: loads the highlights script once, then highlights each hit', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Beli sekarang</button><button>Beli sekarang</button><button>Lihat</button>';
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    new PageSession(h.e, { ...DEFAULT_SETTINGS, highlights: true }).start();
    h.run();
    await vi.waitFor(() => expect(doc.querySelectorAll('lensa-niaga-highlights')).toHaveLength(1));
    expect(h.loads()).toBe(1);
    // A hit after the layer arrived is drawn at once.
    const b = doc.createElement('button');
    b.textContent = 'Beli sekarang';
    doc.body.append(b);
    await new Promise((r) => setTimeout(r, 0));
    h.run();
    expect(h.loads()).toBe(1);
  });

  it("the highlights script's kit names each feature in the browser's language, looking it up once", () => {
    provideHighlights();
    const kit = highlightKit()!;
    const lookups = vi.mocked(fakeBrowser.i18n.getMessage);
    lookups.mockClear();
    expect(kit.featureLabel('buy-button')).toBe(message('id', 'feature.buy_button'));
    expect(kit.featureLabel('buy-button')).toBe(message('id', 'feature.buy_button'));
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('"Show on page" draws the highlight on request and removes it when the reveal ends', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Beli sekarang</button>';
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    const session = new PageSession(h.e, DEFAULT_SETTINGS);
    session.start();
    h.run();
    expect(doc.querySelectorAll('lensa-niaga-highlights')).toHaveLength(0);
    expect(await session.reveal('tiktok.nothing')).toBe(false);
    expect(h.loads()).toBe(0);
    expect(await session.reveal('tiktok.buy')).toBe(true);
    expect(doc.querySelectorAll('lensa-niaga-highlights')).toHaveLength(1);
    h.runTimers();
    expect(doc.querySelectorAll('lensa-niaga-highlights')).toHaveLength(0);
    // A second request uses the layer already there.
    expect(await session.reveal('tiktok.buy')).toBe(true);
    expect(h.loads()).toBe(1);
  });

  it('"Show on page" answers false when the highlights script cannot be loaded, and tries again next time', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Beli sekarang</button>';
    const h = env(doc, 'https://www.tiktok.com/@a/video/1');
    const load = h.e.loadHighlights;
    let fail = true;
    h.e.loadHighlights = () => (fail ? Promise.reject(new Error('no highlights')) : load());
    const session = new PageSession(h.e, DEFAULT_SETTINGS);
    session.start();
    h.run();
    expect(await session.reveal('tiktok.buy')).toBe(false);
    fail = false;
    expect(await session.reveal('tiktok.buy')).toBe(true);
  });

  it('merges the diffs of several frames into one message, but sends a reset at once', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<main id="feed"></main>';
    const h = env(doc, 'https://www.tiktok.com/foryou');
    new PageSession(h.e, DEFAULT_SETTINGS).start();
    h.run();
    expect(h.sent).toEqual([expect.objectContaining({ reset: true, detections: [] })]);
    for (let i = 0; i < 3; i++) {
      const b = doc.createElement('button');
      b.textContent = 'Beli sekarang';
      doc.getElementById('feed')!.append(b);
      await new Promise((r) => setTimeout(r, 0));
      h.run();
    }
    expect(h.sent).toHaveLength(1); // held back until the send interval has passed
    h.runTimers();
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]).toMatchObject({ reset: false, detections: [{ ruleId: 'tiktok.buy', count: 3 }] });
  });

  it('each update carries every detection of the route, so a lost one is made good by the next', async () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<main id="feed"><button>Bayar</button></main>';
    const h = env(doc, 'https://www.tiktok.com/foryou');
    new PageSession(h.e, DEFAULT_SETTINGS).start();
    h.run();
    expect(h.sent[0].detections.map((d) => d.ruleId)).toEqual(['tiktok.pay']);
    // The background restarts and loses that message; later, another feature appears.
    const b = doc.createElement('button');
    b.textContent = 'Beli sekarang';
    doc.getElementById('feed')!.append(b);
    await new Promise((r) => setTimeout(r, 0));
    h.run();
    h.runTimers();
    const last = h.sent[h.sent.length - 1];
    expect(last.reset).toBe(false);
    expect(last.detections.map((d) => d.ruleId).sort()).toEqual(['tiktok.buy', 'tiktok.pay']);
    expect(last.detections.find((d) => d.ruleId === 'tiktok.pay')?.evidence).toBe('Bayar ke […]');
  });

  it('does nothing on a disabled host or a page of another site', () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<button>Beli sekarang</button>';
    const disabled = env(doc, 'https://www.tiktok.com/@a');
    const s1 = new PageSession(disabled.e, { ...DEFAULT_SETTINGS, disabledHosts: ['www.tiktok.com'] });
    s1.start();
    disabled.run();
    expect(s1.running).toBe(false);
    expect(disabled.sent).toEqual([]);
    const other = env(doc, 'https://example.com/');
    const s2 = new PageSession(other.e, DEFAULT_SETTINGS);
    s2.start();
    expect(s2.running).toBe(false);
  });
});
