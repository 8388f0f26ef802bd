import { render } from 'preact';
import { uiLocale } from '@/utils/ui-language';
import { App } from './App';

const locale = uiLocale();
document.documentElement.lang = locale;

render(<App locale={locale} search={location.search} />, document.getElementById('app')!);
