/**
 * The one message schema, used by both ends. Every message is validated with zod on receipt;
 * an invalid one is answered `{ ok: false, error }`.
 *
 * `detections:get` is the public, stable contract of design.md: it answers a bare `TabReport`.
 * The others are internal to the extension.
 */
import * as z from 'zod/mini';
import { Detection, PlatformId, TabReport } from '../rules/schema';

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

/** Sent by the popup or report to a tab's content script: scroll to and flash a rule's elements. */
export const HighlightReveal = z.strictObject({ type: z.literal('highlight:reveal'), ruleId: z.string() });

/** Import a user rule pack (validated again by the background; see utils/rule-packs.ts). */
export const RulesImport = z.strictObject({ type: z.literal('rules:import'), pack: z.unknown() });

/**
 * Sent by the seller report: photograph tab `tabId` (utils/capture-tab.ts). Answers
 * `{ ok: true, dataUrl }` or `{ ok: false, error }`. Accepted only from the extension's own pages.
 */
export const ScreenshotCapture = z.strictObject({
  type: z.literal('screenshot:capture'),
  tabId: z.int().check(z.gte(0)),
});

export const Message = z.discriminatedUnion('type', [
  DetectionsGet,
  DetectionsUpdate,
  HighlightReveal,
  RulesImport,
  ScreenshotCapture,
]);
export type Message = z.infer<typeof Message>;
export type DetectionsUpdate = z.infer<typeof DetectionsUpdate>;

export type Failure = { ok: false; error: string };
export type Success<T extends object = object> = { ok: true } & T;

export function failure(error: string): Failure {
  return { ok: false, error };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).ok === false;
}

/** Parse an incoming message; a readable error for anything that is not one of ours. */
export function parseMessage(raw: unknown): { ok: true; message: Message } | Failure {
  const result = Message.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues[0];
  return failure(
    `invalid message: ${first ? `${first.path.join('.') || 'message'}: ${first.message}` : 'unknown shape'}`,
  );
}

export { TabReport };
export type { TabReport as TabReportType } from '../rules/schema';
