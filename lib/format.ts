/**
 * Dates, moments, numbers and lists for people, in the interface's two languages. Every page
 * formats through these, so a date reads the same in the popup, the report and the research log.
 */

/** The two interface languages: Indonesian (the default) and English. */
export type Language = 'id' | 'en';

/** BCP 47 tag for Intl formatting. */
export function intlTag(language: Language): string {
  return language === 'en' ? 'en' : 'id-ID';
}

/** A calendar date ("2026-11-23") for people: "23 Nov 2026". Read as a date, not a moment. */
export function formatDate(isoDate: string, language: Language): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlTag(language), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * A moment (ISO string or ms since the epoch) in `timeZone`, the browser's own when absent. An
 * unknown time zone (a report made elsewhere) falls back to UTC.
 */
export function formatMoment(
  moment: string | number,
  language: Language,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
  timeZone?: string,
): string {
  const date = new Date(moment);
  if (Number.isNaN(date.getTime())) return String(moment);
  try {
    return new Intl.DateTimeFormat(intlTag(language), { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(intlTag(language), { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** A moment in full, with its time zone: "23 November 2026 pukul 17.15.00 WIB". */
export function formatDateTime(isoTime: string, language: Language, timeZone: string): string {
  return formatMoment(isoTime, language, { dateStyle: 'long', timeStyle: 'long' }, timeZone);
}

/** "1.000.000" / "1,000,000". */
export function formatNumber(n: number, language: Language): string {
  return new Intl.NumberFormat(intlTag(language)).format(n);
}

/** "TikTok, YouTube, dan X" / "TikTok, YouTube, and X". */
export function formatList(items: readonly string[], language: Language): string {
  return new Intl.ListFormat(intlTag(language), { style: 'long', type: 'conjunction' }).format(items);
}
