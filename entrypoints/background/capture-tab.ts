/**
 * The seller report's optional screenshot, taken by the background (the answer to
 * `screenshot:capture`).
 *
 * `tabs.captureVisibleTab` photographs whatever tab is visible in a window, and only with the
 * `activeTab` grant the user gave by opening the popup on that tab (the extension does not ask for
 * `<all_urls>`). The report is a tab of its own, so the page tab is hidden while the user reads it:
 * bring the page tab to the front, let it paint, take the picture, then bring the report back. If
 * the grant is missing (the report was opened some other way, or the tab navigated since), Chrome
 * refuses and the report goes on without a picture.
 */
import type { CaptureReply } from '../../utils/messages';

export interface CaptureTabsApi {
  get(tabId: number): Promise<{ id?: number; windowId?: number; active?: boolean }>;
  update(tabId: number, change: { active: true }): Promise<unknown>;
  captureVisibleTab(windowId: number, options: { format: 'jpeg'; quality: number }): Promise<string>;
}

/** Time for a tab brought to the front to paint before it is captured. */
export const CAPTURE_SETTLE_MS = 250;
/** JPEG quality: the picture is scaled down to a thumbnail afterwards anyway. */
export const CAPTURE_QUALITY = 60;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Capture tab `tabId` and then make `returnTo` (the report's own tab) active again, whether the
 * capture worked or not.
 */
export async function captureTab(
  tabs: CaptureTabsApi,
  tabId: number,
  returnTo: number | undefined,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<CaptureReply> {
  let tab: Awaited<ReturnType<CaptureTabsApi['get']>>;
  try {
    tab = await tabs.get(tabId);
  } catch {
    return { ok: false, error: `tab ${tabId} is closed` };
  }
  if (tab.windowId === undefined) return { ok: false, error: `tab ${tabId} has no window` };
  try {
    if (!tab.active) {
      await tabs.update(tabId, { active: true });
      await wait(CAPTURE_SETTLE_MS);
    }
    const dataUrl = await tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: CAPTURE_QUALITY });
    if (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:image/jpeg')) {
      return { ok: false, error: 'the browser returned no image' };
    }
    return { ok: true, dataUrl };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    // Only a tab that was hidden was brought forward; give the front back to the report.
    if (!tab.active && returnTo !== undefined && returnTo !== tabId) {
      await tabs.update(returnTo, { active: true }).catch(() => {
        // The report tab was closed meanwhile: nothing to come back to.
      });
    }
  }
}
