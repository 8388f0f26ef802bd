/**
 * The gate every detection passes where the background takes it from a content script (tab
 * state, and from there the popup, the report and the research log), which trusts no content
 * script: evidence through `cleanEvidence` (lib/redact.ts), and a product title turned into the
 * product name it holds (`productName`), kept on offer features only.
 */
import type { Detection } from '../rules/schema';
import { categoryOf } from '../rules/taxonomy';
import { productName } from './product-query';
import { cleanEvidence, looksLikeData } from './redact';

export function cleanDetection<T extends Detection>(d: T): T {
  const evidence = cleanEvidence(d.evidence, d.feature);
  const product =
    d.product !== undefined && categoryOf(d.feature) === 'offer' && !looksLikeData(d.product)
      ? productName(d.product)
      : null;
  if (evidence === d.evidence && product === (d.product ?? null)) return d;
  const { product: _product, ...rest } = d;
  return (product ? { ...rest, evidence, product } : { ...rest, evidence }) as T;
}
