/**
 * The fixed ids of the rule language and the limits of a detection, as plain values without zod:
 * content scripts need them (a feature's category, how long evidence may be) and must stay small,
 * so they import this file and never rules/schema.ts, whose zod schemas are built from these.
 */

export const PLATFORM_IDS = ['tiktok', 'youtube', 'facebook', 'instagram', 'whatsapp', 'pinterest', 'x'] as const;

export const CATEGORY_IDS = ['transaction', 'offer', 'link-out'] as const;

/** Each feature belongs to exactly one category; the ids are fixed (rules, messages, logs and exports use them). */
export const FEATURE_CATEGORY = {
  checkout: 'transaction',
  payment: 'transaction',
  cart: 'transaction',
  'buy-button': 'transaction',
  'shop-tab': 'offer',
  'product-tag': 'offer',
  'product-page': 'offer',
  storefront: 'offer',
  catalog: 'offer',
  'live-shopping': 'offer',
  'cross-border-offer': 'offer',
  'marketplace-link': 'link-out',
  'chat-order-link': 'link-out',
} as const satisfies Record<string, (typeof CATEGORY_IDS)[number]>;

export const FEATURE_IDS = Object.keys(FEATURE_CATEGORY) as (keyof typeof FEATURE_CATEGORY)[];

export function categoryOf(feature: keyof typeof FEATURE_CATEGORY): (typeof CATEGORY_IDS)[number] {
  return FEATURE_CATEGORY[feature];
}

/** Longest evidence a detection carries. */
export const MAX_EVIDENCE_LENGTH = 120;
/** Longest product name a detection carries (marketplace search boxes cut long queries anyway). */
export const MAX_PRODUCT_LENGTH = 80;
