/**
 * The strings the audit document carries (lib/audit-document.ts `AuditText`), from the locale
 * files through the browser's i18n: the popup's feature, category and severity names, what the rules
 * say about each kind of finding, and the report's own advice.
 */
import { i18n } from '#i18n';
import { severityText } from '@/components/CategoryBadge';
import type { AdviceStep, AuditText } from '@/lib/audit-document';
import type { Explanation } from '@/lib/findings';
import { categoryLabel, featureLabel } from '@/utils/taxonomy-labels';

const ADVICE_TEXT = {
  marketplace: () => i18n.t('report.advice.marketplace'),
  link: () => i18n.t('report.advice.link'),
  promotion: () => i18n.t('report.advice.promotion'),
  platform: () => i18n.t('report.advice.platform'),
  'price-floor': () => i18n.t('report.advice.priceFloor'),
  'foreign-merchant': () => i18n.t('report.advice.foreignMerchant'),
} satisfies Record<AdviceStep, () => string>;

const EXPLANATION_TEXT = {
  transaction: () => i18n.t('popup.explain.transaction'),
  offer: () => i18n.t('popup.explain.offer'),
  'link-out': () => i18n.t('popup.explain.linkOut'),
  'cross-border-offer': () => i18n.t('popup.explain.crossBorder'),
  'marketplace-transaction': () => i18n.t('popup.explain.marketplaceTransaction'),
} satisfies Record<Explanation, () => string>;

export const reportText: AuditText = {
  feature: featureLabel,
  category: categoryLabel,
  severity: severityText,
  explanation: (e) => EXPLANATION_TEXT[e](),
  advice: (step) => ADVICE_TEXT[step](),
  notice: () => i18n.t('report.notice'),
};
