/**
 * Options page. Minimal for now: site and highlight settings live in the popup, and the research
 * log has its own page (issue 7). Rule-pack import may be added here later.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { uiLocale } from '@/utils/ui-language';

document.documentElement.lang = uiLocale();
document.title = i18n.t('research.options.title');

function Options() {
  const research = (browser.runtime.getURL as (path: string) => string)('/research.html');
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '0 auto', padding: '12px', lineHeight: 1.45 }}>
      <h1 style={{ fontSize: '1.4rem' }}>{i18n.t('research.options.title')}</h1>
      <p>{i18n.t('research.options.intro')}</p>
      <p>
        <a href={research} target="_blank" rel="noopener">
          {i18n.t('research.options.open')}
        </a>
      </p>
    </main>
  );
}

render(<Options />, document.getElementById('app')!);
