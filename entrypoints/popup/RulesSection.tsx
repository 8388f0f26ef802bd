/**
 * "What the rules say": every catalogue entry the page's rows and verdict rely on, each once, with
 * its citation, status, last-verified date, verbatim quote (where the source gives one) and source
 * link; then each caveat once, naming the entries it qualifies. Rows link here instead of repeating
 * the law under every feature.
 */
import { i18n } from '#i18n';
import { RegulationCitation } from '@/components/RegulationCitation';
import type { RulesSection as Rules } from '@/lib/findings';
import { localized, type UiLocale } from '@/utils/ui-language';

/** The element id of an entry, for links from the rows and the verdict. */
export function entryAnchor(id: string): string {
  return `ln-reg-${id}`;
}

/** Unfold an entry before a link scrolls to it. */
export function openEntry(id: string): void {
  const el = document.getElementById(entryAnchor(id));
  if (el instanceof HTMLDetailsElement) el.open = true;
}

export function RulesSection({ rules, locale }: { rules: Rules; locale: UiLocale }) {
  const citationOf = (id: string) => rules.entries.find((e) => e.id === id)?.regulation?.citation ?? id;
  return (
    <section class="popup__section" aria-labelledby="ln-rules" data-rules>
      <h2 id="ln-rules">{i18n.t('popup.rules.heading')}</h2>
      <p class="ln-muted">{i18n.t('popup.rules.intro')}</p>
      {rules.entries.map((e) => (
        <details key={e.id} id={entryAnchor(e.id)} class="ln-fold ln-entry" data-entry={e.id}>
          <summary>{e.regulation ? localized(e.regulation.title, locale) : e.id}</summary>
          <RegulationCitation item={e} locale={locale} level={3} showTitle={false} />
        </details>
      ))}
      {rules.caveats.length > 0 ? (
        <>
          <h3 class="ln-entry__heading">{i18n.t('popup.rules.caveats')}</h3>
          {rules.caveats.map((c) => (
            <div key={c.id} id={entryAnchor(c.id)} class="ln-caveat" data-caveat={c.id}>
              <RegulationCitation item={c} locale={locale} level={4} />
              <p class="ln-muted">{i18n.t('popup.rules.qualifies', [c.qualifies.map(citationOf).join('; ')])}</p>
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
