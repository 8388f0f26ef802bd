/**
 * The browser's i18n for component tests.
 *
 * WXT's fake browser leaves `i18n.getMessage` and `i18n.getUILanguage` unimplemented (they
 * throw). This answers them from the real `locales/<lang>.yml`, converted the way the build
 * converts them (`@wxt-dev/i18n/build`), with Chrome's substitution rules: `$1`…`$9` are replaced,
 * `$$` is a literal `$`, names are case-insensitive, an unknown name gives "".
 *
 * `message()` gives a locale's raw text for a key, so tests can assert the strings people read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateChromeMessages, parseMessagesText } from '@wxt-dev/i18n/build';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export type TestLocale = 'id' | 'en';

const cache = new Map<TestLocale, Record<string, string>>();

export function localeMessages(locale: TestLocale): Record<string, string> {
  let messages = cache.get(locale);
  if (!messages) {
    const text = readFileSync(join(import.meta.dirname, '../../locales', `${locale}.yml`), 'utf8');
    const chrome = generateChromeMessages(parseMessagesText(text, 'YAML'));
    messages = Object.fromEntries(Object.entries(chrome).map(([name, m]) => [name.toLowerCase(), m.message]));
    cache.set(locale, messages);
  }
  return messages;
}

export function getMessage(locale: TestLocale, name: string, substitutions?: string | string[]): string {
  const template = localeMessages(locale)[name.toLowerCase()];
  if (template === undefined) return '';
  const subs = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
  return template.replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : (subs[Number(c) - 1] ?? '')));
}

/**
 * The text `i18n.t(key, …)` gives in `locale` (dots in keys, plural forms chosen by `count`), for
 * assertions.
 */
export function message(locale: TestLocale, key: string, options: { count?: number; subs?: string[] } = {}): string {
  const name = key.replaceAll('.', '_');
  if (localeMessages(locale)[name.toLowerCase()] === undefined) throw new Error(`no message "${key}" in ${locale}.yml`);
  const { count } = options;
  const subs = options.subs ?? (count === undefined ? [] : [String(count)]);
  const text = getMessage(locale, name, subs);
  if (count === undefined) return text;
  const forms = text.split(' | ');
  if (forms.length === 3) return forms[count === 0 || count === 1 ? count : 2];
  if (forms.length === 2) return forms[count === 1 ? 0 : 1];
  return forms[0];
}

/** Make the fake browser speak `locale`, as a browser whose UI language is `uiLanguage`. */
export function useLocale(locale: TestLocale, uiLanguage: string = locale === 'en' ? 'en-US' : 'id'): void {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((name: string, subs?: string | string[]) =>
    getMessage(locale, name, subs)) as typeof fakeBrowser.i18n.getMessage);
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue(uiLanguage);
}
