/**
 * The one source of truth for everything Lensa Niaga knows about the world.
 *
 * zod schemas here validate the bundled JSON (rules, regulations, marketplaces), user rule packs,
 * and the detection records the extension passes around. TypeScript types are derived with
 * `z.infer`; nothing in this file is written twice.
 *
 * This file imports only rules/taxonomy.ts (README, "Who may import whom"): the ids and limits
 * there are plain values that content scripts use without zod. It uses `zod/mini` because it
 * ends up in extension bundles, where classic zod's JIT trips the MV3 CSP.
 */
import * as z from 'zod/mini';
import {
  CATEGORY_IDS,
  FEATURE_CATEGORY,
  FEATURE_IDS,
  MAX_EVIDENCE_LENGTH,
  MAX_PRODUCT_LENGTH,
  PLATFORM_IDS,
  categoryOf,
} from './taxonomy';

// zod/mini ships without messages ("Invalid input"); English ones name the expected value and the
// unknown key, which is what a person fixing a rule pack needs.
z.config(z.locales.en());

/** Version of the rule language the engine understands. A pack declares the version it needs. */
export const ENGINE_VERSION = 1;

export { PLATFORM_IDS, CATEGORY_IDS, FEATURE_CATEGORY, FEATURE_IDS, categoryOf };
export const PlatformId = z.enum(PLATFORM_IDS);
export type PlatformId = z.infer<typeof PlatformId>;

export const Category = z.enum(CATEGORY_IDS);
export type Category = z.infer<typeof Category>;

export const FeatureKind = z.enum(FEATURE_IDS as [FeatureKind, ...FeatureKind[]]);
export type FeatureKind = keyof typeof FEATURE_CATEGORY;

// ---------------------------------------------------------------------------------------------
// Patterns and signals
// ---------------------------------------------------------------------------------------------

/** Longest regular-expression source a rule may carry. */
export const MAX_PATTERN_LENGTH = 400;
/** Longest CSS selector a rule may carry. */
export const MAX_SELECTOR_LENGTH = 1000;
/** Most rules one pack may carry. */
export const MAX_RULES_PER_PACK = 2000;

function compiles(source: string, flags: string | undefined): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

const patternFields = {
  pattern: z.string().check(z.minLength(1), z.maxLength(MAX_PATTERN_LENGTH)),
  flags: z.optional(
    z.string().check(z.regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags may be i, m, s and u, each at most once')),
  ),
};
const patternCompiles = z.refine<{ pattern: string; flags?: string | undefined }>((p) => compiles(p.pattern, p.flags), {
  message: 'pattern is not a valid regular expression',
  path: ['pattern'],
});

/**
 * A regular expression as data: a source string and explicit flags. Only flags that keep a RegExp
 * stateless are allowed (`g` and `y` would make `test()` depend on earlier calls).
 */
export const Pattern = z.strictObject(patternFields).check(patternCompiles);
export type Pattern = z.infer<typeof Pattern>;

const Selector = z.string().check(z.minLength(1), z.maxLength(MAX_SELECTOR_LENGTH));

/**
 * One piece of evidence about a candidate element. A rule combines several.
 * - `text`: the element's visible label (aria-label, title, alt, then its text) matches.
 * - `link`: the element's own href, or a link inside it, matches. A link through a known
 *           redirector is tested as it is and unwrapped to its target.
 * - `attr`: an attribute of the element matches (`data-e2e`, `aria-label`, `data-icon`, …).
 * - `has`:  the element is or contains a node matching a CSS selector.
 * - `page`: the page URL matches.
 */
export const Signal = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), ...patternFields }).check(patternCompiles),
  z.strictObject({ kind: z.literal('link'), ...patternFields }).check(patternCompiles),
  z
    .strictObject({
      kind: z.literal('attr'),
      name: z.string().check(z.regex(/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/, 'not an attribute name')),
      ...patternFields,
    })
    .check(patternCompiles),
  z.strictObject({ kind: z.literal('has'), selector: Selector }),
  z.strictObject({ kind: z.literal('page'), ...patternFields }).check(patternCompiles),
]);
export type Signal = z.infer<typeof Signal>;

// ---------------------------------------------------------------------------------------------
// Rules and rule packs
// ---------------------------------------------------------------------------------------------

