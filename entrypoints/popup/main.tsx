import { render } from 'preact';
import { uiLocale } from '@/utils/ui-language';
import { App } from './App';

const locale = uiLocale();
document.documentElement.lang = locale;
// Opened as a page (`popup.html?tabId=N`, the report's links, end-to-end tests) rather than as
// the toolbar popup: let the layout use the window's width.
if (new URLSearchParams(location.search).has('tabId')) document.documentElement.classList.add('ln-page');

render(<App locale={locale} search={location.search} />, document.getElementById('app')!);
