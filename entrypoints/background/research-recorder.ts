/**
 * The research log's writer, run by the background.
 *
 *   onReport(TabReport) ─▶ observe: consent? ─▶ which visit? ─▶ changed detections ─▶ pending
 *   pending ──(1 s, or 500 records)──▶ flush: one transaction ─▶ retention ─▶ status
 *
 * - Nothing happens without consent to the current text: no visit is tracked, nothing is kept in
 *   memory, the database is not even opened. Withdrawing drops whatever was waiting.
 * - A route visit starts at a content-script reset. Reports are cumulative per tab (tab-store.ts
 *   merges diffs), and a reset is the only update after which a rule the tab had is gone or has
 *   another firstSeen: `startsNewVisit` reads that, so the background wiring stays one call.
 * - A record per (visit, rule), updated in place (count, lastSeen) as diffs arrive.
 * - Storage full: evict the oldest records and retry, so the newest are kept; if it still fails,
 *   the batch waits in memory for the next flush. Either way the page is told (researchStatusItem).
 */
import { browser } from 'wxt/browser';
import type { TabReport } from '../../rules/schema';
import { cleanEvidence } from '../../lib/redact';
import { loadBundledPacks } from '../../utils/bundled-rules';
import type { SessionArea } from './tab-store';
import {
  getResearchSettings,
  isRecording,
  researchStatusItem,
  storedUrl,
  watchResearchSettings,
} from '../../utils/research-log/consent';
import { isQuotaError, mergeRecords, openResearchDb, type ResearchDb } from '../../utils/research-log/db';
import {
  DEFAULT_RESEARCH_SETTINGS,
  RESEARCH_CHANNEL,
  type ResearchRecord,
  type ResearchSettings,
  type ResearchStatus,
} from '../../utils/research-log/types';

/** Wait this long after the first change before writing, so a burst of diffs is one transaction. */
export const FLUSH_DELAY_MS = 1_000;
/** Write at once when this many records are waiting (a busy infinite feed). */
export const MAX_BATCH = 500;
/** Records kept in memory while storage refuses them; beyond this the oldest waiting ones go. */
export const MAX_WAITING = 10_000;
/** Eviction attempts per flush when storage is full; each frees twice as many records as the last. */
const QUOTA_RETRIES = 4;

/** What the writer remembers of a tab's current visit (kept in storage.session across restarts). */
export interface VisitState {
  visitId: string;
  url: string;
  /** Per rule: firstSeen, lastSeen and count as the content script reported them last. */
  rules: Record<string, { firstSeen: number; lastSeen: number; count: number }>;
}

/**
 * Does this report start a new visit of the tab? After a non-reset update every rule the tab had
 * is still there with the same firstSeen (the tab store keeps the earliest); after a reset the report
 * holds only the new route's detections, with the new route's times.
 */
export function startsNewVisit(visit: VisitState | undefined, report: TabReport): boolean {
  if (!visit) return true;
  const known = Object.entries(visit.rules);
  if (known.length === 0) return true; // nothing recorded for it: starting afresh loses nothing
  const now = new Map(report.detections.map((d) => [d.ruleId, d]));
  return known.some(([ruleId, seen]) => now.get(ruleId)?.firstSeen !== seen.firstSeen);
}

export interface RecorderDeps {
  openDb(): Promise<ResearchDb>;
  versions(): { extensionVersion: string; rulePacks: string[] };
  now(): number;
  newId(): string;
  setTimer(cb: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Where visit states survive a service-worker restart (storage.session). */
  visits?: SessionArea;
  setStatus?(status: ResearchStatus): Promise<void> | void;
  /** Called after each successful write (the background tells open research pages). */
  onWritten?(count: number): void;
}

const VISIT_PREFIX = 'researchVisit:';

export class ResearchRecorder {
  private settings: ResearchSettings | null = null;
  private readonly pending = new Map<string, ResearchRecord>();
  private readonly visits = new Map<number, VisitState>();
  private readonly dirtyVisits = new Set<number>();
  private early: TabReport[] = [];
  private timer: unknown = null;
  private db: Promise<ResearchDb> | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Visit states are read back from session storage once, before the first report is handled. */
  private restore: 'no' | 'running' | 'done' = 'no';
  /** Written records since start, and time spent in write transactions (for the status line and benchmarks). */
  readonly stats = { written: 0, flushes: 0, writeMs: 0, evicted: 0, dropped: 0 };

