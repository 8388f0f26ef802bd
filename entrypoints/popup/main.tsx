import { render } from 'preact';
import { browser } from 'wxt/browser';
import { uiLocale } from '@/utils/ui-language';
import { needsRecheck, readStoredPacks } from '@/utils/user-packs';
import { App } from './App';

const locale = uiLocale();
document.documentElement.lang = locale;
// Opened as a page (`popup.html?tabId=N`, the report's links, end-to-end tests) rather than as
// the toolbar popup: let the layout use the window's width.
if (new URLSearchParams(location.search).has('tabId')) document.documentElement.classList.add('ln-page');

render(<App locale={locale} search={location.search} />, document.getElementById('app')!);

// After an update, installed rule packs wait for this version's checks before content scripts use
// them again (utils/user-packs.ts). The popup is the page people open, so it runs the check; the
// checker is loaded only then, as a chunk of its own.
void readStoredPacks()
  .then(async (packs) => {
    if (!needsRecheck(packs, browser.runtime.getManifest().version)) return;
    const { recheckInstalledPacks } = await import('@/utils/pack-install');
    await recheckInstalledPacks();
  })
  .catch(() => {});
