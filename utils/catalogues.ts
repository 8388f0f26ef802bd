/**
 * The bundled regulation and marketplace catalogues, validated on first use.
 */
import marketplacesJson from '../rules/marketplaces.json';
import regulationsJson from '../rules/regulations.json';
import {
  MarketplaceCatalogue,
  RegulationCatalogue,
  validate,
  type MarketplaceCatalogue as Marketplaces,
  type Regulation,
  type RegulationCatalogue as Regulations,
} from '../rules/schema';
import type { Catalogues } from '../lib/findings';

function mustValidate<T>(result: ReturnType<typeof validate<T>>): T {
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value;
}

let regulations: Regulations | undefined;
let marketplaces: Marketplaces | undefined;

export function getRegulations(): Regulations {
  return (regulations ??= mustValidate(validate(RegulationCatalogue, regulationsJson, 'rules/regulations.json')));
}

export function getMarketplaces(): Marketplaces {
  return (marketplaces ??= mustValidate(validate(MarketplaceCatalogue, marketplacesJson, 'rules/marketplaces.json')));
}

export function regulationById(id: string): Regulation | undefined {
  return getRegulations().regulations.find((r) => r.id === id);
}

/** A marketplace search URL with the query filled in. */
export function searchUrl(template: string, query: string): string {
  return template.replace('{q}', encodeURIComponent(query.trim()));
}

/**
 * The catalogues as the findings are judged against them. A catalogue that fails validation must
 * not take a page or the badge down: unknown claims then show their ids, and without marketplaces
 * every page counts as the platform's own.
 */
export function findingCatalogues(): Catalogues {
  let marketplaces: Catalogues['marketplaces'] = [];
  try {
    marketplaces = getMarketplaces().marketplaces;
  } catch {
    // left empty
  }
  return {
    lookup: (id) => {
      try {
        return regulationById(id);
      } catch {
        return undefined;
      }
    },
    marketplaces,
  };
}
