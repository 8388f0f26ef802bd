/**
 * Localized names of the taxonomy's categories and features (locales: `category.*`, `feature.*`).
 *
 * The locale keys spell ids with "_" instead of "-" (`feature.buy_button` for `buy-button`):
 * Chrome accepts only [A-Za-z0-9_] in message names and refuses to load an extension whose
 * messages.json has others. The key types below make `tsc` fail when a locale misses an id.
 */
import { i18n } from '#i18n';
import type { Category, FeatureKind } from '../rules/schema';

type Snake<S extends string> = S extends `${infer A}-${infer B}` ? `${A}_${Snake<B>}` : S;

/** A taxonomy id as it is spelled in locale keys. */
export function localeId<S extends string>(id: S): Snake<S> {
  return id.replaceAll('-', '_') as Snake<S>;
}

export function categoryLabel(category: Category): string {
  return i18n.t(`category.${localeId(category)}`);
}

export function featureLabel(feature: FeatureKind): string {
  return i18n.t(`feature.${localeId(feature)}`);
}
