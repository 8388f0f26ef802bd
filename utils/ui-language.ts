/**
 * Which of the two languages the extension speaks to this user. UI strings come from `locales/`
 * through the browser's i18n (the browser picks the file); text stored in the catalogues as
 * `{ id, en }` pairs is picked here with the same rule: English when the browser's UI language is
 * English, Indonesian otherwise (Indonesian is the default locale).
 */
import { browser } from 'wxt/browser';
import type { Localized } from '../rules/schema';
import type { Language } from '../lib/format';

export type UiLocale = Language;

/** "en", "en-US", "en_GB" → en; anything else (including nothing) → id. */
export function uiLocaleFrom(language: string | null | undefined): UiLocale {
  return (language ?? '').trim().toLowerCase().startsWith('en') ? 'en' : 'id';
}

/** The locale of the browser's UI; Indonesian when the browser cannot say. */
export function uiLocale(): UiLocale {
  try {
    return uiLocaleFrom(browser.i18n.getUILanguage());
  } catch {
    return 'id';
  }
}

/** The catalogue text for `locale`. */
export function localized(text: Localized, locale: UiLocale): string {
  return locale === 'en' ? text.en : text.id;
}
