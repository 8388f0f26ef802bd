import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fetchTabReport, targetTab } from '@/utils/fetch-tab-report';
import { tabReport } from '../helpers/popup-data';

/** A clock that moves only when the code under test sleeps. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

describe('fetchTabReport', () => {
  it('asks the background for the tab and returns a valid report', async () => {
    const report = tabReport({ tabId: 12 });
    const send = vi.fn(async () => report);
    const result = await fetchTabReport(12, { send });
    expect(send).toHaveBeenCalledWith({ type: 'detections:get', tabId: 12 });
    expect(result).toEqual({ ok: true, report });
  });

  it('retries while the background is not listening yet, then answers', async () => {
    const clock = fakeClock();
    let calls = 0;
    const send = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new Error('Could not establish connection. Receiving end does not exist.');
      if (calls === 2) return undefined;
      return tabReport();
    });
    const result = await fetchTabReport(7, { send, ...clock });
    expect(result.ok).toBe(true);
    expect(send).toHaveBeenCalledTimes(3);
    expect(clock.sleeps).toEqual([100, 100]);
  });

  it('gives up after the timeout with the last error', async () => {
    const clock = fakeClock();
    const send = vi.fn(async () => {
      throw new Error('Receiving end does not exist.');
    });
    const result = await fetchTabReport(7, { send, ...clock, interval: 100, timeout: 3000 });
    expect(result).toEqual({ ok: false, error: 'Receiving end does not exist.' });
    expect(clock.now()).toBeLessThanOrEqual(3000);
    expect(send.mock.calls.length).toBeGreaterThanOrEqual(30);
    expect(send.mock.calls.length).toBeLessThanOrEqual(31);
  });

  it('does not retry a failure the background answered', async () => {
    const send = vi.fn(async () => ({ ok: false, error: 'invalid message: tabId' }));
    expect(await fetchTabReport(7, { send })).toEqual({ ok: false, error: 'invalid message: tabId' });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('rejects an answer that is not a TabReport', async () => {
    const send = vi.fn(async () => ({
      tabId: 7,
      url: 'https://www.tiktok.com/',
      platform: 'myspace',
      detections: [],
      updatedAt: 0,
    }));
    const result = await fetchTabReport(7, { send });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/platform/);
  });
});

describe('targetTab', () => {
  afterEach(() => fakeBrowser.reset());

  it('uses ?tabId=N when the page was opened with one', async () => {
    const query = vi.spyOn(fakeBrowser.tabs, 'query');
    vi.spyOn(fakeBrowser.tabs, 'get').mockResolvedValue({ id: 42, url: 'https://www.tiktok.com/shop' } as never);
    expect(await targetTab('?tabId=42')).toEqual({ id: 42, url: 'https://www.tiktok.com/shop' });
    expect(query).not.toHaveBeenCalled();
  });

  it('still uses tabId when the tab cannot be read', async () => {
    vi.spyOn(fakeBrowser.tabs, 'get').mockRejectedValue(new Error('No tab with id: 42'));
    expect(await targetTab('?tabId=42')).toEqual({ id: 42, url: undefined });
  });

  it('otherwise uses the active tab of the current window', async () => {
    const query = vi
      .spyOn(fakeBrowser.tabs, 'query')
      .mockResolvedValue([{ id: 5, url: 'https://www.youtube.com/' }] as never);
    expect(await targetTab('')).toEqual({ id: 5, url: 'https://www.youtube.com/' });
    expect(query).toHaveBeenCalledWith({ active: true, currentWindow: true });
  });

  it('ignores a tabId that is not a number, and answers null without an active tab', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([] as never);
    expect(await targetTab('?tabId=abc')).toBeNull();
  });
});
