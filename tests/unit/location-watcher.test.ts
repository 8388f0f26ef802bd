import { describe, expect, it } from 'vitest';
import { POLL_MS, watchLocation, type LocationHost } from '@/entrypoints/content/location-watcher';

function host(withNavigation: boolean) {
  let href = 'https://www.tiktok.com/@a';
  const timeouts: (() => void)[] = [];
  const intervals = new Map<number, () => void>();
  let next = 1;
  const controller = new AbortController();
  const navigation = new EventTarget();
  const h: LocationHost = {
    href: () => href,
    navigation: withNavigation ? navigation : null,
    setTimeout: (cb) => timeouts.push(cb),
    setInterval: (cb, ms) => {
      expect(ms).toBe(POLL_MS);
      intervals.set(next, cb);
      return next++;
    },
    clearInterval: (handle) => void intervals.delete(handle as number),
    signal: controller.signal,
  };
  return {
    h,
    go: (url: string) => (href = url),
    navigate: () => navigation.dispatchEvent(new Event('navigate')),
    runTimeouts: () => timeouts.splice(0).forEach((cb) => cb()),
    tick: () => [...intervals.values()].forEach((cb) => cb()),
    intervals,
    abort: () => controller.abort(),
  };
}

describe('watchLocation', () => {
  it('with the Navigation API: reports each new URL once, after the navigation, and polls as well', () => {
    const t = host(true);
    const seen: string[] = [];
    watchLocation(t.h, (url) => seen.push(url));
    t.navigate();
    t.go('https://www.tiktok.com/@b'); // pushState changes the URL after the event
    t.runTimeouts();
    t.navigate();
    t.runTimeouts(); // same URL: nothing
    expect(seen).toEqual(['https://www.tiktok.com/@b']);
    // A change the navigation event missed is found by the poll, once.
    t.go('https://www.tiktok.com/@d');
    t.tick();
    t.navigate();
    t.runTimeouts();
    expect(seen).toEqual(['https://www.tiktok.com/@b', 'https://www.tiktok.com/@d']);
    t.abort();
    expect(t.intervals.size).toBe(0);
    t.go('https://www.tiktok.com/@c');
    t.navigate();
    t.runTimeouts();
    t.tick();
    expect(seen).toEqual(['https://www.tiktok.com/@b', 'https://www.tiktok.com/@d']);
  });

  it('without it: polls, reports changes, and stops polling when aborted', () => {
    const t = host(false);
    const seen: string[] = [];
    watchLocation(t.h, (url) => seen.push(url));
    t.tick();
    t.go('https://www.tiktok.com/@b');
    t.tick();
    t.tick();
    t.go('https://www.tiktok.com/@c');
    t.tick();
    expect(seen).toEqual(['https://www.tiktok.com/@b', 'https://www.tiktok.com/@c']);
    t.abort();
    expect(t.intervals.size).toBe(0);
  });
});
