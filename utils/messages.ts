/**
 * The one message schema, used by both ends: senders build messages of these types, receivers
 * validate them with these schemas (zod) on receipt, and every message has exactly one reply type.
 * An invalid message is answered `{ ok: false, error }`.
 *
 * By direction:
 * - to the background (`browser.runtime.sendMessage`): `detections:get` (the public, stable
 *   contract in the README: it answers a bare `TabReport`), `detections:update`, `rules:slow`,
 *   `myrules:propose`, `screenshot:capture`, `highlights:load`;
 * - to a tab's content script (`browser.tabs.sendMessage`): `highlight:reveal`.
 */
import * as z from 'zod/mini';
import { Detection, PlatformId, type TabReport } from '../rules/schema';
import { Proposal } from '../lib/my-rules';

export type Failure = { ok: false; error: string };
export type Success<T extends object = object> = { ok: true } & T;

// ---------------------------------------------------------------------------------------------
// To the background
// ---------------------------------------------------------------------------------------------

/** Sent by any extension page: what was found in tab `tabId`. */
export const DetectionsGet = z.strictObject({ type: z.literal('detections:get'), tabId: z.int() });

/**
 * Sent by a content script: the detections that are new or changed since its last update.
 * `reset: true` starts a new route (SPA navigation or load): the tab's earlier detections go.
 */
export const DetectionsUpdate = z.strictObject({
  type: z.literal('detections:update'),
  url: z.string().check(z.maxLength(4096)),
  platform: PlatformId,
  reset: z.boolean(),
  detections: z.array(Detection).check(z.maxLength(500)),
});
export type DetectionsUpdate = z.infer<typeof DetectionsUpdate>;

/**
 * Sent by a content script: rules of imported packs that its time guard switched off on this page
 * (lib/engine/rule-guard.ts), and what they spent. The background keeps them switched off until
 * the user switches them on again; the host comes from the sender, never from the message.
 */
export const RulesSlow = z.strictObject({
  type: z.literal('rules:slow'),
  platform: PlatformId,
  ruleIds: z.array(z.string().check(z.maxLength(200))).check(z.minLength(1), z.maxLength(50)),
  spentMs: z.number().check(z.gte(0), z.lte(3_600_000)),
  budgetMs: z.number().check(z.gte(0), z.lte(3_600_000)),
  windowMs: z.number().check(z.gte(0), z.lte(3_600_000)),
});
export type RulesSlow = z.infer<typeof RulesSlow>;

/**
 * Sent by the picker (a rule picked on the page) or the content script ("not a shopping feature"
 * on a highlight), or an extension page: keep a proposal for the My rules pack and open the
 * options page, which adds it to the pack and installs that through the import check.
 */
export const MyRulesPropose = z.strictObject({ type: z.literal('myrules:propose'), proposal: Proposal });
export type MyRulesPropose = z.infer<typeof MyRulesPropose>;

/** Sent by the seller report: photograph tab `tabId`. Accepted only from the extension's own pages. */
export const ScreenshotCapture = z.strictObject({
  type: z.literal('screenshot:capture'),
  tabId: z.int().check(z.gte(0)),
});

/**
 * Sent by a content script when it first has highlights to draw: load the highlights script into
 * its frame (entrypoints/content/highlight-kit.ts). Accepted only from a content script in a tab.
 */
export const HighlightsLoad = z.strictObject({ type: z.literal('highlights:load') });

export const BackgroundMessage = z.discriminatedUnion('type', [
  DetectionsGet,
  DetectionsUpdate,
  RulesSlow,
  MyRulesPropose,
  ScreenshotCapture,
  HighlightsLoad,
]);
export type BackgroundMessage = z.infer<typeof BackgroundMessage>;

// ---------------------------------------------------------------------------------------------
// To a tab's content script
// ---------------------------------------------------------------------------------------------

/**
 * Sent by the popup or report: scroll to and flash a rule's elements. The content script checks
 * it with `isHighlightReveal` (utils/tab-messages.ts), which a unit test holds to this schema.
 */
export const HighlightReveal = z.strictObject({ type: z.literal('highlight:reveal'), ruleId: z.string() });
export type TabMessage = z.infer<typeof HighlightReveal>;

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/** The answer to `screenshot:capture`: a `data:image/jpeg` URL. */
export type CaptureReply = Success<{ dataUrl: string }> | Failure;

/** The reply to each message, by type. */
export interface Replies {
  'detections:get': TabReport | Failure;
  'detections:update': Success | Failure;
  /** `recorded`: how many of the rules were newly switched off (ids of installed user rules only). */
  'rules:slow': Success<{ recorded: number }> | Failure;
  /** `ok`: the proposal is kept and the options page opened to save it. */
  'myrules:propose': Success | Failure;
  'screenshot:capture': CaptureReply;
  'highlights:load': Success | Failure;
  /** `ok`: the rule had elements on the page to reveal. */
  'highlight:reveal': { ok: boolean };
}
export type ReplyTo<M extends { type: keyof Replies }> = Replies[M['type']];

export function failure(error: string): Failure {
  return { ok: false, error };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).ok === false;
}

/** Parse a message sent to the background; a readable error for anything that is not one of ours. */
export function parseBackgroundMessage(raw: unknown): { ok: true; message: BackgroundMessage } | Failure {
  const result = BackgroundMessage.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues[0];
  return failure(
    `invalid message: ${first ? `${first.path.join('.') || 'message'}: ${first.message}` : 'unknown shape'}`,
  );
}
