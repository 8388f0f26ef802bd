/**
 * Background: per-tab detection state, the toolbar badge, and the message router. The logic lives
 * in the files beside this one (tab-store, badge, router, pack-install, capture-tab,
 * research-recorder); this file connects it to the browser.
 */
import { i18n } from '#i18n';
import { badgeFor, badgeTitle } from './badge';
import { createRouter } from './router';
import { startResearchLog } from './research-recorder';
import { captureTab } from './capture-tab';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { findingCatalogues, getRegulations } from '@/utils/catalogues';
import { importPack, recheckInstalledPacks, type ImportDeps } from './pack-install';
import { TabStore } from './tab-store';
import { recordSlowRules } from '@/utils/switched-off-rules';
import type { TabReport } from '@/rules/schema';

export default defineBackground({
  // Firefox (MV2): an event page, suspended when idle like Chromium's service worker; per-tab state
  // lives in storage.session for both.
  persistent: false,
  main() {
    const store = new TabStore(browser.storage.session);
    // Research log: records nothing unless the user consented on research.html.
    const research = startResearchLog();
    const action = browser.action ?? browser.browserAction;
    // User rule packs: checked against the bundled packs and the regulation catalogue.
    const packDeps = (): ImportDeps => ({
      bundled: loadBundledPacks(),
      regulationIds: new Set(getRegulations().regulations.map((r) => r.id)),
    });

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
      importPack: (raw) => importPack(raw, packDeps),
      recordSlowRules: (report) => recordSlowRules(report, Date.now()),
    });
    browser.runtime.onMessage.addListener((message, sender) => handle(message, sender));
    // A newer version may check packs more strictly: switch off installed ones that now fail.
    browser.runtime.onInstalled.addListener((details) => {
      if (details.reason === 'update') void recheckInstalledPacks(packDeps()).catch(() => {});
    });

    browser.tabs.onRemoved.addListener((tabId) => void store.clear(tabId));
    browser.tabs.onUpdated.addListener((tabId, change) => {
      // A real navigation (not an SPA route change) starts the tab afresh.
      if (change.status === 'loading' && change.url) void store.clear(tabId);
    });
  },
});
