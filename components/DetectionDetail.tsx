/**
 * One detection, collapsed to a line (feature, how many elements, how much attention it needs)
 * that opens to the feature in plain words, the page text it was found by, a button to show it on
 * the page, and what the rules say with their citations.
 *
 * Evidence is page text and therefore untrusted: it is rendered as a text node only.
 */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { DetectionView, Explanation } from '../lib/findings';
import { featureLabel, localeId } from '../utils/taxonomy-labels';
import type { UiLocale } from '../utils/ui-language';
import { SeverityTag } from './CategoryBadge';
import { RegulationCitation } from './RegulationCitation';
import './components.css';

const EXPLANATION_TEXT = {
  transaction: () => i18n.t('popup.explain.transaction'),
  offer: () => i18n.t('popup.explain.offer'),
  'link-out': () => i18n.t('popup.explain.linkOut'),
  'cross-border-offer': () => i18n.t('popup.explain.crossBorder'),
} satisfies Record<Explanation, () => string>;

export function explanationText(explanation: Explanation): string {
  return EXPLANATION_TEXT[explanation]();
}

export interface DetectionDetailProps {
  view: DetectionView;
  locale: UiLocale;
  /** Ask the page to scroll to and flash the elements; resolves false when it could not. */
  onReveal?: (ruleId: string) => Promise<boolean>;
}

export function DetectionDetail({ view, locale, onReveal }: DetectionDetailProps) {
  const { detection } = view;
  const [revealFailed, setRevealFailed] = useState(false);
  const reveal = async () => {
    setRevealFailed(false);
    const ok = await onReveal?.(detection.ruleId);
    if (ok === false) setRevealFailed(true);
  };
  return (
    <details class={`ln-detection ln-detection--${view.category}`} data-rule-id={detection.ruleId}>
      <summary class="ln-detection__summary">
        <span class="ln-detection__name">{featureLabel(detection.feature)}</span>
        <span class="ln-detection__count">{i18n.t('popup.detail.elements', detection.count)}</span>
        {view.severity !== 'info' ? <SeverityTag severity={view.severity} /> : null}
      </summary>
      <div class="ln-detection__body">
        <p>{i18n.t(`popup.featureHelp.${localeId(detection.feature)}`)}</p>
        {detection.evidence ? (
          <p class="ln-evidence">
            <span class="ln-muted">{i18n.t('popup.detail.evidence')}</span> <q>{detection.evidence}</q>
          </p>
        ) : null}
        {onReveal && detection.count > 0 ? (
          <p>
            <button type="button" class="ln-button" onClick={reveal}>
              {i18n.t('popup.detail.reveal')}
            </button>
          </p>
        ) : null}
        {revealFailed ? (
          <p class="ln-note" role="status">
            {i18n.t('popup.detail.revealFailed')}
          </p>
        ) : null}
        <h4 class="ln-detection__rules">{i18n.t('popup.detail.rules')}</h4>
        <p class="ln-explain" data-explanation={view.explanation}>
          {explanationText(view.explanation)}
        </p>
        {view.category === 'transaction' ? <p class="ln-muted">{i18n.t('popup.explain.bindsPlatform')}</p> : null}
        {view.regulations.map((r) => (
          <RegulationCitation key={r.id} item={r} locale={locale} level={5} />
        ))}
      </div>
    </details>
  );
}
