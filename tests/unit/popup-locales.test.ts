/**
 * The popup's strings (`popup`, `feature`, `category` in locales/*.yml): both languages have the
 * same keys with the same substitutions, every taxonomy id has its names, and every message name
 * is one Chrome accepts.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS, FEATURE_IDS } from '@/rules/schema';
import { localeId } from '@/utils/taxonomy-labels';
import { localeMessages, message } from '../helpers/fake-i18n';

const OWN = /^(popup|feature|category)_/;
const own = (locale: 'id' | 'en') =>
  Object.fromEntries(Object.entries(localeMessages(locale)).filter(([name]) => OWN.test(name)));

const substitutions = (text: string) => [...text.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((m) => m[1]).sort();

describe('popup locale strings', () => {
  const id = own('id');
  const en = own('en');

  it('has the same keys in Indonesian and English', () => {
    expect(Object.keys(id).length).toBeGreaterThan(50);
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });

  it('uses the same substitutions and plural forms in both languages', () => {
    for (const name of Object.keys(id)) {
      expect([name, substitutions(en[name])]).toEqual([name, substitutions(id[name])]);
      expect([name, en[name].split(' | ').length]).toEqual([name, id[name].split(' | ').length]);
    }
  });

  it('translates rather than copies the sentences', () => {
    const same = Object.keys(id).filter((name) => id[name] === en[name] && id[name].split(' ').length >= 3);
    expect(same).toEqual([]);
  });

  it('names every category and feature, with a plain-words description of each feature', () => {
    for (const locale of ['id', 'en'] as const) {
      for (const c of CATEGORY_IDS) expect(message(locale, `category.${localeId(c)}`)).not.toBe('');
      for (const f of FEATURE_IDS) {
        expect(message(locale, `feature.${localeId(f)}`)).not.toBe('');
        expect(message(locale, `popup.featureHelp.${localeId(f)}`)).not.toBe('');
      }
    }
    expect(message('id', 'category.transaction')).toBe('Transaksi di dalam aplikasi');
  });

  it('only uses message names Chrome accepts', () => {
    for (const locale of ['id', 'en'] as const) {
      for (const name of Object.keys(localeMessages(locale))) expect(name).toMatch(/^[a-z0-9_@]+$/);
    }
  });
});
