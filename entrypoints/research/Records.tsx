/**
 * The records table: filters, keyset paging (50 rows at a time, any depth at the same cost),
 * delete one record, delete all. Page text (evidence, URL) is rendered as text, never as HTML or
 * as a link.
 */
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { CategoryBadge } from '@/components/CategoryBadge';
import { CATEGORY_IDS, FEATURE_CATEGORY, FEATURE_IDS, PLATFORM_IDS } from '@/rules/schema';
import type { ResearchDb } from '@/utils/research-log/db';
import type { RecordFilter, RecordPage } from '@/utils/research-log/types';
import { FIRST_PAGE, nextPage, PAGE_SIZE, previousPage, type FilterForm, type Paging } from '@/utils/research-log/view';
import { PLATFORM_NAMES } from '@/lib/platform-names';
import { categoryLabel, featureLabel } from '@/utils/taxonomy-labels';
import type { UiLocale } from '@/utils/ui-language';
import { formatMoment } from '@/lib/format';

export function RecordsPanel({
  db,
  form,
  filter,
  onForm,
  revision,
  locale,
  onChanged,
}: {
  db: ResearchDb;
  form: FilterForm;
  filter: RecordFilter;
  onForm(form: FilterForm): void;
  revision: number;
  locale: UiLocale;
  onChanged(): void;
}) {
  const [paging, setPaging] = useState<Paging>(FIRST_PAGE);
  const [page, setPage] = useState<RecordPage | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [all, setAll] = useState<number>(0);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState('');
  const filterKey = JSON.stringify(filter);

  // A new filter starts at the newest page.
  useEffect(() => setPaging(FIRST_PAGE), [filterKey]);

  // Counts walk their index range, so they run when the filter or the log changes, not per page.
  useEffect(() => {
    let live = true;
    Promise.all([db.count(filter), db.countAll()]).then(([n, a]) => {
      if (!live) return;
      setTotal(n);
      setAll(a);
    });
    return () => {
      live = false;
    };
  }, [db, filterKey, revision]);

  useEffect(() => {
    let live = true;
    db.page(filter, PAGE_SIZE, paging.tokens[paging.index]).then((p) => live && setPage(p));
    return () => {
      live = false;
    };
  }, [db, filterKey, paging, revision]);

  const set = (field: keyof FilterForm) => (e: Event) =>
    onForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });
  const start = paging.index * PAGE_SIZE;
  const rows = page?.records ?? [];

  return (
    <section class="rl__section" aria-labelledby="rl-records">
      <h2 id="rl-records">{i18n.t('research.records.heading')}</h2>
      <form class="rl__filters" onSubmit={(e) => e.preventDefault()} aria-label={i18n.t('research.records.filters')}>
        <label>
          {i18n.t('research.records.platform')}
          <select name="platform" value={form.platform} onChange={set('platform')}>
            <option value="">{i18n.t('research.records.any')}</option>
            {PLATFORM_IDS.map((p) => (
              <option key={p} value={p}>
                {PLATFORM_NAMES[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('research.records.category')}
          <select name="category" value={form.category} onChange={set('category')}>
            <option value="">{i18n.t('research.records.any')}</option>
            {CATEGORY_IDS.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('research.records.feature')}
          <select name="feature" value={form.feature} onChange={set('feature')}>
            <option value="">{i18n.t('research.records.any')}</option>
            {CATEGORY_IDS.map((c) => (
              <optgroup key={c} label={categoryLabel(c)}>
                {FEATURE_IDS.filter((f) => FEATURE_CATEGORY[f] === c).map((f) => (
                  <option key={f} value={f}>
                    {featureLabel(f)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('research.records.from')}
          <input type="date" name="from" value={form.from} onChange={set('from')} />
        </label>
        <label>
          {i18n.t('research.records.to')}
          <input type="date" name="to" value={form.to} onChange={set('to')} />
        </label>
        <div class="rl__row">
          <button
            type="button"
            class="rl__button"
            onClick={() => onForm({ platform: '', category: '', feature: '', from: '', to: '' })}
          >
            {i18n.t('research.records.clear')}
          </button>
          <button type="button" class="rl__button" onClick={onChanged}>
            {i18n.t('research.records.refresh')}
          </button>
        </div>
      </form>

      <p class="rl__count" role="status" aria-live="polite" data-testid="records-count">
        {total === null
          ? i18n.t('research.loading')
          : total === 0
            ? all === 0
              ? i18n.t('research.records.none')
              : i18n.t('research.records.empty')
            : i18n.t('research.records.showing', [String(start + 1), String(start + rows.length), String(total)])}
      </p>

      {rows.length > 0 ? (
        <table class="rl__table">
          <caption class="rl__sr">{i18n.t('research.records.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{i18n.t('research.records.time')}</th>
              <th scope="col">{i18n.t('research.records.platform')}</th>
              <th scope="col">{i18n.t('research.records.feature')}</th>
              <th scope="col">{i18n.t('research.records.count')}</th>
              <th scope="col">{i18n.t('research.records.page')}</th>
              <th scope="col">{i18n.t('research.records.evidence')}</th>
              <th scope="col">
                <span class="rl__sr">{i18n.t('research.records.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-rule={r.ruleId}>
                <td data-label={i18n.t('research.records.time')}>
                  <time dateTime={new Date(r.time).toISOString()}>{formatMoment(r.time, locale)}</time>
                </td>
                <td data-label={i18n.t('research.records.platform')}>{PLATFORM_NAMES[r.platform] ?? r.platform}</td>
                <td data-label={i18n.t('research.records.feature')}>
                  {featureLabel(r.feature)} <CategoryBadge category={r.category} />
                  <div class="rl__rule ln-muted">{r.ruleId}</div>
                </td>
                <td data-label={i18n.t('research.records.count')}>{r.count}</td>
                <td data-label={i18n.t('research.records.page')} class="rl__url">
                  {r.url}
                </td>
                <td data-label={i18n.t('research.records.evidence')} class="rl__evidence">
                  {r.evidence}
                </td>
                <td>
                  <button
                    type="button"
                    class="rl__button rl__button--small"
                    aria-label={i18n.t('research.records.deleteLabel', [
                      featureLabel(r.feature),
                      formatMoment(r.time, locale),
                    ])}
                    onClick={async () => {
                      await db.delete(r.id);
                      onChanged();
                    }}
                  >
                    {i18n.t('research.records.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <nav class="rl__row rl__paging" aria-label={i18n.t('research.records.paging')}>
        <button
          type="button"
          class="rl__button"
          disabled={paging.index === 0}
          onClick={() => setPaging(previousPage(paging))}
        >
          {i18n.t('research.records.newer')}
        </button>
        <button
          type="button"
          class="rl__button"
          disabled={!page?.next}
          onClick={() => setPaging(nextPage(paging, page?.next ?? null))}
        >
          {i18n.t('research.records.older')}
        </button>
      </nav>

      <div class="rl__danger">
        {confirming ? (
          <div role="alert">
            <p>{i18n.t('research.records.confirmDeleteAll', all, [String(all)])}</p>
            <div class="rl__row">
              <button
                type="button"
                class="rl__button rl__button--danger"
                onClick={async () => {
                  await db.clear();
                  setConfirming(false);
                  setNotice(i18n.t('research.records.deleted'));
                  onChanged();
                }}
              >
                {i18n.t('research.records.confirmYes')}
              </button>
              <button type="button" class="rl__button" onClick={() => setConfirming(false)}>
                {i18n.t('research.records.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            class="rl__button rl__button--danger"
            disabled={all === 0}
            onClick={() => {
              setNotice('');
              setConfirming(true);
            }}
          >
            {i18n.t('research.records.deleteAll')}
          </button>
        )}
        {notice ? <p role="status">{notice}</p> : null}
      </div>
    </section>
  );
}
