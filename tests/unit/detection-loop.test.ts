import { beforeEach, describe, expect, it } from 'vitest';
import { DetectionLoop, MAX_QUEUE, type LoopHost } from '@/entrypoints/content/detection-loop';
import { compilePacks } from '@/lib/engine';
import { RulePack } from '@/rules/schema';
import type { Detection } from '@/rules/schema';

const pack = RulePack.parse({
  name: 'test',
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
      id: 'tiktok.anchor',
      platform: 'tiktok',
      feature: 'product-tag',
      regulationIds: ['r'],
      selector: '[data-e2e="product-anchor"]',
      signals: [{ kind: 'text', pattern: 'Shop' }],
    },
  ],
});
const matcher = compilePacks([pack]).forPage('https://www.tiktok.com/@a/video/1')!;

/** A manual clock and frame queue: the test decides when frames run and how long work takes. */
function makeHost(doc: Document) {
  let now = 0;
  let frames: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const sent: { changed: Detection[]; reset: boolean }[] = [];
  const host: LoopHost & { hidden: boolean } = {
    doc,
    hidden: false,
    now: () => now,
    clock: () => 1_700_000_000_000 + now,
    isHidden: () => host.hidden,
    requestFrame: (cb) => frames.push(cb),
    setTimeout: (cb) => {
      timers.set(nextTimer, cb);
      return nextTimer++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    send: (changed, reset) => sent.push({ changed, reset }),
  };
  return {
    host,
    /** The same host, where every clock read costs 1 ms. */
    ticking: {
      ...host,
      now: () => {
        now += 1;
        return now;
      },
    },
    sent,
    advance(ms: number) {
      now += ms;
    },
    runFrames() {
      const f = frames;
      frames = [];
      f.forEach((cb) => cb());
      return f.length;
    },
    pendingFrames: () => frames.length,
    runTimers() {
      const t = [...timers.values()];
      timers.clear();
      t.forEach((cb) => cb());
    },
  };
}

async function mutationsDelivered() {
  await new Promise((r) => setTimeout(r, 0));
}

describe('DetectionLoop', () => {
  let doc: Document;
  beforeEach(() => {
    doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = '<main id="feed"><button>Beli sekarang</button></main>';
  });

  it('reports the initial pass with reset, then only diffs for later elements', async () => {
    const h = makeHost(doc);
    const loop = new DetectionLoop(matcher, h.host);
    loop.start();
    expect(h.sent).toHaveLength(0); // nothing happens inside start(): work waits for a frame
    h.runFrames();
    expect(h.sent).toEqual([{ reset: true, changed: [expect.objectContaining({ ruleId: 'tiktok.buy', count: 1 })] }]);

    const post = doc.createElement('article');
    post.innerHTML = '<div data-e2e="product-anchor">Shop | Batik</div><button>Beli sekarang</button>';
    doc.getElementById('feed')!.append(post);
    await mutationsDelivered();
    h.runFrames();
    expect(h.sent[1].reset).toBe(false);
    expect(h.sent[1].changed.map((d) => [d.ruleId, d.count]).sort()).toEqual([
      ['tiktok.anchor', 1],
      ['tiktok.buy', 2],
    ]);
    expect(loop.detections).toHaveLength(2);
  });

  it('finds a candidate whose label is filled in after it was added', async () => {
    doc.body.innerHTML = '<main><button id="b"></button></main>';
    const h = makeHost(doc);
    new DetectionLoop(matcher, h.host).start();
    h.runFrames();
    expect(h.sent[0].changed).toEqual([]);
    const span = doc.createElement('span');
    span.textContent = 'Beli sekarang';
    doc.getElementById('b')!.append(span);
    await mutationsDelivered();
    h.runFrames();
    expect(h.sent[1].changed.map((d) => d.ruleId)).toEqual(['tiktok.buy']);
  });

  it('finds a candidate whose label matches once something inside it is taken out', async () => {
    doc.body.innerHTML = '<main><button id="b">Beli sekarang<span id="extra"> (2)</span></button></main>';
    const h = makeHost(doc);
    new DetectionLoop(matcher, h.host).start();
    h.runFrames();
    expect(h.sent[0].changed).toEqual([]);
    doc.getElementById('extra')!.remove();
    await mutationsDelivered();
    h.runFrames();
    expect(h.sent[1].changed.map((d) => d.ruleId)).toEqual(['tiktok.buy']);
  });

  it('stops a slice when the 4 ms budget is spent and continues on the next frame', async () => {
    doc.body.innerHTML = '<main id="feed"></main>';
    const h = makeHost(doc);
    const loop = new DetectionLoop(matcher, h.ticking);
    loop.start();
    h.runFrames();
    for (let i = 0; i < 20; i++) {
      const b = doc.createElement('button');
      b.textContent = 'Beli sekarang';
      doc.getElementById('feed')!.append(b);
    }
    await mutationsDelivered();
    let frames = 0;
    while (h.pendingFrames() > 0 && frames < 100) {
      h.runFrames();
      frames++;
    }
    expect(frames).toBeGreaterThan(3); // 20 roots could not fit in one 4 ms slice
    expect(loop.detections[0].count).toBe(20);
  });

  it('goes on in a task, without waiting for a frame, when a slice leaves work', async () => {
    doc.body.innerHTML = '<main id="feed"></main>';
    const h = makeHost(doc);
    const immediate: (() => void)[] = [];
    const host = {
      ...h.ticking,
      // Only zero-delay tasks are run below: the 200 ms backstop never fires.
      setTimeout: (cb: () => void, ms: number) => (ms === 0 ? immediate.push(cb) : h.host.setTimeout(cb, ms)),
    };
    const loop = new DetectionLoop(matcher, host);
    loop.start();
    h.runFrames();
    for (let i = 0; i < 20; i++) {
      const b = doc.createElement('button');
      b.textContent = 'Beli sekarang';
      doc.getElementById('feed')!.append(b);
    }
    await mutationsDelivered();
    h.runFrames(); // the first slice, on the frame the mutations asked for
    expect(loop.detections[0].count).toBeLessThan(20);
    let tasks = 0;
    while (immediate.length > 0 && tasks < 100) {
      immediate.shift()!();
      tasks++;
    }
    expect(tasks).toBeGreaterThan(2);
    expect(loop.detections[0].count).toBe(20);
  });

  it('does no work while the tab is hidden and resumes when visible', async () => {
    const h = makeHost(doc);
    h.host.hidden = true;
    const loop = new DetectionLoop(matcher, h.host);
    loop.start();
    expect(h.pendingFrames()).toBe(0);
    h.runTimers();
    expect(h.sent).toHaveLength(0);
    expect(loop.stats.slices).toBe(0);
    h.host.hidden = false;
    loop.wake();
    h.runFrames();
    expect(h.sent[0].changed).toHaveLength(1);
  });

  it('runs on the backstop timer when no frame comes', () => {
    const h = makeHost(doc);
    const loop = new DetectionLoop(matcher, h.host);
    loop.start();
    h.runTimers();
    expect(loop.detections).toHaveLength(1);
    expect(h.runFrames()).toBe(1); // the late frame finds nothing left to do
    expect(h.sent).toHaveLength(1);
  });

  it('drops a flooded queue and replaces it with one full pass', async () => {
    doc.body.innerHTML = '<main id="feed"></main>';
    const h = makeHost(doc);
    const loop = new DetectionLoop(matcher, h.host);
    loop.start();
    h.runFrames();
    const feed = doc.getElementById('feed')!;
    for (let i = 0; i < MAX_QUEUE + 50; i++) feed.append(doc.createElement('div'));
    const b = doc.createElement('button');
    b.textContent = 'Beli sekarang';
    feed.append(b);
    await mutationsDelivered();
    let guard = 0;
    while (h.pendingFrames() > 0 && guard++ < 1000) h.runFrames();
    expect(loop.stats.droppedQueues).toBe(1);
    expect(loop.detections.map((d) => [d.ruleId, d.count])).toEqual([['tiktok.buy', 1]]);
  });

  it('forgets the old route on changeRoute', () => {
    const h = makeHost(doc);
    const loop = new DetectionLoop(matcher, h.host);
    loop.start();
    h.runFrames();
    doc.body.innerHTML = '<main><p>Video biasa</p></main>';
    loop.changeRoute(matcher);
    h.runFrames();
    expect(h.sent.at(-1)).toEqual({ reset: true, changed: [] });
    expect(loop.detections).toEqual([]);
  });
});
