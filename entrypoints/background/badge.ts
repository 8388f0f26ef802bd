/**
 * What the toolbar badge shows for a tab: in red, the number of distinct in-app transaction
 * features the social platform runs itself; nothing for offers, link-outs and pages whose
 * transactions a registered marketplace runs. A number on every post with a product tag (allowed
 * promotion) would teach people to ignore it. The tooltip says what was found in every case.
 */
import type { TabReport } from '../../rules/schema';
import { badgeSummary, type BadgeSummary, type Catalogues } from '../../lib/findings';

export const BADGE_COLOR = '#b71c1c';

export interface BadgeState {
  text: string;
  color: string;
  summary: BadgeSummary;
}

export function badgeFor(report: TabReport, catalogues: Catalogues): BadgeState {
  const summary = badgeSummary(report, catalogues);
  const n = summary.concerns;
  return { text: n === 0 ? '' : n > 99 ? '99+' : String(n), color: BADGE_COLOR, summary };
}

/** The tooltip's message key and its count: one sentence per case, with plural forms in locales. */
export function badgeTitle(summary: BadgeSummary): {
  key: 'none' | 'concern' | 'marketplace' | 'allowed';
  count: number;
} {
  if (summary.features === 0) return { key: 'none', count: 0 };
  if (summary.concerns > 0) return { key: 'concern', count: summary.concerns };
  if (summary.marketplace) return { key: 'marketplace', count: summary.features };
  return { key: 'allowed', count: summary.features };
}
