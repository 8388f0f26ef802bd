/**
 * The popup: the verdict first (one sentence on what this page does and whether it matters), the
 * per-site switch and "Audit this page" right under it, then one row per feature, what the rules
 * say (each entry once), where to buy instead, where to complain, and the other settings last.
 *
 * Everything shown comes from one `TabReport` and the catalogues (lib/findings.ts turns them into
 * a view model); this file loads it, wires the buttons to the extension APIs and lays it out.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { ComplaintList } from '@/components/ComplaintList';
import { MarketplaceList } from '@/components/MarketplaceList';
import type { MarketplaceCatalogue, TabReport } from '@/rules/schema';
import { findingCatalogues, getMarketplaces } from '@/utils/catalogues';
import { fetchTabReport, targetTab } from '@/utils/fetch-tab-report';
import { isFailure } from '@/utils/messages';
import { PLATFORM_NAMES } from '@/lib/platform-names';
import { buildPopupModel, hostOf, isWebPage, type PopupModel } from '@/lib/findings';
import { isHostDisabled, type Settings } from '@/utils/settings';
import { getSettings, setHostDisabled, updateSettings } from '@/utils/settings-store';
import type { UiLocale } from '@/utils/ui-language';
import { FeatureRows } from './FeatureRows';
import { RulesSection } from './RulesSection';
import { Verdict, type VerdictState } from './Verdict';

type Load =
  | { state: 'loading' }
  | { state: 'error'; detail: string }
  | { state: 'ready'; report: TabReport; tabUrl: string | undefined };

// A catalogue that fails validation must not take the whole popup down: the marketplace and
// complaint sections are then left out.
function marketplaceCatalogue(): MarketplaceCatalogue | null {
  try {
    return getMarketplaces();
  } catch {
    return null;
  }
}

/** An extension page's URL; pages other engineers add later are not in WXT's path types yet. */
function extensionPageUrl(path: string): string {
  return (browser.runtime.getURL as (p: string) => string)(path);
}

/**
 * The model of the tab. A tab the background never saw has no URL in its report: the tab's own
 * URL (when the browser gives it) tells an extension page from a site Lensa Niaga does not cover.
 */
function modelOf(report: TabReport, tabUrl: string | undefined): PopupModel {
  const url = report.url || (report.platform === null ? (tabUrl ?? '') : '');
  return buildPopupModel({ ...report, url }, findingCatalogues());
}

function verdictState(model: PopupModel, disabled: boolean): VerdictState {
  if (model.state === 'extension-page') return { kind: 'extension-page' };
  if (disabled) return { kind: 'disabled', host: model.host };
  if (model.state === 'other-site') return { kind: 'other-site', host: model.host };
  if (model.state === 'clean') return { kind: 'clean', platform: model.platform };
  return { kind: 'found', model };
}

