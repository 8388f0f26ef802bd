/**
 * The strings the audit document carries (lib/audit-document.ts `AuditText`), from the locale
 * files through the browser's i18n: the popup's feature, category, severity and explanation texts,
 * and the report's own advice.
 */
import { i18n } from '#i18n';
import { severityText } from '@/components/CategoryBadge';
import { explanationText } from '@/components/DetectionDetail';
import type { AdviceStep, AuditText } from '@/lib/audit-document';
import { categoryLabel, featureLabel } from '@/utils/taxonomy-labels';

const ADVICE_TEXT = {
  marketplace: () => i18n.t('report.advice.marketplace'),
  link: () => i18n.t('report.advice.link'),
  promotion: () => i18n.t('report.advice.promotion'),
  platform: () => i18n.t('report.advice.platform'),
  'price-floor': () => i18n.t('report.advice.priceFloor'),
  'foreign-merchant': () => i18n.t('report.advice.foreignMerchant'),
} satisfies Record<AdviceStep, () => string>;

export const reportText: AuditText = {
  feature: featureLabel,
  category: categoryLabel,
  severity: severityText,
  explanation: explanationText,
  advice: (step) => ADVICE_TEXT[step](),
  notice: () => i18n.t('report.notice'),
};
