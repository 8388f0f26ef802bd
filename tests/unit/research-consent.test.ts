/**
 * Research log consent: nothing is recorded before consent, a new consent version asks
 * again, withdrawing stops recording and drops what was waiting; the consent text lists exactly
 * the fields a record has, in both languages, and cannot change without a new version.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CONSENT_TEXT_FINGERPRINT,
  CONSENT_VERSION,
  consentState,
  giveConsent,
  isRecording,
  normalizeSettings,
  storedUrl,
  withdrawConsent,
} from '@/utils/research-log/consent';
import { openResearchDb } from '@/utils/research-log/db';
import { ResearchRecorder } from '@/entrypoints/background/research-recorder';
import {
  DEFAULT_RESEARCH_SETTINGS,
  RECORD_FIELDS,
  ResearchRecord,
  type ResearchSettings,
} from '@/utils/research-log/types';
import { localeMessages } from '../helpers/fake-i18n';
import { det, report } from '../helpers/research-records';

function recorder() {
  let clock = 1_700_000_000_000;
  let ids = 0;
  const r = new ResearchRecorder({
    openDb: () => openResearchDb(),
    versions: () => ({ extensionVersion: '9.9.9', rulePacks: ['tiktok@1.0.0'] }),
    now: () => (clock += 10),
    newId: () => `v${++ids}`,
    setTimer: () => 1,
    clearTimer: () => {},
  });
  return r;
}

const consented: ResearchSettings = giveConsent(DEFAULT_RESEARCH_SETTINGS, 1);

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('consent gating', () => {
  it('records nothing before consent and does not even create the database', async () => {
    const r = recorder();
    r.setSettings(DEFAULT_RESEARCH_SETTINGS);
    r.observe(report(1, [det('tiktok.product-tag')]));
    expect(r.waiting).toBe(0);
    await r.flush();
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('holds reports that arrive before the settings are read, and drops them if there is no consent', async () => {
    const r = recorder();
    r.observe(report(1, [det('a')]));
    r.setSettings(DEFAULT_RESEARCH_SETTINGS);
    await new Promise((done) => setTimeout(done, 0));
    expect(r.waiting).toBe(0);
  });

  it('replays reports that arrived before the settings once consent is known', async () => {
    const r = recorder();
    r.observe(report(1, [det('a')]));
    r.setSettings(consented);
    await new Promise((done) => setTimeout(done, 0));
    expect(r.waiting).toBe(1);
  });

  it('records after consent, with the consent version on every record', async () => {
    const r = recorder();
    r.setSettings(consented);
    await new Promise((done) => setTimeout(done, 0));
    r.observe(report(1, [det('tiktok.product-tag'), det('tiktok.shop-tab', { feature: 'shop-tab' })]));
    await r.flush();
    const db = await openResearchDb();
    const all = await db.page({}, 10);
    expect(all.records).toHaveLength(2);
    for (const rec of all.records) {
      expect(ResearchRecord.parse(rec)).toMatchObject({
        consentVersion: CONSENT_VERSION,
        extensionVersion: '9.9.9',
        rulePacks: ['tiktok@1.0.0'],
      });
    }
  });

  it('does not record under consent to an older version of the text', async () => {
    const old = giveConsent(DEFAULT_RESEARCH_SETTINGS, 1, CONSENT_VERSION);
    expect(consentState(old, CONSENT_VERSION + 1)).toBe('outdated');
    expect(isRecording(old, CONSENT_VERSION + 1)).toBe(false);
    expect(isRecording(old, CONSENT_VERSION)).toBe(true);
    const r = recorder();
    r.setSettings({ ...consented, consent: { version: CONSENT_VERSION + 1, at: 1 } });
    r.observe(report(1, [det('a')]));
    expect(r.waiting).toBe(0);
  });

  it('withdrawing stops recording and drops records not yet written', async () => {
    const r = recorder();
    r.setSettings(consented);
    await new Promise((done) => setTimeout(done, 0));
    r.observe(report(1, [det('a')]));
    expect(r.waiting).toBe(1);
    r.setSettings(withdrawConsent(consented));
    expect(r.waiting).toBe(0);
    r.observe(report(1, [det('a', { count: 2, lastSeen: 200 })]));
    await r.flush();
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('a record written under consent stays until deleted; withdrawal writes nothing more', async () => {
    const r = recorder();
    r.setSettings(consented);
    await new Promise((done) => setTimeout(done, 0));
    r.observe(report(1, [det('a')]));
    await r.flush();
    r.setSettings(withdrawConsent(consented));
    r.observe(report(1, [det('a', { count: 5, lastSeen: 500 }), det('b')]));
    await r.flush();
    const db = await openResearchDb();
    const { records } = await db.page({}, 10);
    expect(records.map((x) => [x.ruleId, x.count])).toEqual([['a', 1]]);
  });
});

describe('settings', () => {
  it('keeps host and path only, dropping query and fragment, in "path" mode', () => {
    expect(storedUrl('https://www.tiktok.com/@toko/video/1?lang=id&is_from_webapp=1#c', 'path')).toBe(
      'https://www.tiktok.com/@toko/video/1',
    );
    expect(storedUrl('https://www.tiktok.com/@toko/video/1?lang=id', 'full')).toBe(
      'https://www.tiktok.com/@toko/video/1?lang=id',
    );
    expect(storedUrl('not a url', 'path')).toBe('');
  });

  it('falls back per field when stored settings are broken', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_RESEARCH_SETTINGS);
    expect(normalizeSettings({ urlMode: 'full', maxRecords: 5, maxAgeDays: 30, consent: 'yes' })).toEqual({
      ...DEFAULT_RESEARCH_SETTINGS,
      urlMode: 'full',
      maxAgeDays: 30,
    });
    expect(normalizeSettings(consented)).toEqual(consented);
  });
});

describe('research strings', () => {
  const own = (lang: 'id' | 'en') =>
    Object.fromEntries(Object.entries(localeMessages(lang)).filter(([k]) => k.startsWith('research_')));
  const subs = (text: string) =>
    [...text.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)]
      .map((m) => m[1])
      .sort()
      .join();

  it('exist in both languages with the same substitutions and plural forms', () => {
    const id = own('id');
    const en = own('en');
    expect(Object.keys(id).length).toBeGreaterThan(80);
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const key of Object.keys(id)) {
      expect([key, subs(en[key]), en[key].split(' | ').length]).toEqual([
        key,
        subs(id[key]),
        id[key].split(' | ').length,
      ]);
    }
  });
});

describe('consent text', () => {
  const CONSENT_KEYS = ['purpose', 'fields', 'urlnote', 'local', 'retention', 'delete', 'before'];
  const text = (lang: 'id' | 'en') => {
    const m = localeMessages(lang);
    return [
      ...CONSENT_KEYS.map((k) => [`research_consent_${k}`, m[`research_consent_${k}`]]),
      ...RECORD_FIELDS.map((f) => [`research_field_${f.toLowerCase()}`, m[`research_field_${f.toLowerCase()}`]]),
    ];
  };

  it('names every field a record keeps, and only those, in both languages', () => {
    for (const lang of ['id', 'en'] as const) {
      const fieldKeys = Object.keys(localeMessages(lang)).filter((k) => k.startsWith('research_field_'));
      expect(fieldKeys.sort()).toEqual(RECORD_FIELDS.map((f) => `research_field_${f.toLowerCase()}`).sort());
      for (const [key, value] of text(lang))
        expect([lang, key, typeof value === 'string' && value.length > 10]).toEqual([lang, key, true]);
    }
    expect(Object.keys(ResearchRecord.shape).sort()).toEqual([...RECORD_FIELDS].sort());
  });

  it('cannot change without a new consent version', () => {
    const hash = createHash('sha256')
      .update(JSON.stringify({ id: text('id'), en: text('en') }))
      .digest('hex')
      .slice(0, 16);
    expect(
      hash,
      `The consent text changed. People agreed to the old words: raise CONSENT_VERSION in utils/research-log/consent.ts and set CONSENT_TEXT_FINGERPRINT to ${hash}.`,
    ).toBe(CONSENT_TEXT_FINGERPRINT);
  });
});