const Localized = z.strictObject({
  id: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
});
export type Localized = z.infer<typeof Localized>;

export const RULE_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/** Longest fixed evidence description a rule may carry. */
export const MAX_FIXED_EVIDENCE_LENGTH = 60;

const IsoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'));

export const SOURCE_KINDS = ['filter-list', 'userscript', 'extension', 'parser', 'issue', 'capture'] as const;

/**
 * Where a rule's markup was seen. `ref` is precise enough to find it again: `owner/repo:path#L12`
 * for a line in a public repository, or an issue's URL; `seen` is the date of that markup (the
 * commit date of the line, or the issue comment's date). `capture` is a page snapshot this project
 * took itself; bundled rules also need a source from outside the project (checked by rules:check).
 */
export const RuleSource = z.strictObject({
  kind: z.enum(SOURCE_KINDS),
  ref: z.string().check(z.minLength(1), z.maxLength(300)),
  seen: IsoDate,
});
export type RuleSource = z.infer<typeof RuleSource>;

/**
 * A rule finds one feature on one platform.
 *
 * Candidates are the elements matching `selector`. A candidate counts when its `signals` hold:
 * all of them (`require: "all"`, the default), any one (`"any"`), or at least N (a number).
 * A candidate matching any `exclude` signal never counts. `page` limits the rule to page URLs
 * that match. A selector alone is brittle (platforms rename classes every few months), so bundled
 * rules pair it with a link or label signal.
 */
export const Rule = z
  .strictObject({
    id: z.string().check(z.regex(RULE_ID, 'rule id must be lower-case words joined by "." or "-"')),
    platform: PlatformId,
    feature: FeatureKind,
    regulationIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
    description: z.optional(Localized),
    page: z.optional(Pattern),
    selector: Selector,
    signals: z._default(z.array(Signal), []),
    require: z._default(z.union([z.enum(['all', 'any']), z.int().check(z.gte(1))]), 'all'),
    exclude: z._default(z.array(Signal), []),
    evidence: z._default(z.enum(['label', 'link']), 'label'),
    /** Provenance; optional for user packs, required for bundled rules. */
    sources: z.optional(z.array(RuleSource).check(z.maxLength(20))),
    /**
     * A fixed description that is the evidence whenever the rule fires, for rules that read page
     * data (`"page data: product anchor"`): page JSON is never evidence.
     */
    evidenceText: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_FIXED_EVIDENCE_LENGTH))),
    /**
     * For a container rule (a whole page or panel): the element inside the candidate whose text is
     * the evidence (its heading), instead of the candidate's whole text.
     */
    heading: z.optional(Selector),
    /**
     * Where the product's name is, for marketplace searches (offer features only): `selector`, an
     * element inside the candidate or the candidate itself (a product card's or anchor's title);
     * `metadata`, the page's JSON-LD `Product.name` or `og:title` (product pages).
     */
    product: z.optional(
      z.strictObject({
        selector: z.optional(Selector),
        metadata: z.optional(z.boolean()),
      }),
    ),
  })
  .check(
    z.superRefine((rule, ctx) => {
      if (rule.product && categoryOf(rule.feature) !== 'offer') {
        ctx.issues.push({
          code: 'custom',
          input: rule.product,
          path: ['product'],
          message: `product names come only from offer features, not from "${rule.feature}"`,
        });
      }
    }),
  );
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

const Host = z
  .string()
  .check(z.regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/, 'host must be a lower-case domain name like "www.tiktok.com"'));

/**
 * A redirector wraps an outbound link: on `host` (suffix match), under `path` when given, the query
 * parameter `param` holds the real target (`l.facebook.com/l.php?u=`, `youtube.com/redirect?q=`).
 */
