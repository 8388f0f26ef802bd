/**
 * The research log page: consent first, then the chart of what is kept and the exports, then the
 * records themselves (filters, table, delete) and the settings.
 *
 * The logic lives in utils/research-log/; this file holds the page's state and lays it out.
 * The page reads and deletes in IndexedDB itself (same origin as the background); only the
 * background records. Evidence and URLs come from web pages: they are rendered as text only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { loadBundledPacks } from '@/utils/bundled-rules';
import type { UiLocale } from '@/utils/ui-language';
import {
  consentState,
  giveConsent,
  getResearchSettings,
  researchStatusItem,
  updateResearchSettings,
  watchResearchSettings,
  withdrawConsent,
} from '@/utils/research-log/consent';
import { openResearchDb, type ResearchDb } from '@/utils/research-log/db';
import { EMPTY_STATUS, RESEARCH_CHANNEL, type ResearchSettings, type ResearchStatus } from '@/utils/research-log/types';
import { EMPTY_FORM, filterFromForm, type FilterForm } from '@/utils/research-log/view';
import { ConsentPanel, StatusBanner } from './Consent';
import { RecordsPanel } from './Records';
import { ChartPanel } from './Chart';
import { ExportPanel, SettingsPanel } from './Tools';

export function App({ locale }: { locale: UiLocale }) {
  const [settings, setSettings] = useState<ResearchSettings | null>(null);
  const [status, setStatus] = useState<ResearchStatus>(EMPTY_STATUS);
  const [db, setDb] = useState<ResearchDb | null>(null);
  const [dbError, setDbError] = useState<string | null>(null);
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  /** Raised whenever the log changed (a write, a delete, an import): panels reload then. */
  const [revision, setRevision] = useState(0);
  const bump = () => setRevision((r) => r + 1);
  const pendingBump = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    getResearchSettings().then(setSettings);
    const unwatch = watchResearchSettings(setSettings);
    researchStatusItem.getValue().then(setStatus);
    const unwatchStatus = researchStatusItem.watch((s) => setStatus(s ?? EMPTY_STATUS));
    openResearchDb().then(setDb, (e: unknown) => setDbError(String(e)));
    // The background says when it wrote; reload at most twice a second.
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RESEARCH_CHANNEL) : null;
    if (channel) {
      channel.onmessage = () => {
        pendingBump.current ??= setTimeout(() => {
          pendingBump.current = null;
          bump();
        }, 500);
      };
    }
    const onVisible = () => document.visibilityState === 'visible' && bump();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      unwatch();
      unwatchStatus();
      channel?.close();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  if (!settings) {
    return (
      <main class="rl">
        <p role="status">{i18n.t('research.loading')}</p>
      </main>
    );
  }

  const filter = filterFromForm(form);
  const state = consentState(settings);
  const clearAll = async () => {
    await db?.clear();
    bump();
  };

  return (
    <div class="rl">
      <header class="rl__header">
        <h1>{i18n.t('research.title')}</h1>
        <p class="ln-muted">{i18n.t('research.intro')}</p>
      </header>
      <main>
        {dbError ? (
          <p class="rl__alert" role="alert">
            {i18n.t('research.dbError', [dbError])}
          </p>
        ) : null}
        <StatusBanner status={status} locale={locale} onDismiss={() => researchStatusItem.setValue(EMPTY_STATUS)} />
        <ConsentPanel
          settings={settings}
          state={state}
          locale={locale}
          db={db}
          onAgree={() => updateResearchSettings((s) => giveConsent(s, Date.now()))}
          onWithdraw={() => updateResearchSettings(withdrawConsent)}
          onDeleteAll={clearAll}
        />
        {db ? (
          <>
            {/* What the log shows and what can be taken away first; the long table last. */}
            <ChartPanel db={db} filter={filter} revision={revision} locale={locale} />
            <ExportPanel
              db={db}
              filter={filter}
              canImport={state === 'current'}
              versions={() => ({
                extensionVersion: browser.runtime.getManifest().version,
                rulePacks: rulePackVersions(),
              })}
              retention={settings}
              onChanged={bump}
            />
            <RecordsPanel
              db={db}
              form={form}
              filter={filter}
              onForm={setForm}
              revision={revision}
              locale={locale}
              onChanged={bump}
            />
          </>
        ) : null}
        <SettingsPanel
          settings={settings}
          onSave={async (change) => {
            const next = await updateResearchSettings((s) => ({ ...s, ...change }));
            // Lower caps apply at once, not only at the background's next write.
            await db?.enforceRetention(next, Date.now());
            bump();
          }}
        />
      </main>
    </div>
  );
}

let packVersions: string[] | null = null;
function rulePackVersions(): string[] {
  // Loaded on first export only: the packs are validated on load.
  return (packVersions ??= loadPackVersions());
}
function loadPackVersions(): string[] {
  try {
    return loadBundledPacks().map((p) => `${p.name}@${p.version}`);
  } catch {
    return [];
  }
}
