/**
 * Options page: a link to the research log, the user's rule packs and My rules. The logic lives in
 * utils/user-packs.ts and lib/my-rules.ts; every install goes through utils/pack-install.ts.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { uiLocale } from '@/utils/ui-language';
import { RulePacks } from './RulePacks';
import { MyRules } from './MyRules';
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
      <RulePacks locale={locale} version={browser.runtime.getManifest().version} />
      <MyRules />
      <SwitchedOffRules locale={locale} />
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
