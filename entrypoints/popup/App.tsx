/**
 * The popup: summary first, then each detection (collapsed), what the law says, where to buy
 * instead, where to complain, and the controls last (the shape of Privacy Badger's popup).
 *
 * Everything shown comes from one `TabReport` (lib/findings.ts turns it into a view model);
 * this file loads it, wires the buttons to the extension APIs and lays the pieces out.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { CategoryBadge } from '@/components/CategoryBadge';
import { CategorySummary } from '@/components/CategorySummary';
import { ComplaintList } from '@/components/ComplaintList';
import { DetectionDetail } from '@/components/DetectionDetail';
import { MarketplaceList } from '@/components/MarketplaceList';
import { RegulationCitation } from '@/components/RegulationCitation';
import type { MarketplaceCatalogue, TabReport } from '@/rules/schema';
import { getMarketplaces, regulationById } from '@/utils/catalogues';
import { fetchTabReport, targetTab } from '@/utils/fetch-tab-report';
import { isFailure } from '@/utils/messages';
import { PLATFORM_NAMES, platformNames } from '@/lib/platform-names';
import { buildPopupModel, hostOf, type PopupModel, type RegulationLookup } from '@/lib/findings';
import { getSettings, isHostDisabled, setHostDisabled, updateSettings, type Settings } from '@/utils/settings';
import { formatList, localized, type UiLocale } from '@/utils/ui-language';

type Load =
  | { state: 'loading' }
  | { state: 'error'; detail: string }
  | { state: 'ready'; report: TabReport; tabUrl: string | undefined };

// A catalogue that fails validation must not take the whole popup down: claims then show their
// ids (see RegulationCitation) and the marketplace section is left out.
const lookup: RegulationLookup = (id) => {
  try {
    return regulationById(id);
  } catch {
    return undefined;
  }
};
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

  const model = useMemo(() => (load.state === 'ready' ? buildPopupModel(load.report, lookup) : null), [load]);
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

  return (
    <div class="popup">
      <header class="popup__header">
        <h1 class="popup__title">{i18n.t('popup.title')}</h1>
        {model && model.state !== 'other-site' ? (
          <p class="popup__platform">
            <span>{i18n.t('popup.summary.platform', [PLATFORM_NAMES[model.platform]])}</span>
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
        {model ? (
          disabled ? (
            <p class="popup__empty" role="status">
              {i18n.t('popup.empty.disabled', [host])}
            </p>
          ) : (
            <Findings model={model} locale={locale} onReveal={reveal} />
          )
        ) : null}
      </main>
      {load.state === 'ready' ? (
        <Controls host={host} tabId={tabId} settings={settings} disabled={disabled} onSettings={setSettings} />
      ) : null}
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

function Findings({
  model,
  locale,
  onReveal,
}: {
  model: PopupModel;
  locale: UiLocale;
  onReveal: (ruleId: string) => Promise<boolean>;
}) {
  if (model.state === 'other-site') {
    return <p class="popup__empty">{i18n.t('popup.empty.otherSite', [formatList(platformNames(), locale)])}</p>;
  }
  if (model.state === 'clean') {
    return (
      <div class="popup__empty">
        <p>{i18n.t('popup.empty.clean')}</p>
        <p class="ln-muted">{i18n.t('popup.empty.cleanHint')}</p>
      </div>
    );
  }
  const markets = marketplaceCatalogue();
  return (
    <>
      <section class="popup__section" aria-labelledby="ln-summary">
        <h2 id="ln-summary">{i18n.t('popup.summary.heading')}</h2>
        <CategorySummary groups={model.groups} />
      </section>
      <section class="popup__section" aria-labelledby="ln-found">
        <h2 id="ln-found">{i18n.t('popup.detail.heading')}</h2>
        {model.groups
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <div key={g.category} class="popup__group" data-category={g.category}>
              <h3 class="popup__group-title">
                <CategoryBadge category={g.category} />
              </h3>
              {g.items.map((v) => (
                <DetectionDetail key={v.detection.ruleId} view={v} locale={locale} onReveal={onReveal} />
              ))}
            </div>
          ))}
      </section>
      {model.context.length > 0 ? (
        <section class="popup__section" aria-labelledby="ln-context">
          <h2 id="ln-context">{i18n.t('popup.context.heading')}</h2>
          {model.context.map((c) => (
            // Background reading, not a finding: folded so the page's own findings stay in view.
            <details key={c.id} class="ln-fold">
              <summary>{c.regulation ? localized(c.regulation.title, locale) : c.id}</summary>
              <RegulationCitation item={c} locale={locale} level={3} showTitle={false} />
            </details>
          ))}
        </section>
      ) : null}
      {markets ? (
        <section class="popup__section" aria-labelledby="ln-buy">
          <h2 id="ln-buy">{i18n.t('popup.buy.heading')}</h2>
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

function Controls({
  host,
  tabId,
  settings,
  disabled,
  onSettings,
}: {
  host: string;
  tabId: number | null;
  settings: Settings | null;
  disabled: boolean;
  onSettings: (s: Settings) => void;
}) {
  const open = (url: string) => void browser.tabs.create({ url });
  return (
    <footer class="popup__controls" aria-labelledby="ln-controls">
      <h2 id="ln-controls">{i18n.t('popup.controls.heading')}</h2>
      {host && settings ? (
        <button
          type="button"
          class="ln-button"
          onClick={async () => onSettings(await setHostDisabled(host, !disabled))}
        >
          {disabled ? i18n.t('popup.controls.enable', [host]) : i18n.t('popup.controls.disable', [host])}
        </button>
      ) : null}
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
      <div class="popup__actions">
        {tabId !== null ? (
          <button
            type="button"
            class="ln-button"
            onClick={() => open(`${extensionPageUrl('/report.html')}?tabId=${tabId}`)}
          >
            {i18n.t('popup.controls.report')}
          </button>
        ) : null}
        <button type="button" class="ln-button" onClick={() => open(extensionPageUrl('/research.html'))}>
          {i18n.t('popup.controls.research')}
        </button>
      </div>
    </footer>
  );
}
