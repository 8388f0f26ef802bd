/**
 * One legal claim with what backs it: title and summary in the user's language, the verbatim quote
 * when the catalogue has one, the citation, its status, when it was last checked, on what basis,
 * and a link to the source. Caveats (for example a reported regulation that may have replaced this
 * one) are entries of their own, shown once by the page. An id the catalogue does not know is
 * shown as the id.
 */
import { i18n } from '#i18n';
import type { Regulation, RegulationStatus } from '../rules/schema';
import type { ResolvedRegulation } from '../lib/findings';
import { formatDate } from '../lib/format';
import { localized, type UiLocale } from '../utils/ui-language';
import './components.css';

const STATUS_TEXT = {
  'in-force': () => i18n.t('popup.citation.inForce'),
  revoked: () => i18n.t('popup.citation.revoked'),
  reported: () => i18n.t('popup.citation.unconfirmed'),
  unverified: () => i18n.t('popup.citation.unconfirmed'),
} satisfies Record<RegulationStatus, () => string>;

const BASIS_TEXT = {
  'official-text': () => i18n.t('popup.citation.basisOfficial'),
  'quoted-extract': () => i18n.t('popup.citation.basisQuoted'),
  'secondary-sources': () => i18n.t('popup.citation.basisSecondary'),
} satisfies Record<Regulation['basis'], () => string>;

/** An event "in force" is one the sources confirm; saying it "is in force" would read oddly. */
export function StatusLabel({ status, kind = 'provision' }: { status: RegulationStatus; kind?: Regulation['kind'] }) {
  const text = kind === 'event' && status === 'in-force' ? i18n.t('popup.citation.confirmed') : STATUS_TEXT[status]();
  return <span class={`ln-status ln-status--${status}`}>{text}</span>;
}

function ExternalLink({ href, children }: { href: string; children: string }) {
  return (
    <a class="ln-link" href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

export interface RegulationCitationProps {
  item: Pick<ResolvedRegulation, 'id' | 'regulation' | 'hedged'>;
  locale: UiLocale;
  /** Heading level of the title inside the surrounding document. */
  level?: 3 | 4 | 5;
  /** Leave the title out when the surrounding element already shows it (a folded summary). */
  showTitle?: boolean;
}

export function RegulationCitation({ item, locale, level = 4, showTitle = true }: RegulationCitationProps) {
  const reg = item.regulation;
  const Heading = `h${level}` as 'h3' | 'h4' | 'h5';
  if (!reg) {
    return (
      <div class="ln-cite ln-cite--unknown" data-regulation-id={item.id}>
        <p>{i18n.t('popup.citation.unknown', [item.id])}</p>
      </div>
    );
  }
  return (
    <div class={`ln-cite${item.hedged ? ' ln-cite--hedged' : ''}`} data-regulation-id={item.id}>
      {showTitle ? <Heading class="ln-cite__title">{localized(reg.title, locale)}</Heading> : null}
      <p class="ln-cite__summary">{localized(reg.summary, locale)}</p>
      {reg.quote ? (
        <figure class="ln-cite__quote">
          <figcaption>{i18n.t('popup.citation.quote')}</figcaption>
          <blockquote lang="id">{reg.quote}</blockquote>
        </figure>
      ) : null}
      <ul class="ln-cite__meta">
        <li>
          <cite>{reg.citation}</cite>
        </li>
        <li>
          <StatusLabel status={reg.status} kind={reg.kind} />
        </li>
        <li>{i18n.t('popup.citation.verified', [formatDate(reg.lastVerified, locale)])}</li>
        <li>{BASIS_TEXT[reg.basis]()}</li>
        <li>
          <ExternalLink href={reg.sourceUrl}>{i18n.t('popup.citation.source')}</ExternalLink>
        </li>
      </ul>
    </div>
  );
}
