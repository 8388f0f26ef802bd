/**
 * One line per category with its count, transaction first and marked as the concern it is.
 * Empty categories stay listed (dimmed): "no in-app transaction" is worth knowing too.
 */
import { i18n } from '#i18n';
import type { CategoryGroup } from '../lib/findings';
import { CategoryBadge, SeverityTag } from './CategoryBadge';
import './components.css';

export function CategorySummary({ groups }: { groups: readonly CategoryGroup[] }) {
  return (
    <ul class="ln-summary">
      {groups.map((g) => {
        const severity = g.items.some((i) => i.severity === 'concern') ? 'concern' : 'possible-concern';
        return (
          <li
            key={g.category}
            class={`ln-summary__line${g.items.length === 0 ? ' ln-summary__line--empty' : ''}`}
            data-category={g.category}
          >
            <CategoryBadge category={g.category} />
            <span class="ln-summary__count">{i18n.t('popup.summary.features', g.items.length)}</span>
            {g.concern && g.items.length > 0 ? <SeverityTag severity={severity} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
