/**
 * Consent and settings of the research log, modelled on Mozilla Rally and NYU's Ad
 * Observer: nothing is recorded before the user agrees to a versioned consent text; a new
 * version of the text asks again; withdrawing stops recording at once.
 *
 * The consent text is the `research.consent.*` strings of locales/id.yml and en.yml plus the
 * field list (`RECORD_FIELDS` with `research.field.*`). CONSENT_TEXT_FINGERPRINT is a hash of that
 * text in both languages: tests/unit/research-consent.test.ts fails when the text changes without
 * a new version, because people agreed to the words, not to a key.
 */
import { storage } from 'wxt/utils/storage';
import { normalizeFields, schemaField } from '../../lib/stored-fields';
import { DEFAULT_RESEARCH_SETTINGS, EMPTY_STATUS, ResearchSettings, type ResearchStatus } from './types';

// Lives beside the record types so that Node-side tools (the archive scanner) can use it too.
export { storedUrl } from './types';

export const CONSENT_VERSION = 2;
/**
 * First 16 hex digits of the sha256 of the current consent text in both languages (computed as in
 * the test). Version 2 says that evidence is a feature's label, link shape or fixed description,
 * never a person's details.
 */
export const CONSENT_TEXT_FINGERPRINT = 'c6594cbd69a9bd3c';

export type ConsentState = 'none' | 'outdated' | 'current';

export function consentState(settings: ResearchSettings, current = CONSENT_VERSION): ConsentState {
  if (!settings.consent) return 'none';
  return settings.consent.version === current ? 'current' : 'outdated';
}

/** Recording happens only under consent to the current text. */
export function isRecording(settings: ResearchSettings | null | undefined, current = CONSENT_VERSION): boolean {
  return !!settings && consentState(settings, current) === 'current';
}

export function giveConsent(settings: ResearchSettings, now: number, version = CONSENT_VERSION): ResearchSettings {
  return { ...settings, consent: { version, at: now } };
}

export function withdrawConsent(settings: ResearchSettings): ResearchSettings {
  return { ...settings, consent: null };
}

const researchFields = {
  consent: schemaField(ResearchSettings.shape.consent),
  urlMode: schemaField(ResearchSettings.shape.urlMode),
  maxRecords: schemaField(ResearchSettings.shape.maxRecords),
  maxAgeDays: schemaField(ResearchSettings.shape.maxAgeDays),
};

/** Stored settings that fail validation (a hand edit, an old shape) fall back field by field (lib/stored-fields.ts). */
export function normalizeSettings(raw: unknown): ResearchSettings {
  return normalizeFields(raw, DEFAULT_RESEARCH_SETTINGS, researchFields);
}

export const researchSettingsItem = storage.defineItem<ResearchSettings>('local:researchLog', {
  fallback: DEFAULT_RESEARCH_SETTINGS,
  version: 1,
});

/** Written by the background when a write fails; read and dismissed by the research page. */
export const researchStatusItem = storage.defineItem<ResearchStatus>('local:researchLogStatus', {
  fallback: EMPTY_STATUS,
});

export async function getResearchSettings(): Promise<ResearchSettings> {
  return normalizeSettings(await researchSettingsItem.getValue());
}

export async function updateResearchSettings(
  change: (s: ResearchSettings) => ResearchSettings,
): Promise<ResearchSettings> {
  const next = normalizeSettings(change(await getResearchSettings()));
  await researchSettingsItem.setValue(next);
  return next;
}

export function watchResearchSettings(cb: (settings: ResearchSettings) => void): () => void {
  return researchSettingsItem.watch((next) => cb(normalizeSettings(next)));
}
