/**
 * Messages to a tab's content script, as a plain guard: content scripts carry no zod. The schema
 * stays the one in utils/messages.ts (`HighlightReveal`), which senders use; a unit test checks
 * that this guard accepts exactly what that schema accepts (tests/unit/tab-messages.test.ts).
 */

/** Sent by the popup or report: scroll to and flash a rule's elements. */
export interface HighlightRevealMessage {
  type: 'highlight:reveal';
  ruleId: string;
}

const KEYS = new Set(['type', 'ruleId']);

/** As the zod schema's `strictObject` reads it: both fields right, and no key of its own besides. */
export function isHighlightReveal(value: unknown): value is HighlightRevealMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.type === 'highlight:reveal' && typeof v.ruleId === 'string' && Object.keys(v).every((k) => KEYS.has(k));
}
