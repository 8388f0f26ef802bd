/**
 * What the toolbar badge shows for a tab: the number of features found, red when an in-app
 * transaction feature is among them, blue when there are only offers and link-outs.
 */
import type { Category, TabReport } from '../../rules/schema';

export const BADGE_COLORS = { transaction: '#b71c1c', other: '#0d47a1' } as const;

export interface BadgeState {
  text: string;
  color: string;
  counts: Record<Category, number>;
}

export function badgeFor(report: TabReport): BadgeState {
  const counts: Record<Category, number> = { transaction: 0, offer: 0, 'link-out': 0 };
  for (const d of report.detections) counts[d.category]++;
  const total = report.detections.length;
  return {
    text: total === 0 ? '' : total > 99 ? '99+' : String(total),
    color: counts.transaction > 0 ? BADGE_COLORS.transaction : BADGE_COLORS.other,
    counts,
  };
}
