/**
 * The sentence the popup opens with: what this page does, whether it matters, who the rule binds,
 * and where to buy instead, for every state a page can be in. Marked `data-verdict="<kind>"` so
 * tests can find it; it has to fit above the fold of a 360 × 600 phone screen, so the details
 * (rows, citations) follow below it.
 */
import { i18n } from '#i18n';
import { StatusLabel } from '@/components/RegulationCitation';
import type { PlatformId } from '@/rules/schema';
import type { CitedEntry, PopupModel } from '@/lib/findings';
import { formatDate, formatList } from '@/lib/format';
import { PLATFORM_NAMES, platformNames } from '@/lib/platform-names';
import type { UiLocale } from '@/utils/ui-language';
import { entryAnchor, openEntry } from './RulesSection';

export type VerdictState =
  | { kind: 'disabled'; host: string }
  | { kind: 'extension-page' }
  | { kind: 'other-site'; host: string }
  | { kind: 'clean'; platform: PlatformId }
  | { kind: 'found'; model: Extract<PopupModel, { state: 'found' }> };

/** What the verdict is about, as `data-verdict` names it. */
export function verdictKind(state: VerdictState): string {
  return state.kind === 'found' ? state.model.verdict.kind : state.kind;
}

export function Verdict({ state, locale }: { state: VerdictState; locale: UiLocale }) {
  return (
    <section
      class={`verdict verdict--${verdictKind(state)}`}
      data-verdict={verdictKind(state)}
      aria-labelledby="ln-verdict"
    >
      <VerdictText state={state} locale={locale} />
    </section>
  );
}

function Lead({ children }: { children: string }) {
  return (
    <p class="verdict__lead" id="ln-verdict">
      {children}
    </p>
  );
}

function VerdictText({ state, locale }: { state: VerdictState; locale: UiLocale }) {
  const platforms = formatList(platformNames(), locale);
  switch (state.kind) {
    case 'disabled':
      return <Lead>{i18n.t('popup.verdict.disabled', [state.host])}</Lead>;
    case 'extension-page':
      return (
        <>
          <Lead>{i18n.t('popup.verdict.extensionPage')}</Lead>
          <p>{i18n.t('popup.verdict.extensionPageHint', [platforms])}</p>
        </>
      );
    case 'other-site':
      return (
        <>
          <Lead>{i18n.t('popup.verdict.otherSite', [state.host || '—'])}</Lead>
          <p>{i18n.t('popup.verdict.otherSiteHint', [platforms])}</p>
        </>
      );
    case 'clean':
      return (
        <>
          <Lead>{i18n.t('popup.verdict.clean', [PLATFORM_NAMES[state.platform]])}</Lead>
          <p>{i18n.t('popup.verdict.cleanHint')}</p>
        </>
      );
    case 'found':
      return <FoundText model={state.model} locale={locale} />;
  }
}

function FoundText({ model, locale }: { model: Extract<PopupModel, { state: 'found' }>; locale: UiLocale }) {
  const { verdict, operator } = model;
  const platform = PLATFORM_NAMES[model.platform];
  const n = verdict.features;
  const basis = verdict.basis ? <Basis entry={verdict.basis} locale={locale} /> : null;
  if (verdict.kind === 'transaction') {
    return (
      <>
        <Lead>{i18n.t('popup.verdict.transaction', n.transaction, [String(n.transaction), platform])}</Lead>
        <p>{verdict.hedged ? i18n.t('popup.verdict.transactionHedged') : i18n.t('popup.verdict.transactionLaw')}</p>
        {basis}
        <p>
          <a class="ln-link" href="#ln-buy">
            {i18n.t('popup.verdict.transactionBuy')}
          </a>
        </p>
      </>
    );
  }
  if (verdict.kind === 'marketplace' && operator.kind === 'marketplace') {
    const count = n.transaction + n.offer + n['link-out'];
    return (
      <>
        <Lead>{i18n.t('popup.verdict.marketplace', count, [String(count), operator.marketplace.name, platform])}</Lead>
        {operator.regulationIds.length > 0 ? <p>{i18n.t('popup.verdict.marketplaceNote')}</p> : null}
        {basis}
      </>
    );
  }
  if (verdict.kind === 'offer') {
    return (
      <>
        <Lead>{i18n.t('popup.verdict.offer', n.offer, [String(n.offer), platform])}</Lead>
        <p>
          {i18n.t('popup.verdict.offerLaw')}
          {n['link-out'] > 0 ? ` ${i18n.t('popup.verdict.alsoLinks', n['link-out'])}` : ''}
        </p>
        {basis}
      </>
    );
  }
  return (
    <>
      <Lead>{i18n.t('popup.verdict.linkOut', n['link-out'], [String(n['link-out']), platform])}</Lead>
      <p>{i18n.t('popup.verdict.linkOutLaw')}</p>
      {basis}
    </>
  );
}

/** The entry the verdict rests on: its citation, status and last-verified date, linked to it below. */
function Basis({ entry, locale }: { entry: CitedEntry; locale: UiLocale }) {
  const reg = entry.regulation;
  if (!reg) return null;
  return (
    <p class="verdict__basis">
      <span class="ln-muted">{i18n.t('popup.verdict.basis')}</span>{' '}
      <a class="ln-link" href={`#${entryAnchor(entry.id)}`} onClick={() => openEntry(entry.id)}>
        <cite>{reg.citation}</cite>
      </a>{' '}
      · <StatusLabel status={reg.status} kind={reg.kind} /> ·{' '}
      <span>{i18n.t('popup.citation.verified', [formatDate(reg.lastVerified, locale)])}</span>
    </p>
  );
}
