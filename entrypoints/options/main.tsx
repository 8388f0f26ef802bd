/**
 * Options page: a link to the research log and the user's rule packs. The logic lives in
 * utils/user-packs.ts; the checks run in the background (entrypoints/background/pack-install.ts).
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { uiLocale } from '@/utils/ui-language';
import { RulePacks } from './RulePacks';
import { SwitchedOffRules } from './SwitchedOffRules';

const locale = uiLocale();
document.documentElement.lang = locale;
document.title = i18n.t('research.options.title');

function Options() {
  const research = (browser.runtime.getURL as (path: string) => string)('/research.html');
  return (
    <main class="ln-options">
      <h1>{i18n.t('research.options.title')}</h1>
      <p>{i18n.t('research.options.intro')}</p>
      <p>
        <a href={research} target="_blank" rel="noopener">
          {i18n.t('research.options.open')}
        </a>
      </p>
      <RulePacks locale={locale} send={(m) => browser.runtime.sendMessage(m)} />
      <SwitchedOffRules locale={locale} />
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
