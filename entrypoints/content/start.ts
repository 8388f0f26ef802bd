/**
 * The page side of every platform's content script (hosts from rules/platforms/<id>.json). Each
 * platform's script is generated at build time (scripts/platform-content-scripts.ts) and calls
 * `startPageScript` with its platform's rules, checked, precompiled and packed by the build.
 *
 *   page DOM ─▶ DomWatcher (queue only) ─▶ SliceScheduler (rAF, ≤4 ms slices, idle when hidden)
 *            ─▶ PageMatcher.scan / TreeWalk ─▶ DetectionTracker (diff) ─▶ detections:update ─▶ background
 *
 * All of the logic lives in page-session.ts and detection-loop.ts beside this file; this file
 * only connects it to the browser. Listeners end with `ctx` (its signal, onInvalidated), so an
 * extension update or reload tears the old script down cleanly; timers are plain ones checked
 * against `ctx.isValid` (below).
 *
 * Nothing here validates: the bundled rules were checked by the build, user packs when they were
 * imported (utils/pack-install.ts), and a tab message goes through a plain guard. That keeps zod,
 * the schema and the pattern checker out of page scripts.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { domSelectorCheck } from '@/lib/engine/selectors';
import { RuleEngine } from '@/lib/engine/load';
import { unpackEngineData } from '@/lib/engine/packed';
import { isHighlightReveal } from '@/utils/tab-messages';
import { PageSession } from './page-session';
import { watchLocation } from './location-watcher';
import { contentBrowser as browser } from '@/utils/content-browser';
import { readSettings, readSwitchedOffRules, readUserRules, watchSettings } from '@/utils/content-storage';
import type { RulesSlow } from '@/utils/messages';
import { withoutSwitchedOff } from '@/utils/switched-off-records';
import { highlightKit } from './highlight-kit';

/** `packedRules`: the platform's rules, packed by the build (lib/engine/packed.ts). */
export async function startPageScript(ctx: ContentScriptContext, packedRules: string): Promise<void> {
  const [bundled, settings, installed, switchedOff] = await Promise.all([
    unpackEngineData(packedRules),
    readSettings(),
    readUserRules(browser.runtime.getManifest().version),
    readSwitchedOffRules().catch(() => []),
  ]);
  // The rules of user packs run under the time guard (lib/engine/rule-guard.ts), less those it
  // switched off on an earlier page.
  const userRules = withoutSwitchedOff(installed, switchedOff);
  const guardedRuleIds = new Set(userRules.flatMap((p) => p.rules.map((r) => r.rule.id)));
  const engine = new RuleEngine([bundled, ...userRules], { checkSelector: domSelectorCheck(document) });
  const session = new PageSession(
    {
      doc: document,
      engine,
      url: () => location.href,
      now: () => performance.now(),
      clock: () => Date.now(),
      isHidden: () => document.visibilityState === 'hidden',
      // Plain timers checked against ctx.isValid: WXT's ctx.requestAnimationFrame/setTimeout add
      // an abort listener per call that is never removed, which grows with every frame of an
      // infinite feed. On invalidation the session is stopped (below) and late callbacks do nothing.
      requestFrame: (cb) => requestAnimationFrame(() => ctx.isValid && cb()),
      setTimeout: (cb, ms) => window.setTimeout(() => ctx.isValid && cb(), ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
      send: (update) => {
        browser.runtime.sendMessage({ type: 'detections:update', ...update }).catch(() => {
          // The background may be restarting; the next diff or route change carries on.
        });
      },
      guardedRuleIds,
      reportSlow: ({ platform, ruleIds, trip }) => {
        const message = { type: 'rules:slow', platform, ruleIds, ...trip } satisfies RulesSlow;
        browser.runtime.sendMessage(message).catch(() => {
          // Not recorded: the rule is still off on this page and is timed again on the next.
        });
      },
      loadHighlights: async () => {
        // The background injects the highlights script into this frame (highlight-kit.ts).
        await browser.runtime.sendMessage({ type: 'highlights:load' });
        const kit = highlightKit();
        if (!kit) throw new Error('no highlights');
        return kit;
      },
    },
    settings,
  );

  watchLocation(
    {
      href: () => location.href,
      navigation: (globalThis as { navigation?: EventTarget }).navigation ?? null,
      setTimeout: (cb, ms) => window.setTimeout(cb, ms),
      setInterval: (cb, ms) => window.setInterval(cb, ms),
      clearInterval: (handle) => window.clearInterval(handle as number),
      signal: ctx.signal,
    },
    () => session.routeChanged(),
  );
  document.addEventListener('visibilitychange', () => session.visibilityChanged(), { signal: ctx.signal });
  ctx.onInvalidated(watchSettings((next) => session.applySettings(next)));

  // Answered through sendResponse (Chromium ignores a promise that a listener returns), after the
  // highlight layer has loaded: `true` keeps the channel open until then.
  const onMessage = (raw: unknown, _sender: unknown, sendResponse: (reply: { ok: boolean }) => void) => {
    if (!isHighlightReveal(raw)) return false;
    void session.reveal(raw.ruleId).then((ok) => sendResponse({ ok }));
    return true;
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => {
    browser.runtime.onMessage.removeListener(onMessage);
    session.stop();
  });

  session.start();
}
