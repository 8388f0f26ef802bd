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

/** The zod schema's `strictObject`: these keys and no others. */
export function isHighlightReveal(value: unknown): value is HighlightRevealMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return (
    keys.length === 2 &&
    keys.includes('type') &&
    keys.includes('ruleId') &&
    v.type === 'highlight:reveal' &&
    typeof v.ruleId === 'string'
  );
}