export const Redirector = z.strictObject({
  host: Host,
  path: z.optional(z.string().check(z.regex(/^\//, 'path must start with /'))),
  param: z.string().check(z.minLength(1)),
});
export type Redirector = z.infer<typeof Redirector>;

/** Most exclusions one pack may carry. */
export const MAX_EXCLUSIONS_PER_PACK = 2000;

/**
 * "Not a shopping feature": a hit of rule `ruleId` (of any pack, bundled ones included) is dropped
 * when its element matches `selector`. A user marks one on a highlight; the engine applies every
 * enabled pack's exclusions to every pack's rules.
 */
export const Exclusion = z.strictObject({
  ruleId: z.string().check(z.regex(RULE_ID, 'rule id must be lower-case words joined by "." or "-"')),
  selector: Selector,
});
export type Exclusion = z.infer<typeof Exclusion>;

export const RulePack = z
  .strictObject({
    $schema: z.optional(z.string()),
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    version: z.string().check(z.regex(/^\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]+)?$/, 'version must look like 1.2.3')),
    engine: z.int().check(z.gte(1)),
    description: z.optional(z.string().check(z.maxLength(500))),
    /** Hosts on which a platform's pages are served. Suffix match: "tiktok.com" covers www. and m. */
    platforms: z._default(z.array(z.strictObject({ id: PlatformId, hosts: z.array(Host).check(z.minLength(1)) })), []),
    redirectors: z._default(z.array(Redirector), []),
    /** A pack may hold only exclusions; then `rules` may be empty (see the check below). */
    rules: z.array(Rule).check(z.maxLength(MAX_RULES_PER_PACK)),
    exclusions: z._default(z.array(Exclusion).check(z.maxLength(MAX_EXCLUSIONS_PER_PACK)), []),
  })
  .check(
    z.superRefine((pack, ctx) => {
      if (pack.rules.length === 0 && pack.exclusions.length === 0) {
        ctx.issues.push({
          code: 'custom',
          input: pack.rules,
          path: ['rules'],
          message: 'a pack needs at least one rule or one exclusion',
        });
      }
      if (pack.engine > ENGINE_VERSION) {
        ctx.issues.push({
          code: 'custom',
          input: pack.engine,
          path: ['engine'],
          message: `pack needs engine version ${pack.engine}, this extension has ${ENGINE_VERSION}`,
        });
      }
      const seen = new Set<string>();
      pack.rules.forEach((rule, i) => {
        if (seen.has(rule.id)) {
          ctx.issues.push({
            code: 'custom',
            input: rule.id,
            path: ['rules', i, 'id'],
            message: `duplicate rule id "${rule.id}"`,
          });
        }
        seen.add(rule.id);
      });
    }),
  );
export type RulePack = z.infer<typeof RulePack>;
export type RulePackInput = z.input<typeof RulePack>;

// ---------------------------------------------------------------------------------------------
// Catalogues: regulations, marketplaces, complaint channels
// ---------------------------------------------------------------------------------------------

const HttpsUrl = z.string().check(z.regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL'));

export const REGULATION_STATUSES = ['in-force', 'revoked', 'reported', 'unverified'] as const;
export const RegulationStatus = z.enum(REGULATION_STATUSES);
export type RegulationStatus = z.infer<typeof RegulationStatus>;

/**
 * One legal statement the extension may show, with what backs it. `quote` is verbatim text of the
 * regulation and is shown only where the source gave it verbatim. `basis` says what the statement
 * was checked against; `caveatIds` point at entries (usually `reported` ones) that qualify it.
 */
export const Regulation = z.strictObject({
  id: z.string().check(z.regex(RULE_ID, 'id must be lower-case words joined by "." or "-"')),
  kind: z.enum(['provision', 'event']),
  title: Localized,
  summary: Localized,
  citation: z.string().check(z.minLength(1)),
  quote: z.optional(z.string()),
  sourceUrl: HttpsUrl,
  status: RegulationStatus,
  basis: z.enum(['official-text', 'quoted-extract', 'secondary-sources']),
  lastVerified: IsoDate,
  caveatIds: z._default(z.array(z.string()), []),
});
export type Regulation = z.infer<typeof Regulation>;

export const RegulationCatalogue = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.string(),
  regulations: z.array(Regulation).check(z.minLength(1)),
});
export type RegulationCatalogue = z.infer<typeof RegulationCatalogue>;

/**
 * Pages a marketplace runs for a social platform: on `host` (suffix match) the platform's shop
 * pages are served, but orders and payments go through the marketplace (TikTok's Indonesian shop
 * pages on shop-id.tokopedia.com since the TikTok–Tokopedia arrangement). `regulationIds` name the
 * catalogue entries that describe the arrangement; they are shown wherever it decides a severity.
 */
export const OperatedPages = z.strictObject({
  host: Host,
  platform: PlatformId,
  regulationIds: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});
