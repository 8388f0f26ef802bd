import { render } from 'preact';
import { i18n } from '#i18n';
import { uiLocale } from '@/utils/ui-language';
import { App } from './App';

const locale = uiLocale();
document.documentElement.lang = locale;
document.title = `${i18n.t('research.title')} · Lensa Niaga`;

render(<App locale={locale} />, document.getElementById('app')!);
