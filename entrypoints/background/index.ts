/**
 * Background: per-tab detection state, the toolbar badge, and the message router. The logic lives
 * in the files beside this one (tab-store, badge, router, capture-tab, research-recorder); this
 * file connects it to the browser. Rule packs are checked and installed by the options page
 * (utils/pack-install.ts), which keeps the pack checker out of the service worker.
 */
import { i18n } from '#i18n';
import { badgeFor, badgeTitle } from './badge';
import { createRouter } from './router';
import { startResearchLog } from './research-recorder';
import { captureTab } from './capture-tab';
import { findingCatalogues } from '@/utils/catalogues';
import { TabStore } from './tab-store';
import { keepProposal } from '@/utils/my-rules-store';
import { bundledPlatformHosts } from '@/utils/bundled-rules';
import { platformForUrl } from '@/lib/hosts';
import { recordSlowRules } from '@/utils/switched-off-rules';
import type { TabReport } from '@/rules/schema';

/** The highlights script, built by scripts/platform-content-scripts.ts (see entrypoints/content/highlight-kit.ts). */
const HIGHLIGHTS_SCRIPT = '/highlights.js';

export default defineBackground({
  // Firefox (MV2): an event page, suspended when idle like Chromium's service worker; per-tab state
  // lives in storage.session for both.
  persistent: false,
  main() {
    const store = new TabStore(browser.storage.session);
    // Research log: records nothing unless the user consented on research.html.
    const research = startResearchLog();
    const action = browser.action ?? browser.browserAction;

    // Which platform a page is, from the bundled packs' host lists (checked by the build).
    const platformOf = (url: string) => platformForUrl(bundledPlatformHosts, url);

    function showBadge(report: TabReport): void {
      const badge = badgeFor(report, findingCatalogues());
      const tabId = report.tabId;
      const { key, count } = badgeTitle(badge.summary);
      const title =
        key === 'none'
          ? i18n.t('badge.none')
          : key === 'marketplace'
            ? i18n.t('badge.marketplace', count, [String(count), badge.summary.marketplace ?? ''])
            : i18n.t(`badge.${key}`, count);
      // A closed tab makes these calls fail; there is nothing to update then.
      action.setBadgeText({ tabId, text: badge.text }).catch(() => {});
      action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => {});
      action.setTitle({ tabId, title }).catch(() => {});
    }

    const handle = createRouter({
      store,
      extensionId: browser.runtime.id,
      extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
      onReport: (report) => {
        showBadge(report);
        research.observe(report);
      },
      captureTab: (tabId, returnTo) => captureTab(browser.tabs, tabId, returnTo),
      // The options page adds the proposal to My rules and installs it through the import check.
      keepProposal: async (proposal) => {
        await keepProposal(proposal);
        await browser.runtime.openOptionsPage();
      },
      platformOf,
      recordSlowRules: (report) => recordSlowRules(report, Date.now()),
      injectHighlights: async (tabId, frameId) => {
        await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [HIGHLIGHTS_SCRIPT] });
      },
    });
    browser.runtime.onMessage.addListener((message, sender) => handle(message, sender));

    browser.tabs.onRemoved.addListener((tabId) => void store.clear(tabId));
    browser.tabs.onUpdated.addListener((tabId, change) => {
      // A real navigation (not an SPA route change) starts the tab afresh.
      if (change.status === 'loading' && change.url) void store.clear(tabId);
    });
  },
});