export type OperatedPages = z.infer<typeof OperatedPages>;

export const Marketplace = z.strictObject({
  id: z.string().check(z.regex(RULE_ID)),
  name: z.string().check(z.minLength(1)),
  /** The marketplace's own sites: a transaction feature found on them is run by the marketplace. */
  domains: z.array(Host).check(z.minLength(1)),
  shortLinkDomains: z._default(z.array(Host), []),
  operates: z._default(z.array(OperatedPages), []),
  searchUrl: HttpsUrl.check(z.includes('{q}', { message: 'searchUrl must contain {q}' })),
  pseRegistryUrl: HttpsUrl,
  verifiedOn: IsoDate,
});
export type Marketplace = z.infer<typeof Marketplace>;

export const ComplaintChannel = z.strictObject({
  id: z.string().check(z.regex(RULE_ID)),
  name: Localized,
  description: Localized,
  contacts: z
    .array(
      z.strictObject({
        kind: z.enum(['whatsapp', 'phone', 'email', 'web']),
        /** As shown to people: "0853-1111-1010", "simpktn.kemendag.go.id". */
        label: z.string().check(z.minLength(1)),
        /** What a tap opens: https://wa.me/…, tel:…, mailto:…, https://… */
        href: z.string().check(z.regex(/^(https:\/\/|tel:|mailto:)\S+$/, 'href must be https:, tel: or mailto:')),
      }),
    )
    .check(z.minLength(1)),
  verifiedOn: IsoDate,
});
export type ComplaintChannel = z.infer<typeof ComplaintChannel>;

export const MarketplaceCatalogue = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.string(),
  pseRegistryUrl: HttpsUrl,
  marketplaces: z.array(Marketplace).check(z.minLength(1)),
  complaintChannels: z.array(ComplaintChannel).check(z.minLength(1)),
});
export type MarketplaceCatalogue = z.infer<typeof MarketplaceCatalogue>;

// ---------------------------------------------------------------------------------------------
// Detections (the shape of the public `detections:get` contract in the README)
// ---------------------------------------------------------------------------------------------

export { MAX_EVIDENCE_LENGTH, MAX_PRODUCT_LENGTH };

export const Detection = z.strictObject({
  ruleId: z.string(),
  platform: PlatformId,
  feature: FeatureKind,
  category: Category,
  regulationIds: z.array(z.string()),
  count: z.int().check(z.gte(0)),
  evidence: z.string().check(z.maxLength(MAX_EVIDENCE_LENGTH)),
  /** A product's name read from product data (offer features only), for marketplace searches. */
  product: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_PRODUCT_LENGTH))),
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export type Detection = z.infer<typeof Detection>;

export const TabReport = z.strictObject({
  tabId: z.int(),
  url: z.string(),
  platform: z.nullable(PlatformId),
  detections: z.array(Detection),
  updatedAt: z.number(),
  /**
   * Present (true) only when `storage.session` refused the tab's last write (full): the report is
   * then kept in the background's memory alone and is lost if the browser stops the background.
   */
  memoryOnly: z.optional(z.literal(true)),
});
export type TabReport = z.infer<typeof TabReport>;

// ---------------------------------------------------------------------------------------------
// Validation messages: one line per problem, naming the file, the rule id and the JSON path
// ---------------------------------------------------------------------------------------------

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/** The id of the rule an issue is about, read from the raw input (validation may have failed on it). */
function ruleIdAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'rules' && path[0] !== 'regulations' && path[0] !== 'marketplaces') return undefined;
  if (typeof path[1] !== 'number') return undefined;
  const list = (input as Record<string, unknown> | null)?.[path[0] as string];
  const item = Array.isArray(list) ? list[path[1]] : undefined;
  const id = (item as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id.slice(0, 80) : undefined;
}

/** Validate `input` against `schema`; on failure, one readable line per issue. */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown, file = '<input>'): ValidationResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.map((issue) => {
    const id = ruleIdAt(input, issue.path);
    // JSON-quoted so a hostile id (newlines, quotes) cannot split or imitate a line.
    const where = id ? ` ${issue.path[0] === 'rules' ? 'rule' : 'entry'} ${JSON.stringify(id)}` : '';
    return `${file}:${where} ${jsonPath(issue.path)}: ${issue.message}`;
  });
  return { ok: false, errors };
}
