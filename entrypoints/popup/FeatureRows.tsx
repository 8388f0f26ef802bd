/**
 * One row per feature found on the page, collapsed to a line (feature, how many elements, how much
 * attention it needs) that opens to the feature in plain words, the page texts it was found by, a
 * button to show it on the page, the rules it relies on (links into "What the rules say") and the
 * ids of the detection rules that found it.
 *
 * Evidence is page text and therefore untrusted: it is rendered as text nodes only.
 */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { SeverityTag } from '@/components/CategoryBadge';
import type { Explanation, FeatureRow, RulesSection } from '@/lib/findings';
import { featureLabel, localeId } from '@/utils/taxonomy-labels';
import { entryAnchor, openEntry } from './RulesSection';

const ROW_TEXT = {
  transaction: () => i18n.t('popup.row.transaction'),
  offer: () => i18n.t('popup.row.offer'),
  'link-out': () => i18n.t('popup.row.linkOut'),
  'cross-border-offer': () => i18n.t('popup.row.crossBorder'),
  'marketplace-transaction': () => i18n.t('popup.row.marketplaceTransaction'),
} satisfies Record<Explanation, () => string>;

export interface FeatureRowsProps {
  rows: readonly FeatureRow[];
  rules: RulesSection;
  /** Ask the page to scroll to and flash a rule's elements; resolves false when it could not. */
  onReveal?: (ruleId: string) => Promise<boolean>;
}

export function FeatureRows({ rows, rules, onReveal }: FeatureRowsProps) {
  return (
    <div class="ln-rows">
      {rows.map((row) => (
        <Row key={row.feature} row={row} rules={rules} onReveal={onReveal} />
      ))}
    </div>
  );
}

function Tag({ row }: { row: FeatureRow }) {
  if (row.severity !== 'info') return <SeverityTag severity={row.severity} />;
  if (row.explanation === 'marketplace-transaction')
    return <span class="ln-tag ln-tag--marketplace">{i18n.t('popup.summary.marketplace')}</span>;
  return null;
}

function Row({
  row,
  rules,
  onReveal,
}: {
  row: FeatureRow;
  rules: RulesSection;
  onReveal?: FeatureRowsProps['onReveal'];
}) {
  const [revealFailed, setRevealFailed] = useState(false);
  const reveal = async () => {
    setRevealFailed(false);
    // The row merges rules; the first whose elements are still on the page is shown.
    for (const ruleId of row.ruleIds) if (await onReveal?.(ruleId)) return;
    setRevealFailed(true);
  };
  const citationOf = (id: string) => rules.entries.find((e) => e.id === id)?.regulation?.citation ?? id;
  return (
    <details
      class={`ln-detection ln-detection--${row.category} ln-detection--${row.severity}`}
      data-feature={row.feature}
      data-severity={row.severity}
    >
      <summary class="ln-detection__summary">
        <span class="ln-detection__name">{featureLabel(row.feature)}</span>
        <span class="ln-detection__count">{i18n.t('popup.detail.elements', row.count)}</span>
        <Tag row={row} />
      </summary>
      <div class="ln-detection__body">
        <p>{i18n.t(`popup.featureHelp.${localeId(row.feature)}`)}</p>
        <p class="ln-explain" data-explanation={row.explanation}>
          {ROW_TEXT[row.explanation]()}
        </p>
        {row.evidence.length > 0 ? (
          <div class="ln-evidence">
            <p class="ln-muted">{i18n.t('popup.detail.evidence')}</p>
            <ul>
              {row.evidence.map((e) => (
                <li key={e}>
                  <q>{e}</q>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {onReveal && row.count > 0 ? (
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
        {row.regulationIds.length > 0 ? (
          <p class="ln-relies">
            <span class="ln-muted">{i18n.t('popup.detail.rules')}</span>{' '}
            {row.regulationIds.map((id, i) => (
              <span key={id}>
                {i > 0 ? '; ' : ''}
                <a class="ln-link" href={`#${entryAnchor(id)}`} onClick={() => openEntry(id)} data-cites={id}>
                  {citationOf(id)}
                </a>
              </span>
            ))}
          </p>
        ) : null}
        <p class="ln-rule-ids">
          <span class="ln-muted">{i18n.t('popup.detail.ruleIds')}</span>{' '}
          {row.ruleIds.map((id, i) => (
            <span key={id}>
              {i > 0 ? ', ' : ''}
              <code>{id}</code>
            </span>
          ))}
        </p>
      </div>
    </details>
  );
}
