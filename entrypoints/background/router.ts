/**
 * The background's message handler. Every message is validated (utils/messages.ts) and answered
 * with its reply type; anything invalid, or from outside this extension, is answered
 * `{ ok: false, error }`.
 *
 * Who may send what:
 * - `detections:get`: this extension's pages (popup, report, research) for any tab; a content
 *   script only for its own tab. Content scripts run in the page's renderer process, so one
 *   compromised platform page must not learn the URLs and findings of the user's other tabs.
 * - `detections:update`: only this extension's content scripts, from a tab. The tab id is taken
 *   from `sender`, never from the message, so a page cannot write another tab's state.
 * - `rules:slow`: only this extension's content scripts, from a tab's top frame. The host is taken
 *   from `sender`, and only rules of installed user packs can be switched off this way.
 * - `myrules:propose`: this extension's pages, and a content or picker script in a tab's top
 *   frame; a picked rule only for the platform of that frame's page. It stores nothing that runs:
 *   the options page checks the proposal as part of the My rules pack before it is installed.
 * - `screenshot:capture`: only this extension's own pages (the seller report); a content script
 *   must not be able to photograph the user's tabs.
 * - `highlights:load`: only this extension's content scripts, from a tab; the script goes into
 *   the sender's own tab and frame, never one the message names.
 */
import type { PlatformId, TabReport } from '../../rules/schema';
import type { Proposal } from '../../lib/my-rules';
import {
  failure,
  parseBackgroundMessage,
  type BackgroundMessage,
  type CaptureReply,
  type Failure,
  type ReplyTo,
} from '../../utils/messages';
import type { TabStore } from './tab-store';
import type { SlowReport } from '../../utils/switched-off-rules';

export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export interface RouterDeps {
  store: TabStore;
  extensionId: string;
  /** Origin of this extension's pages, e.g. "chrome-extension://<id>". */
  extensionOrigin: string;
  onReport?(report: TabReport): void;
  /** Keep user rules switched off that a content script's time guard stopped; how many were new. */
  recordSlowRules?(report: SlowReport): Promise<number>;
  /** Keep a My rules proposal and open the options page to save it. */
  keepProposal?(proposal: Proposal): Promise<void>;
  /** The platform of a page URL (from the bundled packs' hosts), for checking a script's proposal. */
  platformOf?(url: string): PlatformId | null;
  /** Photograph tab `tabId`, then make `returnTo` (the asking page's tab) active again. */
  captureTab?(tabId: number, returnTo: number | undefined): Promise<CaptureReply>;
  /** Run the highlights script in frame `frameId` of tab `tabId`. */
  injectHighlights?(tabId: number, frameId: number): Promise<void>;
}

/** One handler per message type, each bound to that message's reply type. */
type Handlers = {
  [T in BackgroundMessage['type']]: (
    message: Extract<BackgroundMessage, { type: T }>,
    sender: Sender,
  ) => Promise<ReplyTo<{ type: T }>>;
};

export function createRouter(deps: RouterDeps) {
  const fromOwnPage = (sender: Sender) => !sender.tab?.id || (sender.url ?? '').startsWith(deps.extensionOrigin);

  const handlers: Handlers = {
    'detections:get': async (message, sender) => {
      if (!fromOwnPage(sender) && sender.tab?.id !== message.tabId) {
        return failure('a content script may ask only for its own tab');
      }
      return deps.store.get(message.tabId);
    },
    'detections:update': async (message, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined || tabId < 0 || fromOwnPage(sender) || sender.frameId !== 0) {
        return failure('detections:update is accepted only from a content script in a tab');
      }
      const report = await deps.store.update(tabId, message);
      deps.onReport?.(report);
      return { ok: true };
    },
    'rules:slow': async (message, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined || tabId < 0 || fromOwnPage(sender) || sender.frameId !== 0) {
        return failure('rules:slow is accepted only from a content script in a tab');
      }
      if (!deps.recordSlowRules) return failure('rule guard records are not available');
      let host: string;
      try {
        host = new URL(sender.url ?? '').hostname;
      } catch {
        return failure('rules:slow needs the sender’s page');
      }
      const { ruleIds, platform, spentMs, budgetMs, windowMs } = message;
      const recorded = await deps.recordSlowRules({ ruleIds, platform, host, spentMs, budgetMs, windowMs });
      return { ok: true, recorded };
    },
    'myrules:propose': async (message, sender) => {
      if (!fromOwnPage(sender)) {
        if (sender.tab?.id === undefined || sender.tab.id < 0 || sender.frameId !== 0) {
          return failure("myrules:propose is accepted only from a tab's top frame or the extension's own pages");
        }
        const proposal = message.proposal;
        if (proposal.kind === 'rule' && deps.platformOf?.(sender.url ?? '') !== proposal.platform) {
          return failure('a script may propose rules only for the platform of its own page');
        }
      }
      if (!deps.keepProposal) return failure('My rules is not available');
      await deps.keepProposal(message.proposal);
      return { ok: true };
    },
    'screenshot:capture': async (message, sender) => {
      if (!fromOwnPage(sender)) return failure("screenshot:capture is accepted only from the extension's own pages");
      if (!deps.captureTab) return failure('screenshots are not available');
      return deps.captureTab(message.tabId, sender.tab?.id);
    },
    'highlights:load': async (_message, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined || tabId < 0 || fromOwnPage(sender) || sender.frameId === undefined) {
        return failure('highlights:load is accepted only from a content script in a tab');
      }
      if (!deps.injectHighlights) return failure('highlights are not available');
      try {
        await deps.injectHighlights(tabId, sender.frameId);
        return { ok: true };
      } catch (error) {
        return failure(`highlights could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };

  return async function handle(raw: unknown, sender: Sender): Promise<ReplyTo<BackgroundMessage> | Failure> {
    if (sender.id !== deps.extensionId) return failure('messages are accepted only from this extension');
    const parsed = parseBackgroundMessage(raw);
    if (!parsed.ok) return parsed;
    const message = parsed.message;
    // TypeScript cannot pair a union's member with its handler by itself; the map above is typed per message.
    const handler = handlers[message.type] as (m: BackgroundMessage, s: Sender) => Promise<ReplyTo<BackgroundMessage>>;
    return handler(message, sender);
  };
}
