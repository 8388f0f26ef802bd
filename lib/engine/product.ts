/**
 * The title of the product a hit shows, from product data only, where its rule says to look
 * (`product` in rules/schema.ts): the title element of a product card or anchor, or a product
 * page's JSON-LD `Product.name` / `og:title`. Offer features only; read once per detection.
 *
 * The page side only reads the title and makes it safe to leave the page (one line, at most
 * MAX_PRODUCT_LENGTH, nothing personal in it). The name in it, without prices, ratings or shop
 * words, is picked out by the background's gate (lib/detection-gate.ts, productName): that is the
 * same work the popup's marketplace search does, and it stays out of every page's script.
 */
import type { Category } from '../../rules/schema';
import { MAX_PRODUCT_LENGTH } from '../../rules/taxonomy';
import { redactText } from '../redact';
import type { RuleInfo } from './signals';
import { cutAtWord, normalizeSpace, safeLabelOf } from './text';

/** Most JSON-LD blocks and characters read from a page. */
const MAX_LD_SCRIPTS = 5;
const MAX_LD_LENGTH = 100_000;

/**
 * `metadata`: the page's JSON-LD or og:title first. `selector`: the title element inside the
 * candidate (or the candidate itself); without a selector, the candidate's own label (a product
 * anchor's title). Page data (<script>) is never read as a label.
 */
export function productOf({ rule, category }: { rule: RuleInfo; category: Category }, el: Element): string | null {
  const spec = rule.product;
  if (!spec || category !== 'offer') return null;
  if (spec.metadata) {
    const name = metadataName(el.ownerDocument);
    if (name) return name;
  }
  let title: Element | null = el;
  if (spec.selector) {
    try {
      title = el.matches(spec.selector) ? el : el.querySelector(spec.selector);
    } catch {
      title = null;
    }
  }
  if (!title || title.tagName === 'SCRIPT') return null;
  return productTitle(safeLabelOf(title));
}

function metadataName(doc: Document): string | null {
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length && i < MAX_LD_SCRIPTS; i++) {
    const text = scripts[i].textContent ?? '';
    if (text.length > MAX_LD_LENGTH) continue;
    try {
      const name = ldProductName(JSON.parse(text), 0);
      const clean = name ? productTitle(name) : null;
      if (clean) return clean;
    } catch {
      // Not JSON: the next block, or og:title.
    }
  }
  const og = doc.querySelector('meta[property="og:title"]')?.getAttribute('content');
  return og ? productTitle(og.split(TITLE_SEPARATOR)[0]) : null;
}

/** Between the parts of a page title ("Kemeja Batik | Rumah Batik Solo | TikTok Shop"): the first is the product. */
const TITLE_SEPARATOR = /\s+[|｜·•–—-]\s+/;

/** `text` as one line cut at a word to MAX_PRODUCT_LENGTH; null when empty or when it holds anything personal. */
export function productTitle(text: string): string | null {
  const title = cutAtWord(normalizeSpace(text), MAX_PRODUCT_LENGTH);
  return title && redactText(title) === title ? title : null;
}

/** `name` of the first object typed Product (also inside arrays and `@graph`). */
function ldProductName(value: unknown, depth: number): string | null {
  if (depth > 4 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) {
      const name = ldProductName(item, depth + 1);
      if (name) return name;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  const type = record['@type'];
  const isProduct = type === 'Product' || (Array.isArray(type) && type.includes('Product'));
  if (isProduct && typeof record.name === 'string') return record.name;
  return ldProductName(record['@graph'], depth + 1);
}