export function App({ locale, search }: { locale: UiLocale; search: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [settings, setSettings] = useState<Settings | null>(null);

  async function start() {
    setLoad({ state: 'loading' });
    getSettings().then(setSettings, () => setSettings(null));
    const tab = await targetTab(search).catch(() => null);
    if (!tab) {
      setLoad({ state: 'error', detail: i18n.t('popup.error.noTab') });
      return;
    }
    const result = await fetchTabReport(tab.id);
    setLoad(
      result.ok ? { state: 'ready', report: result.report, tabUrl: tab.url } : { state: 'error', detail: result.error },
    );
  }
  useEffect(() => void start(), []);

  const model = useMemo(() => (load.state === 'ready' ? modelOf(load.report, load.tabUrl) : null), [load]);
  const tabId = load.state === 'ready' ? load.report.tabId : null;
  const host = model?.host || (load.state === 'ready' && load.tabUrl ? hostOf(load.tabUrl) : '');
  const disabled = !!settings && !!host && isHostDisabled(settings, host);

  const reveal = async (ruleId: string): Promise<boolean> => {
    if (tabId === null) return false;
    try {
      const answer = await browser.tabs.sendMessage(tabId, { type: 'highlight:reveal', ruleId });
      return !isFailure(answer);
    } catch {
      return false;
    }
  };

  const [pickFailed, setPickFailed] = useState(false);
  // The picker runs in the page and the popup closes when the page gets focus: its UI is on the page.
  const startPicker = async (id: number) => {
    try {
      await browser.scripting.executeScript({ target: { tabId: id }, files: ['/picker.js'] });
      window.close();
    } catch {
      setPickFailed(true);
    }
  };

  const verdict = model ? verdictState(model, disabled) : null;
  // The switch belongs to web pages Lensa Niaga runs on (or is switched off on); the audit to
  // platform pages it checked.
  const canSwitch =
    !!model && !!host && isWebPage(model.url) && (disabled || model.state === 'clean' || model.state === 'found');
  const canAudit = !disabled && (model?.state === 'clean' || model?.state === 'found');

  return (
    <div class="popup">
      <header class="popup__header">
        <h1 class="popup__title">{i18n.t('popup.title')}</h1>
        {model && (model.state === 'clean' || model.state === 'found') ? (
          <p class="popup__platform">
            <span>
              {model.state === 'found' && model.operator.kind === 'marketplace'
                ? i18n.t('popup.summary.runBy', [PLATFORM_NAMES[model.platform], model.operator.marketplace.name])
                : i18n.t('popup.summary.platform', [PLATFORM_NAMES[model.platform]])}
            </span>
            {model.host ? <span class="ln-muted"> {model.host}</span> : null}
          </p>
        ) : null}
      </header>
      <main class="popup__main">
        {load.state === 'loading' ? (
          <p class="popup__status" role="status">
            {i18n.t('popup.loading')}
          </p>
        ) : null}
        {load.state === 'error' ? <ErrorState detail={load.detail} onRetry={start} /> : null}
        {verdict ? <Verdict state={verdict} locale={locale} /> : null}
        {load.state === 'ready' && load.report.memoryOnly ? (
          <p class="popup__note" role="note" data-testid="memory-only">
            {i18n.t('popup.memoryOnly')}
          </p>
        ) : null}
        {canSwitch || (canAudit && tabId !== null) ? (
          <div class="popup__actions" data-actions>
            {canSwitch && settings ? (
              <button
                type="button"
                class="ln-button"
                onClick={async () => setSettings(await setHostDisabled(host, !disabled))}
              >
                {disabled ? i18n.t('popup.controls.enable', [host]) : i18n.t('popup.controls.disable', [host])}
              </button>
            ) : null}
            {canAudit && tabId !== null ? (
              <button
                type="button"
                class="ln-button"
                onClick={() => void browser.tabs.create({ url: `${extensionPageUrl('/report.html')}?tabId=${tabId}` })}
              >
                {i18n.t('popup.controls.report')}
              </button>
            ) : null}
            {canAudit && tabId !== null ? (
              <button type="button" class="ln-button" onClick={() => void startPicker(tabId)}>
                {i18n.t('popup.controls.pick')}
              </button>
            ) : null}
            {pickFailed ? (
              <p role="alert" class="ln-muted">
                {i18n.t('popup.controls.pickFailed')}
              </p>
            ) : null}
          </div>
        ) : null}
        {verdict?.kind === 'found' ? <Found model={verdict.model} locale={locale} onReveal={reveal} /> : null}
      </main>
      {load.state === 'ready' ? <OtherSettings settings={settings} onSettings={setSettings} /> : null}
    </div>
  );
}

function ErrorState({ detail, onRetry }: { detail: string; onRetry: () => void }) {
  return (
    <div class="popup__error" role="alert">
      <p class="popup__error-title">{i18n.t('popup.error.title')}</p>
      <p>{i18n.t('popup.error.body')}</p>
      <p class="ln-muted popup__error-detail">{i18n.t('popup.error.detail', [detail])}</p>
      <button type="button" class="ln-button" onClick={onRetry}>
        {i18n.t('popup.error.retry')}
      </button>
    </div>
  );
}

function Found({
  model,
  locale,
  onReveal,
}: {
  model: Extract<PopupModel, { state: 'found' }>;
  locale: UiLocale;
  onReveal: (ruleId: string) => Promise<boolean>;
}) {
  const markets = marketplaceCatalogue();
  return (
    <>
      <section class="popup__section" aria-labelledby="ln-found">
        <h2 id="ln-found">{i18n.t('popup.detail.heading')}</h2>
        <FeatureRows rows={model.rows} rules={model.rules} onReveal={onReveal} />
      </section>
      {model.rules.entries.length > 0 ? <RulesSection rules={model.rules} locale={locale} /> : null}
      {/* On a page a marketplace runs, the shopping already happens there: no "instead". */}
      {markets && model.verdict.kind !== 'marketplace' ? (
        <section class="popup__section" id="ln-buy" aria-labelledby="ln-buy-heading">
          <h2 id="ln-buy-heading">{i18n.t('popup.buy.heading')}</h2>
          <MarketplaceList
            marketplaces={markets.marketplaces}
            registryUrl={markets.pseRegistryUrl}
            query={model.productQuery}
            locale={locale}
          />
        </section>
      ) : null}
      {markets ? (
        <section class="popup__section" aria-labelledby="ln-complain">
          <h2 id="ln-complain">{i18n.t('popup.complain.heading')}</h2>
          <p>{i18n.t('popup.complain.intro')}</p>
          <ComplaintList channels={markets.complaintChannels} locale={locale} />
        </section>
      ) : null}
    </>
  );
}

function OtherSettings({ settings, onSettings }: { settings: Settings | null; onSettings: (s: Settings) => void }) {
  return (
    <footer class="popup__controls" aria-labelledby="ln-controls">
      <h2 id="ln-controls">{i18n.t('popup.controls.heading')}</h2>
      {settings ? (
        <label class="popup__toggle">
          <input
            type="checkbox"
            checked={settings.highlights}
            onChange={async (e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              onSettings(await updateSettings((s) => ({ ...s, highlights: on })));
            }}
          />
          <span>{i18n.t('popup.controls.highlights')}</span>
        </label>
      ) : null}
      <button
        type="button"
        class="ln-button"
        onClick={() => void browser.tabs.create({ url: extensionPageUrl('/research.html') })}
      >
        {i18n.t('popup.controls.research')}
      </button>
    </footer>
  );
}
