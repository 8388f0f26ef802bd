/**
 * A category's name as a small badge, and the tag that says how much attention a finding needs.
 * Colour is never the only signal: the badge carries the category's name and the tag its words.
 */
import { i18n } from '#i18n';
import type { Category } from '../rules/schema';
import type { Severity } from '../lib/findings';
import { categoryLabel } from '../utils/taxonomy-labels';
import './components.css';

export function CategoryBadge({ category }: { category: Category }) {
  return <span class={`ln-badge ln-badge--${category}`}>{categoryLabel(category)}</span>;
}

const SEVERITY_TEXT = {
  concern: () => i18n.t('popup.summary.concern'),
  'possible-concern': () => i18n.t('popup.summary.possibleConcern'),
  info: () => i18n.t('popup.summary.allowed'),
} satisfies Record<Severity, () => string>;

/** The words of a severity, for pages that show them outside a tag (the seller report's JSON). */
export function severityText(severity: Severity): string {
  return SEVERITY_TEXT[severity]();
}

export function SeverityTag({ severity }: { severity: Severity }) {
  return <span class={`ln-tag ln-tag--${severity}`}>{SEVERITY_TEXT[severity]()}</span>;
}
