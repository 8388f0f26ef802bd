/**
 * Registered marketplaces as an alternative place to buy, each with a search for the product when
 * one is known. It says the shops are registered as PSE and links the public registry so people
 * can check for themselves; it never calls a shop safe.
 */
import { i18n } from '#i18n';
import type { Marketplace } from '../rules/schema';
import { searchUrl } from '../utils/catalogues';
import { formatDate } from '../lib/format';
import type { UiLocale } from '../utils/ui-language';
import './components.css';

export interface MarketplaceListProps {
  marketplaces: readonly Marketplace[];
  /** The PSE registry people can check registration in. */
  registryUrl: string;
  /** A product name to search for, or null to link each marketplace's home page. */
  query: string | null;
  locale: UiLocale;
}

export function marketplaceHref(marketplace: Marketplace, query: string | null): string {
  return query ? searchUrl(marketplace.searchUrl, query) : `https://${marketplace.domains[0]}/`;
}

export function MarketplaceList({ marketplaces, registryUrl, query, locale }: MarketplaceListProps) {
  return (
    <div class="ln-market">
      <p class="ln-market__intro">
        {i18n.t('popup.buy.intro')}{' '}
        <a class="ln-link" href={registryUrl} target="_blank" rel="noopener noreferrer">
          {i18n.t('popup.buy.registry')}
        </a>
      </p>
      <ul class="ln-market__list">
        {marketplaces.map((m) => (
          <li key={m.id} class="ln-market__item">
            <a
              class="ln-link ln-market__link"
              href={marketplaceHref(m, query)}
              target="_blank"
              rel="noopener noreferrer"
            >
              {query ? i18n.t('popup.buy.search', [query, m.name]) : i18n.t('popup.buy.open', [m.name])}
            </a>
            <span class="ln-muted">{i18n.t('popup.buy.verified', [formatDate(m.verifiedOn, locale)])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
