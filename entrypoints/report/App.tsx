/**
 * The seller audit report page (`report.html?tabId=N`, opened from the popup's "Audit this page").
 *
 * It reads the tab's `TabReport` once (utils/fetch-tab-report.ts), builds the audit document
 * (lib/audit-document.ts) with the catalogues and versions, and renders it (AuditDocument.tsx).
 * The controls print it, download it as JSON, or add a screenshot of the page; the screenshot is
 * taken only when the user asks for it, by the background (entrypoints/background/capture-tab.ts).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { MarketplaceCatalogue, TabReport } from '@/rules/schema';
import {
  buildAuditReport,
  auditFileName,
  auditJson,
  type AuditReport,
  type AuditScreenshot,
  type PackInfo,
} from '@/lib/audit-document';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { getMarketplaces, getRegulations, regulationById } from '@/utils/catalogues';
import { fetchTabReport, targetTab } from '@/utils/fetch-tab-report';
import { isFailure, type BackgroundMessage, type ReplyTo } from '@/utils/messages';
import type { RegulationLookup } from '@/lib/findings';
import { loadUserPacks } from '@/utils/user-packs';
import type { UiLocale } from '@/utils/ui-language';
import { AuditDocument } from './AuditDocument';
import { reportText } from './report-text';
import { shrinkScreenshot } from './screenshot';

type Load =
  | { state: 'loading' }
  | { state: 'error'; detail: string }
  | { state: 'ready'; report: TabReport; packs: PackInfo[]; now: number };

type Shot =
  | { state: 'off' }
  | { state: 'taking' }
  | { state: 'on'; screenshot: AuditScreenshot }
  | { state: 'refused'; detail: string };

// A catalogue that fails validation must not take the report down: claims then show their ids.
const lookup: RegulationLookup = (id) => {
  try {
    return regulationById(id);
  } catch {
    return undefined;
  }
};
function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

async function rulePacks(): Promise<PackInfo[]> {
  const bundled = (attempt(loadBundledPacks) ?? []).map((p) => ({ ...p, source: 'bundled' as const }));
  const user = (await loadUserPacks(browser.runtime.getManifest().version).catch(() => [])).map((p) => ({
    ...p,
    source: 'user' as const,
  }));
  return [...bundled, ...user];
}

function timeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function download(doc: AuditReport): void {
  const url = URL.createObjectURL(new Blob([auditJson(doc)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = auditFileName(doc);
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it starts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function App({ locale, search }: { locale: UiLocale; search: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [shot, setShot] = useState<Shot>({ state: 'off' });

  async function start() {
    setLoad({ state: 'loading' });
    // The report is always about one given tab; without `?tabId=` it would audit itself.
    const tab = new URLSearchParams(search).has('tabId') ? await targetTab(search).catch(() => null) : null;
    if (!tab) {
      setLoad({ state: 'error', detail: i18n.t('report.error.noTab') });
      return;
    }
    const [result, packs] = await Promise.all([fetchTabReport(tab.id), rulePacks()]);
    setLoad(
      result.ok
        ? { state: 'ready', report: result.report, packs, now: Date.now() }
        : { state: 'error', detail: result.error },
    );
  }
  useEffect(() => void start(), []);

  const doc = useMemo(() => {
    if (load.state !== 'ready') return null;
    const markets: MarketplaceCatalogue | null = attempt(getMarketplaces);
    return buildAuditReport({
      report: load.report,
      lookup,
      marketplaces: markets,
      regulationsVersion: attempt(getRegulations)?.version ?? null,
      extension: { name: i18n.t('extName'), version: browser.runtime.getManifest().version },
      rulePacks: load.packs,
      now: load.now,
      timeZone: timeZone(),
      language: locale,
      text: reportText,
      screenshot: shot.state === 'on' ? shot.screenshot : null,
    });
  }, [load, shot, locale]);

  useEffect(() => {
    document.title = doc ? i18n.t('report.docTitle', [doc.page.host || doc.page.url || '—']) : i18n.t('report.title');
  }, [doc]);

  async function toggleScreenshot(on: boolean) {
    if (!on || load.state !== 'ready') {
      setShot({ state: 'off' });
      return;
    }
    setShot({ state: 'taking' });
    try {
      const request = { type: 'screenshot:capture', tabId: load.report.tabId } satisfies BackgroundMessage;
      const answer = (await browser.runtime.sendMessage(request)) as ReplyTo<typeof request> | undefined;
      if (isFailure(answer)) throw new Error(answer.error);
      const dataUrl: unknown = answer?.ok ? answer.dataUrl : undefined;
      if (typeof dataUrl !== 'string') throw new Error('no image in the answer');
      setShot({ state: 'on', screenshot: await shrinkScreenshot(dataUrl, Date.now()) });
    } catch (err) {
      setShot({ state: 'refused', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  if (load.state === 'loading') {
    return (
      <p class="report__status" role="status">
        {i18n.t('report.loading')}
      </p>
    );
  }
  if (load.state === 'error' || !doc) {
    const detail = load.state === 'error' ? load.detail : '';
    return (
      <div class="report__error" role="alert">
        <h1>{i18n.t('report.error.title')}</h1>
        <p class="report__error-detail">{i18n.t('report.error.detail', [detail])}</p>
        <button type="button" class="ln-button" onClick={() => void start()}>
          {i18n.t('report.error.retry')}
        </button>
      </div>
    );
  }

  const actions = (
    <section class="report__actions" aria-labelledby="report-actions">
      <h2 id="report-actions" class="report__visually-hidden">
        {i18n.t('report.actions.heading')}
      </h2>
      <div class="report__buttons">
        <button type="button" class="ln-button report__primary" onClick={() => window.print()}>
          {i18n.t('report.actions.print')}
        </button>
        <button type="button" class="ln-button" onClick={() => download(doc)}>
          {i18n.t('report.actions.json')}
        </button>
        <button type="button" class="ln-button" onClick={() => void start().then(() => setShot({ state: 'off' }))}>
          {i18n.t('report.actions.refresh')}
        </button>
      </div>
      <label class="report__toggle">
        <input
          type="checkbox"
          checked={shot.state === 'on' || shot.state === 'taking'}
          disabled={shot.state === 'taking'}
          onChange={(e) => void toggleScreenshot((e.currentTarget as HTMLInputElement).checked)}
        />
        <span>{i18n.t('report.screenshot.allow')}</span>
      </label>
      <p class="report__hint ln-muted">{i18n.t('report.screenshot.hint')}</p>
      {shot.state === 'taking' ? (
        <p class="report__hint" role="status">
          {i18n.t('report.screenshot.taking')}
        </p>
      ) : null}
      {shot.state === 'refused' ? (
        <div class="ln-note report__refused" role="alert">
          <p>{i18n.t('report.screenshot.refused')}</p>
          <p class="report__error-detail">{i18n.t('report.error.detail', [shot.detail])}</p>
        </div>
      ) : null}
    </section>
  );

  return <AuditDocument doc={doc} locale={locale} actions={actions} />;
}
