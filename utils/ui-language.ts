/**
 * Which of the two languages the extension speaks to this user. UI strings come from `locales/`
 * through the browser's i18n (the browser picks the file); text stored in the catalogues as
 * `{ id, en }` pairs is picked here with the same rule: English when the browser's UI language is
 * English, Indonesian otherwise (Indonesian is the default locale).
 */
import { browser } from 'wxt/browser';
import type { Localized } from '../rules/schema';

export type UiLocale = 'id' | 'en';

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

/** BCP 47 tag for Intl formatting of dates and lists. */
export function intlTag(locale: UiLocale): string {
  return locale === 'en' ? 'en' : 'id-ID';
}

/** A catalogue date ("2026-11-23") for people: "23 Nov 2026". Read as a calendar date, not a moment. */
export function formatDate(isoDate: string, locale: UiLocale): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlTag(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** "TikTok, YouTube dan X" / "TikTok, YouTube, and X". */
export function formatList(items: readonly string[], locale: UiLocale): string {
  return new Intl.ListFormat(intlTag(locale), { style: 'long', type: 'conjunction' }).format(items);
}
