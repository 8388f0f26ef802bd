/**
 * The options page's list of rules from imported packs that the time guard switched off for being
 * too slow on a page (utils/switched-off-rules.ts): which rule, of which pack, where (platform and
 * host, never the page's path) and why, with a button to switch each on again.
 *
 * Rule ids, pack names and hosts come from packs and pages: they are rendered as text.
 */
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { PLATFORM_NAMES } from '@/lib/platform-names';
import { formatDate, formatNumber } from '@/lib/format';
import { RULE_BUDGET_MS, RULE_WINDOW_MS } from '@/lib/engine/rule-guard';
import { listSwitchedOffRules, switchRuleOnAgain, watchSwitchedOffRules } from '@/utils/switched-off-rules';
import type { SwitchedOffRule } from '@/utils/switched-off-records';
import type { UiLocale } from '@/utils/ui-language';

export function SwitchedOffRules({ locale }: { locale: UiLocale }) {
  const [rules, setRules] = useState<SwitchedOffRule[] | null>(null);

  useEffect(() => {
    listSwitchedOffRules().then(setRules, () => setRules([]));
    return watchSwitchedOffRules(setRules);
  }, []);

  const n = (x: number) => formatNumber(x, locale);
  return (
    <section class="ln-slow" aria-labelledby="ln-slow-heading" data-testid="switched-off-rules">
      <h2 id="ln-slow-heading">{i18n.t('options.slowRules.heading')}</h2>
      <p>{i18n.t('options.slowRules.intro', [n(RULE_BUDGET_MS), n(RULE_WINDOW_MS)])}</p>
      {rules && rules.length === 0 && <p>{i18n.t('options.slowRules.none')}</p>}
      {rules && rules.length > 0 && (
        <ul class="ln-packs__list" data-testid="switched-off-list">
          {rules.map((r) => (
            <li key={r.ruleId} class="ln-pack ln-pack--off">
              <div class="ln-pack__head">
                <code class="ln-pack__name">{r.ruleId}</code>{' '}
                <span class="ln-pack__meta">
                  {i18n.t('options.slowRules.pack', [r.pack])} ·{' '}
                  {i18n.t('options.slowRules.where', [PLATFORM_NAMES[r.platform] ?? r.platform, r.host])} ·{' '}
                  {i18n.t('options.slowRules.on', [formatDate(new Date(r.at).toISOString().slice(0, 10), locale)])}
                </span>
              </div>
              <p class="ln-pack__description">
                {i18n.t('options.slowRules.why', [n(r.spentMs), n(r.windowMs), n(r.budgetMs)])}
              </p>
              <div class="ln-pack__actions">
                <button
                  type="button"
                  aria-label={i18n.t('options.slowRules.enableLabel', [r.ruleId])}
                  onClick={() => void switchRuleOnAgain(r.ruleId)}
                >
                  {i18n.t('options.slowRules.enable')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p class="ln-packs__hint">{i18n.t('options.packs.applies')}</p>
    </section>
  );
}
