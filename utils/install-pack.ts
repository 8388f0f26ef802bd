/**
 * The one way a rule pack gets installed from an extension page: the options page's file and
 * pasted imports, and every change to the My rules pack (a picked rule, an exclusion, a switch, a
 * removal), so that all of them pass the same check. Today the check runs in the background
 * (`rules:import`, entrypoints/background/pack-install.ts).
 */
import { browser } from 'wxt/browser';
import type { ImportReply } from './messages';
import { requestPackImport } from './user-packs';

/** Check and install `raw` (a pack object or JSON text); never throws. */
export function installPack(raw: unknown): Promise<ImportReply> {
  return requestPackImport(raw, (message) => browser.runtime.sendMessage(message));
}
