import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { formatDate, formatList } from '@/lib/format';
import { localized, uiLocale, uiLocaleFrom } from '@/utils/ui-language';

describe('uiLocaleFrom', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['en_AU', 'en'],
    ['id', 'id'],
    ['id-ID', 'id'],
    ['ms', 'id'],
    ['', 'id'],
    [undefined, 'id'],
    [null, 'id'],
  ])('%j → %s', (language, expected) => {
    expect(uiLocaleFrom(language)).toBe(expected);
  });
});

describe('uiLocale', () => {
  afterEach(() => fakeBrowser.reset());

  it('follows the browser UI language', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
    expect(uiLocale()).toBe('en');
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('id');
    expect(uiLocale()).toBe('id');
  });

  it('falls back to Indonesian when the browser cannot say', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockImplementation(() => {
      throw new Error('not available');
    });
    expect(uiLocale()).toBe('id');
  });
});

describe('localized', () => {
  it('picks the text for the locale', () => {
    const text = { id: 'Berlaku', en: 'In force' };
    expect(localized(text, 'id')).toBe('Berlaku');
    expect(localized(text, 'en')).toBe('In force');
  });
});

describe('formatDate and formatList', () => {
  it('formats a catalogue date as the same calendar day in each language', () => {
    expect(formatDate('2026-11-23', 'en')).toMatch(/23/);
    expect(formatDate('2026-11-23', 'en')).toMatch(/Nov/);
    expect(formatDate('2026-11-23', 'id')).toMatch(/23 Nov 2026/);
    expect(formatDate('2026-01-01', 'id')).toMatch(/^1 Jan 2026$/);
  });

  it('returns what it cannot parse unchanged', () => {
    expect(formatDate('soon', 'id')).toBe('soon');
  });

  it('joins a list with the language’s conjunction', () => {
    expect(formatList(['TikTok', 'YouTube', 'X'], 'en')).toBe('TikTok, YouTube, and X');
    expect(formatList(['TikTok', 'YouTube', 'X'], 'id')).toMatch(/^TikTok, YouTube,? dan X$/);
  });
});
