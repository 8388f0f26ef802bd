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
