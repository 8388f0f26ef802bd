/**
 * The seller report's screenshot: the background brings the page tab forward, captures it as a
 * JPEG, and gives the front back to the report, whatever happens; the router accepts the request
 * only from the extension's own pages.
 */
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Sender } from '@/entrypoints/background/router';
import {
  CAPTURE_QUALITY,
  CAPTURE_SETTLE_MS,
  captureTab,
  type CaptureTabsApi,
} from '@/entrypoints/background/capture-tab';
import { TabStore, type SessionArea } from '@/entrypoints/background/tab-store';

const JPEG = 'data:image/jpeg;base64,/9j/4AAQ';

/** A browser with tabs 1 (the page, window 10) and 2 (the report, window 10), recording calls. */
function fakeTabs(options: { pageActive?: boolean; capture?: () => Promise<string>; missing?: boolean } = {}) {
  const calls: string[] = [];
  let active = options.pageActive ? 1 : 2;
  const tabs: CaptureTabsApi = {
    get: vi.fn(async (id: number) => {
      if (options.missing) throw new Error(`No tab with id: ${id}.`);
      return { id, windowId: 10, active: id === active };
    }),
    update: vi.fn(async (id: number) => {
      calls.push(`activate ${id}`);
      active = id;
      return {};
    }),
    captureVisibleTab: vi.fn(async (windowId: number, opts) => {
      calls.push(`capture window ${windowId} showing ${active} as ${opts.format} ${opts.quality}`);
      return options.capture ? options.capture() : JPEG;
    }),
  };
  return { tabs, calls, active: () => active };
}

describe('captureTab', () => {
  it('brings the page forward, waits for it to paint, captures a JPEG, then returns to the report', async () => {
    const { tabs, calls, active } = fakeTabs();
    const waits: number[] = [];
    const result = await captureTab(tabs, 1, 2, async (ms) => void waits.push(ms));
    expect(result).toEqual({ ok: true, dataUrl: JPEG });
    expect(calls).toEqual(['activate 1', `capture window 10 showing 1 as jpeg ${CAPTURE_QUALITY}`, 'activate 2']);
    expect(waits).toEqual([CAPTURE_SETTLE_MS]);
    expect(active()).toBe(2);
  });

  it('captures a page that is already in front without switching tabs', async () => {
    const { tabs, calls } = fakeTabs({ pageActive: true });
    const result = await captureTab(tabs, 1, 2, async () => {});
    expect(result.ok).toBe(true);
    expect(calls).toEqual([`capture window 10 showing 1 as jpeg ${CAPTURE_QUALITY}`]);
  });

  it('reports a refusal (no activeTab grant) and still returns to the report', async () => {
    const refusal = "Either the '<all_urls>' or 'activeTab' permission is required.";
    const { tabs, calls, active } = fakeTabs({ capture: () => Promise.reject(new Error(refusal)) });
    const result = await captureTab(tabs, 1, 2, async () => {});
    expect(result).toEqual({ ok: false, error: refusal });
    expect(calls.at(-1)).toBe('activate 2');
    expect(active()).toBe(2);
  });

  it('refuses anything that is not a JPEG data URL', async () => {
    const { tabs } = fakeTabs({ capture: async () => 'data:image/png;base64,iVBOR' });
    expect(await captureTab(tabs, 1, 2, async () => {})).toEqual({ ok: false, error: 'the browser returned no image' });
  });

  it('answers an error for a closed tab, touching nothing', async () => {
    const { tabs, calls } = fakeTabs({ missing: true });
    const result = await captureTab(tabs, 1, 2, async () => {});
    expect(result.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('does not fail when the report tab was closed meanwhile', async () => {
    const { tabs } = fakeTabs();
    vi.mocked(tabs.update).mockImplementation(async (id) => {
      if (id === 2) throw new Error('No tab with id: 2.');
      return {};
    });
    expect(await captureTab(tabs, 1, 2, async () => {})).toEqual({ ok: true, dataUrl: JPEG });
  });
});

describe('screenshot:capture in the background router', () => {
  const ID = 'ext-id';
  const ORIGIN = 'chrome-extension://ext-id';
  const area: SessionArea = { get: async () => ({}), set: async () => {}, remove: async () => {} };
  const reportPage: Sender = { id: ID, url: `${ORIGIN}/report.html?tabId=1`, tab: { id: 2 }, frameId: 0 };
  const contentScript: Sender = { id: ID, url: 'https://www.tiktok.com/@toko', tab: { id: 1 }, frameId: 0 };

  function setup(withCapture = true) {
    const captured = vi.fn(async (tabId: number, returnTo: number | undefined) => ({
      ok: true as const,
      dataUrl: `${JPEG}${tabId}${returnTo}`,
    }));
    const handle = createRouter({
      store: new TabStore(area),
      extensionId: ID,
      extensionOrigin: ORIGIN,
      ...(withCapture ? { captureTab: captured } : {}),
    });
    return { handle, captured };
  }

  it('captures the asked tab for the report page and returns to the report tab', async () => {
    const { handle, captured } = setup();
    expect(await handle({ type: 'screenshot:capture', tabId: 1 }, reportPage)).toEqual({
      ok: true,
      dataUrl: `${JPEG}12`,
    });
    expect(captured).toHaveBeenCalledWith(1, 2);
  });

  it('refuses content scripts, other extensions and malformed requests', async () => {
    const { handle, captured } = setup();
    const refused = [
      [{ type: 'screenshot:capture', tabId: 1 }, contentScript],
      [
        { type: 'screenshot:capture', tabId: 1 },
        { ...reportPage, id: 'other-extension' },
      ],
      [{ type: 'screenshot:capture' }, reportPage],
      [{ type: 'screenshot:capture', tabId: -1 }, reportPage],
      [{ type: 'screenshot:capture', tabId: 1, windowId: 3 }, reportPage],
    ] as const;
    for (const [message, sender] of refused) {
      expect(await handle(message, sender)).toEqual({ ok: false, error: expect.any(String) });
    }
    expect(captured).not.toHaveBeenCalled();
  });

  it('says so when screenshots are not wired in', async () => {
    const { handle } = setup(false);
    expect(await handle({ type: 'screenshot:capture', tabId: 1 }, reportPage)).toEqual({
      ok: false,
      error: 'screenshots are not available',
    });
  });
});