  constructor(private readonly deps: RecorderDeps) {}

  get waiting(): number {
    return this.pending.size;
  }

  get recording(): boolean {
    return isRecording(this.settings);
  }

  /** Settings arrive from storage (at start and on every change). */
  setSettings(settings: ResearchSettings): void {
    const was = this.recording;
    this.settings = settings;
    if (!this.recording) {
      this.stop();
      return;
    }
    if (!was && this.restore === 'no') {
      this.restore = 'running';
      void this.restoreVisits().then(() => {
        this.restore = 'done';
        // Reports that came in while settings and visits were read (a worker restart) go now.
        const early = this.early;
        this.early = [];
        early.forEach((r) => this.observe(r));
      });
    }
  }

  /** Withdrawn consent: forget everything not yet written, and every visit. */
  private stop(): void {
    this.early = [];
    this.pending.clear();
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    const tabs = [...this.visits.keys()];
    this.visits.clear();
    this.dirtyVisits.clear();
    if (tabs.length > 0) void this.deps.visits?.remove(tabs.map((t) => VISIT_PREFIX + t)).catch(() => {});
  }

  private async restoreVisits(): Promise<void> {
    if (!this.deps.visits) return;
    try {
      const all = await this.deps.visits.get(null);
      for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith(VISIT_PREFIX)) continue;
        const tabId = Number(key.slice(VISIT_PREFIX.length));
        const v = value as VisitState;
        if (Number.isInteger(tabId) && typeof v?.visitId === 'string' && v.rules && !this.visits.has(tabId))
          this.visits.set(tabId, v);
      }
    } catch {
      // No session storage: visits start afresh, which at worst splits one visit in two.
    }
  }

  /** A tab's report changed (called by the background after every detections:update). */
  observe(report: TabReport): void {
    if (this.settings === null || (this.recording && this.restore !== 'done')) {
      if (this.early.length < 200) this.early.push(report);
      return;
    }
    if (!this.recording || report.platform === null) return;
    const settings = this.settings;
    const now = this.deps.now();
    let visit = this.visits.get(report.tabId);
    if (startsNewVisit(visit, report)) {
      visit = { visitId: this.deps.newId(), url: storedUrl(report.url, settings.urlMode), rules: {} };
      this.visits.set(report.tabId, visit);
      this.dirtyVisits.add(report.tabId);
    }
    const versions = this.deps.versions();
    for (const d of report.detections) {
      const seen = visit!.rules[d.ruleId];
      if (d.count < 1 || (seen && seen.lastSeen === d.lastSeen && seen.count === d.count)) continue;
      visit!.rules[d.ruleId] = { firstSeen: d.firstSeen, lastSeen: d.lastSeen, count: d.count };
      this.dirtyVisits.add(report.tabId);
      const record: ResearchRecord = {
        id: `${visit!.visitId}:${d.ruleId}`,
        visitId: visit!.visitId,
        time: now,
        lastSeen: now,
        platform: d.platform,
        url: visit!.url,
        ruleId: d.ruleId,
        feature: d.feature,
        category: d.category,
        count: d.count,
        evidence: cleanEvidence(d.evidence, d.feature),
        extensionVersion: versions.extensionVersion,
        rulePacks: versions.rulePacks,
        consentVersion: settings.consent!.version,
      };
      const waiting = this.pending.get(record.id);
      this.pending.set(record.id, waiting ? mergeRecords(waiting, record) : record);
    }
    if (this.pending.size >= MAX_BATCH) void this.flush();
    else if (this.pending.size > 0 && this.timer === null) {
      this.timer = this.deps.setTimer(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_DELAY_MS);
    }
  }

  /** Write what is waiting. Flushes run one after another; the promise settles when this one has. */
  flush(): Promise<void> {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.write()).catch(() => {});
    return this.writing;
  }

  private async write(): Promise<void> {
    if (!this.recording || this.pending.size === 0) return;
    const settings = this.settings!;
    const batch = [...this.pending.values()];
    this.pending.clear();
    await this.saveVisits();
    let db: ResearchDb;
    try {
      db = await (this.db ??= this.deps.openDb());
    } catch (error) {
      this.db = null;
      return this.keepWaiting(batch, 'write-failed', 0, error);
    }
    const started = this.deps.now();
    let evicted = 0;
    for (let attempt = 0; ; attempt++) {
      // Consent may have been withdrawn while this flush waited for the one before it.
      if (!this.recording) return;
      try {
        await db.upsert(batch);
        break;
      } catch (error) {
        if (!isQuotaError(error)) return this.keepWaiting(batch, 'write-failed', evicted, error);
        // The oldest records go first, so that the newest can be kept.
        const freed =
          attempt < QUOTA_RETRIES ? await db.evictOldest(Math.max(batch.length, 100) * 2 ** attempt).catch(() => 0) : 0;
        evicted += freed;
        this.stats.evicted += freed;
        if (freed === 0) return this.keepWaiting(batch, 'storage-full', evicted, error);
      }
    }
    this.stats.written += batch.length;
    this.stats.flushes++;
    this.stats.writeMs += this.deps.now() - started;
    try {
      await db.enforceRetention(settings, this.deps.now());
    } catch {
      // Retention runs again after the next write.
    }
    this.deps.onWritten?.(batch.length);
    if (evicted > 0) {
      await this.report({
        kind: 'storage-full',
        at: this.deps.now(),
        evicted,
        waiting: 0,
        dropped: 0,
        detail: 'QuotaExceededError',
      });
    }
  }

  /** A batch that could not be written goes back to wait (merged with anything newer), and the page is told. */
  private async keepWaiting(
    batch: ResearchRecord[],
    kind: 'storage-full' | 'write-failed',
    evicted: number,
    error: unknown,
  ): Promise<void> {
    if (!this.recording) return;
    for (const r of batch) {
      const newer = this.pending.get(r.id);
      this.pending.set(r.id, newer ? mergeRecords(r, newer) : r);
    }
    let dropped = 0;
    // Map order is insertion order: the first keys are the oldest waiting records.
    for (const id of this.pending.keys()) {
      if (this.pending.size <= MAX_WAITING) break;
      this.pending.delete(id);
      dropped++;
    }
    this.stats.dropped += dropped;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.report({
      kind,
      at: this.deps.now(),
      evicted,
      waiting: this.pending.size,
      dropped,
      detail: detail.slice(0, 300),
    });
    if (this.timer === null && this.pending.size > 0) {
      this.timer = this.deps.setTimer(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_DELAY_MS * 10);
    }
  }

  private async report(problem: NonNullable<ResearchStatus['problem']>): Promise<void> {
    try {
      await this.deps.setStatus?.({ problem });
    } catch {
      // Nowhere to report to; the stats still count it.
    }
  }

  private async saveVisits(): Promise<void> {
    if (!this.deps.visits || this.dirtyVisits.size === 0) return;
    const items: Record<string, unknown> = {};
    for (const tabId of this.dirtyVisits) {
      const v = this.visits.get(tabId);
      if (v) items[VISIT_PREFIX + tabId] = v;
    }
    this.dirtyVisits.clear();
    await this.deps.visits.set(items).catch(() => {});
  }
}

/**
 * The background's research log: reads the settings, follows their changes, and returns the
 * recorder whose `observe` the background calls with every report.
 */
export function startResearchLog(): ResearchRecorder {
  let versions: { extensionVersion: string; rulePacks: string[] } | null = null;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RESEARCH_CHANNEL) : null;
  const recorder = new ResearchRecorder({
    openDb: () => openResearchDb(),
    versions: () =>
      (versions ??= {
        extensionVersion: browser.runtime.getManifest().version,
        rulePacks: loadBundledPacks().map((p) => `${p.name}@${p.version}`),
      }),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    setTimer: (cb, ms) => setTimeout(cb, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    visits: browser.storage.session,
    setStatus: (status) => researchStatusItem.setValue(status),
    onWritten: (count) => channel?.postMessage({ written: count }),
  });
  getResearchSettings().then(
    (s) => recorder.setSettings(s),
    () => recorder.setSettings(DEFAULT_RESEARCH_SETTINGS),
  );
  watchResearchSettings((s) => recorder.setSettings(s));
  return recorder;
}
