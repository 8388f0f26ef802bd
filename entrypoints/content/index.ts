/**
 * Content script for the platforms' pages (hosts from rules/platforms/*.json).
 *
 *   page DOM ─▶ DomWatcher (queue only) ─▶ SliceScheduler (rAF, ≤4 ms slices, idle when hidden)
 *            ─▶ PageMatcher.scan / TreeWalk ─▶ DetectionTracker (diff) ─▶ detections:update ─▶ background
 *
 * All of the logic lives in page-session.ts and detection-loop.ts beside this file; this file
 * only connects it to the browser. Listeners go through `ctx`, so an extension update or reload
 * tears the old script down cleanly; timers are plain ones checked against `ctx.isValid` (below).
 */
import { loadBundledPacks } from '@/utils/bundled-rules';
import { domSelectorCheck, RuleEngine } from '@/lib/engine';
import { HighlightReveal, type RulesSlow } from '@/utils/messages';
import { PageSession } from './page-session';
import { watchLocation } from './location-watcher';
import { PLATFORM_MATCHES } from './platform-hosts';
import { getSettings, settingsItem } from '@/utils/settings';
import { featureLabel } from '@/utils/taxonomy-labels';
import { loadUserPacks } from '@/utils/user-packs';
import { listSwitchedOffRules, withoutSwitchedOff } from '@/utils/switched-off-rules';

export default defineContentScript({
  matches: PLATFORM_MATCHES,
  runAt: 'document_idle',
  async main(ctx) {
    const [settings, installed, switchedOff] = await Promise.all([
      getSettings(),
      loadUserPacks(),
      listSwitchedOffRules().catch(() => []),
    ]);
    // User packs had their patterns checked for backtracking when imported (lib/pack-check.ts);
    // their rules also run under the time guard, less those it switched off on an earlier page.
    const userPacks = withoutSwitchedOff(installed, switchedOff);
    const guardedRuleIds = new Set(userPacks.flatMap((p) => p.rules.map((r) => r.id)));
    const engine = new RuleEngine([...loadBundledPacks(location.hostname), ...userPacks], {
      checkSelector: domSelectorCheck(document),
    });
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
        labelFor: featureLabel,
        guardedRuleIds,
        reportSlow: ({ platform, ruleIds, trip }) => {
          const message = { type: 'rules:slow', platform, ruleIds, ...trip } satisfies RulesSlow;
          browser.runtime.sendMessage(message).catch(() => {
            // Not recorded: the rule is still off on this page and is timed again on the next.
          });
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
    ctx.addEventListener(document, 'visibilitychange', () => session.visibilityChanged());
    ctx.onInvalidated(settingsItem.watch((next) => session.applySettings(next)));

    const onMessage = (raw: unknown) => {
      const parsed = HighlightReveal.safeParse(raw);
      if (!parsed.success) return undefined;
      return Promise.resolve({ ok: session.reveal(parsed.data.ruleId) });
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onMessage);
      session.stop();
    });

    session.start();
  },
});
