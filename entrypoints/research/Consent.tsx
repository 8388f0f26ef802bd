/**
 * The consent text (versioned, id/en), the agree and withdraw buttons, and the write-problem banner.
 */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { CONSENT_VERSION, type ConsentState } from '@/utils/research-log/consent';
import type { ResearchDb } from '@/utils/research-log/db';
import { RECORD_FIELDS, RETENTION, type ResearchSettings, type ResearchStatus } from '@/utils/research-log/types';
import { formatMoment } from '@/lib/format';
import type { UiLocale } from '@/utils/ui-language';

/** The words people agree to. Every string here is covered by CONSENT_TEXT_FINGERPRINT. */
export function ConsentText() {
  return (
    <div class="rl__consent-text">
      <p>{i18n.t('research.consent.purpose')}</p>
      <p>{i18n.t('research.consent.fields')}</p>
      <dl class="rl__fields">
        {RECORD_FIELDS.map((field) => (
          <div key={field}>
            <dt>
              <code>{field}</code>
            </dt>
            <dd>{i18n.t(`research.field.${field}`)}</dd>
          </div>
        ))}
      </dl>
      <p>{i18n.t('research.consent.urlNote')}</p>
      <p>
        <strong>{i18n.t('research.consent.local')}</strong>
      </p>
      <p>
        {i18n.t('research.consent.retention', [
          String(RETENTION.defaultMaxAgeDays),
          String(RETENTION.defaultMaxRecords),
        ])}
      </p>
      <p>{i18n.t('research.consent.delete')}</p>
    </div>
  );
}

export function ConsentPanel({
  settings,
  state,
  locale,
  db,
  onAgree,
  onWithdraw,
  onDeleteAll,
}: {
  settings: ResearchSettings;
  state: ConsentState;
  locale: UiLocale;
  db: ResearchDb | null;
  onAgree(): Promise<unknown>;
  onWithdraw(): Promise<unknown>;
  onDeleteAll(): Promise<unknown>;
}) {
  /** After a withdrawal: how many records are left, to offer deleting them. */
  const [offer, setOffer] = useState<number | null>(null);
  const [deleted, setDeleted] = useState(false);

  const withdraw = async () => {
    await onWithdraw();
    setDeleted(false);
    setOffer((await db?.countAll()) ?? 0);
  };

  return (
    <section class="rl__section rl__consent" aria-labelledby="rl-consent">
      <h2 id="rl-consent">{i18n.t('research.consent.heading', [String(CONSENT_VERSION)])}</h2>
      {state === 'current' ? (
        <>
          <p class="rl__state rl__state--on" role="status">
            {i18n.t('research.consent.given', [
              formatMoment(settings.consent!.at, locale),
              String(settings.consent!.version),
            ])}
          </p>
          <details class="ln-fold">
            <summary>{i18n.t('research.consent.reread')}</summary>
            <ConsentText />
          </details>
          <button type="button" class="rl__button" onClick={withdraw}>
            {i18n.t('research.consent.withdraw')}
          </button>
        </>
      ) : (
        <>
          {state === 'outdated' ? (
            <p class="rl__alert" role="status">
              {i18n.t('research.consent.outdated', [String(settings.consent!.version), String(CONSENT_VERSION)])}
            </p>
          ) : (
            <p class="rl__state" role="status">
              {i18n.t('research.consent.notRecording')}
            </p>
          )}
          <ConsentText />
          <p>
            <strong>{i18n.t('research.consent.before')}</strong>
          </p>
          <button
            type="button"
            class="rl__button rl__button--primary"
            onClick={async () => {
              setOffer(null);
              await onAgree();
            }}
          >
            {i18n.t('research.consent.agree')}
          </button>
        </>
      )}
      {offer !== null && state !== 'current' ? (
        <div class="rl__offer" role="alert">
          {deleted ? (
            <p>{i18n.t('research.records.deleted')}</p>
          ) : offer === 0 ? (
            <p>{i18n.t('research.consent.withdrawnEmpty')}</p>
          ) : (
            <>
              <p>{i18n.t('research.consent.withdrawn', offer, [String(offer)])}</p>
              <div class="rl__row">
                <button
                  type="button"
                  class="rl__button rl__button--danger"
                  onClick={async () => {
                    await onDeleteAll();
                    setDeleted(true);
                  }}
                >
                  {i18n.t('research.consent.deleteAll')}
                </button>
                <button type="button" class="rl__button" onClick={() => setOffer(null)}>
                  {i18n.t('research.consent.keep')}
                </button>
              </div>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

export function StatusBanner({
  status,
  locale,
  onDismiss,
}: {
  status: ResearchStatus;
  locale: UiLocale;
  onDismiss(): void;
}) {
  const p = status.problem;
  if (!p) return null;
  const when = formatMoment(p.at, locale);
  return (
    <div class="rl__alert rl__alert--problem" role="alert">
      {p.kind === 'storage-full' ? (
        <p>{i18n.t('research.status.storageFull', [when])}</p>
      ) : (
        <p>{i18n.t('research.status.writeFailed', [when, p.detail])}</p>
      )}
      {p.evicted > 0 ? <p>{i18n.t('research.status.evicted', p.evicted, [String(p.evicted)])}</p> : null}
      {p.waiting > 0 ? <p>{i18n.t('research.status.waiting', p.waiting, [String(p.waiting)])}</p> : null}
      {p.dropped > 0 ? <p>{i18n.t('research.status.dropped', p.dropped, [String(p.dropped)])}</p> : null}
      <button type="button" class="rl__button" onClick={onDismiss}>
        {i18n.t('research.status.dismiss')}
      </button>
    </div>
  );
}
