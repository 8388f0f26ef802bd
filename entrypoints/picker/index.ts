/**
 * "Mark what it missed": injected into the active tab by the popup (`scripting.executeScript`),
 * never on its own, so nothing of it is on a page until the user starts it. It runs in the
 * extension's isolated world; its UI is in picker.ts, the proposal in lib/selector-proposal.ts.
 */
import { platformForUrl } from '@/lib/hosts';
import type { Failure } from '@/utils/messages';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { Picker } from './picker';

/** Marks a running picker in this isolated world (the page's own world cannot see it). */
const RUNNING = Symbol.for('lensa-niaga.picker');

export default defineUnlistedScript(() => {
  const world = globalThis as { [RUNNING]?: Picker };
  if (world[RUNNING]) return; // started twice: the one on the page stays
  const bundled = loadBundledPacks();
  const platform = platformForUrl(
    bundled.flatMap((p) => p.platforms),
    location.href,
  );
  if (!platform) return;
  const picker = new Picker(document, {
    platform,
    bundled,
    save: async (proposal) => {
      try {
        const reply = (await browser.runtime.sendMessage({ type: 'myrules:propose', proposal })) as
          { ok: true } | Failure | undefined;
        return reply?.ok ? null : (reply?.error ?? 'no answer');
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    onEnd: () => delete world[RUNNING],
  });
  world[RUNNING] = picker;
  picker.start();
});
