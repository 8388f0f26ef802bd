/**
 * Per-tab detection state, kept in `storage.session` so it survives the MV3 service worker being
 * stopped and restarted, and dropped when the browser closes. An in-memory copy answers reads;
 * every change is written through. When `storage.session` refuses a tab's write (its quota is
 * full), the tab's report is answered from memory with `memoryOnly: true`, so the popup can say
 * that the findings may be lost if the browser stops the background; the next write that
 * succeeds clears it.
 */
import type { Detection, PlatformId, TabReport } from '../../rules/schema';
import { cleanDetection } from '../../lib/detection-gate';

export interface SessionArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

const PREFIX = 'tab:';

export function emptyReport(tabId: number, url = '', platform: PlatformId | null = null, now = Date.now()): TabReport {
  return { tabId, url, platform, detections: [], updatedAt: now };
}

/** Merge a content script's diff into a report. `reset` starts the route afresh. */
export function applyUpdate(
  previous: TabReport | undefined,
  tabId: number,
  update: { url: string; platform: PlatformId; reset: boolean; detections: Detection[] },
  now: number,
): TabReport {
  const base = update.reset || !previous ? emptyReport(tabId, update.url, update.platform, now) : previous;
  const byRule = new Map(base.detections.map((d) => [d.ruleId, d]));
  // The content script already redacted; the background does not take that on trust.
  for (const d of update.detections.map(cleanDetection)) {
    const old = byRule.get(d.ruleId);
    byRule.set(d.ruleId, old ? { ...d, firstSeen: Math.min(old.firstSeen, d.firstSeen) } : d);
  }
  return { tabId, url: update.url, platform: update.platform, detections: [...byRule.values()], updatedAt: now };
}

export class TabStore {
  private readonly reports = new Map<number, TabReport>();
  /** Tabs whose last write storage.session refused. */
  private readonly unsaved = new Set<number>();
  private readonly ready: Promise<void>;
  /** Writes are chained so a later state never lands before an earlier one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly area: SessionArea) {
    this.ready = this.restore();
  }

  private async restore(): Promise<void> {
    try {
      const all = await this.area.get(null);
      for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith(PREFIX)) continue;
        const report = value as TabReport;
        if (typeof report?.tabId === 'number' && Array.isArray(report.detections))
          this.reports.set(report.tabId, report);
      }
    } catch {
      // No session storage (or it failed): start empty rather than not at all.
    }
  }

  async get(tabId: number): Promise<TabReport> {
    await this.ready;
    const report = this.reports.get(tabId);
    if (!report) return emptyReport(tabId, '', null, 0);
    return this.unsaved.has(tabId) ? { ...report, memoryOnly: true } : report;
  }

  async update(
    tabId: number,
    update: { url: string; platform: PlatformId; reset: boolean; detections: Detection[] },
    now = Date.now(),
  ): Promise<TabReport> {
    await this.ready;
    const next = applyUpdate(this.reports.get(tabId), tabId, update, now);
    this.reports.set(tabId, next);
    this.persist(tabId, () => this.area.set({ [PREFIX + tabId]: next }));
    return next;
  }

  async clear(tabId: number): Promise<void> {
    await this.ready;
    if (!this.reports.delete(tabId)) return;
    this.unsaved.delete(tabId);
    this.persist(tabId, () => this.area.remove(PREFIX + tabId));
  }

  /** Resolves when every write so far has been made. */
  flushed(): Promise<void> {
    return this.writing;
  }

  private persist(tabId: number, write: () => Promise<void>): void {
    this.writing = this.writing.then(write).then(
      () => void this.unsaved.delete(tabId),
      () => {
        // storage.session full or gone: memory still answers (and says so); the next write tries again.
        if (this.reports.has(tabId)) this.unsaved.add(tabId);
      },
    );
  }
}
