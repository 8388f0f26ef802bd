/**
 * The rule-pack section of the options page: import from a file or pasted JSON, then the list of
 * installed packs with their name, version and rule count, a switch and a remove button.
 *
 * Everything a pack says (name, version, description) and every problem the check reports is
 * rendered as text: a pack is untrusted input.
 */
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ImportErrors } from './ImportErrors';
import {
  MAX_INSTALLED_PACKS,
  listUserPacks,
  readPackFile,
  removeUserPack,
  setUserPackEnabled,
  watchUserPacks,
  type InstalledPack,
} from '@/utils/user-packs';
import { installPack, recheckInstalledPacks, type ImportReply } from '@/utils/pack-install';
import { formatDate, formatNumber } from '@/lib/format';
import { MAX_PACK_CHARS, MAX_PATTERNS_PER_PACK, MAX_SIGNALS_PER_RULE } from '@/lib/pack-check';
import { MAX_PATTERN_LENGTH, MAX_RULES_PER_PACK, MAX_SELECTOR_LENGTH } from '@/rules/schema';
import type { UiLocale } from '@/utils/ui-language';

type Status =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'done'; reply: ImportReply }
  | { state: 'local-error'; message: string };

/** The limits the import check applies, in the words of the options page: the same constants. */
function limitsText(locale: UiLocale): string {
  const n = (x: number) => formatNumber(x, locale);
  return i18n.t('options.packs.limits', [
    n(MAX_PACK_CHARS),
    n(MAX_RULES_PER_PACK),
    n(MAX_SIGNALS_PER_RULE),
    n(MAX_PATTERNS_PER_PACK),
    n(MAX_PATTERN_LENGTH),
    n(MAX_SELECTOR_LENGTH),
    n(MAX_INSTALLED_PACKS),
  ]);
}

export function RulePacks({ locale, version }: { locale: UiLocale; version: string }) {
  const [packs, setPacks] = useState<InstalledPack[] | null>(null);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [pasted, setPasted] = useState('');
  const [confirming, setConfirming] = useState<number | null>(null);

  useEffect(() => {
    listUserPacks(version).then(setPacks, () => setPacks([]));
    // Packs not yet checked by this version (after an update) are checked here; the list
    // follows through the watch.
    void recheckInstalledPacks().catch(() => {});
    return watchUserPacks(version, setPacks);
  }, [version]);

  async function submit(pack: string) {
    setStatus({ state: 'checking' });
    // Let the status paint before the check takes the main thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const reply = await installPack(pack);
    setStatus({ state: 'done', reply });
    if (reply.ok) setPasted('');
    listUserPacks(version).then(setPacks, () => {});
  }

  async function onFile(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // picking the same file again imports it again
    if (!file) return;
    let text: string | null;
    try {
      text = await readPackFile(file);
    } catch {
      return setStatus({ state: 'local-error', message: i18n.t('options.packs.readFailed') });
    }
    if (text === null || text.length > MAX_PACK_CHARS) {
      const limit = formatNumber(MAX_PACK_CHARS, locale);
      return setStatus({ state: 'local-error', message: i18n.t('options.packs.tooLarge', [limit]) });
    }
    await submit(text);
  }

  return (
    <section class="ln-packs" aria-labelledby="ln-packs-heading">
      <h2 id="ln-packs-heading">{i18n.t('options.packs.heading')}</h2>
      <p>{i18n.t('options.packs.intro')}</p>
      <p>{i18n.t('options.packs.safety')}</p>
      <p class="ln-packs__warning">{i18n.t('options.packs.untrusted')}</p>

      <div class="ln-packs__import">
        <label class="ln-packs__file">
          <span>{i18n.t('options.packs.file')}</span>
          <input
            type="file"
            accept=".json,application/json"
            onChange={onFile}
            disabled={status.state === 'checking'}
            data-testid="pack-file"
          />
        </label>
        <p class="ln-packs__hint">{i18n.t('options.packs.fileHint')}</p>
        <p class="ln-packs__hint" data-testid="pack-limits">
          {limitsText(locale)}
        </p>
        <label for="ln-packs-paste">{i18n.t('options.packs.pasteLabel')}</label>
        <textarea
          id="ln-packs-paste"
          rows={8}
          spellcheck={false}
          value={pasted}
          onInput={(e) => setPasted((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <button
          type="button"
          onClick={() => submit(pasted)}
          disabled={status.state === 'checking' || pasted.trim() === ''}
        >
          {i18n.t('options.packs.importPasted')}
        </button>
      </div>

      <div role="status" aria-live="polite" class="ln-packs__status" data-testid="pack-status">
        <StatusView status={status} />
      </div>

      <h3>{i18n.t('options.packs.installed')}</h3>
      {packs && packs.length === 0 && <p>{i18n.t('options.packs.none')}</p>}
      {packs && packs.length > 0 && (
        <ul class="ln-packs__list" data-testid="pack-list">
          {packs.map((p) => (
            <li key={p.id} class={p.enabled && p.valid ? 'ln-pack' : 'ln-pack ln-pack--off'}>
              <div class="ln-pack__head">
                <strong class="ln-pack__name">{p.name}</strong>{' '}
                <span class="ln-pack__meta">
                  {i18n.t('options.packs.version', [p.version])} · {i18n.t('options.packs.rules', p.ruleCount)} ·{' '}
                  {i18n.t('options.packs.installedOn', [
                    formatDate(new Date(p.installedAt).toISOString().slice(0, 10), locale),
                  ])}
                </span>
              </div>
              {p.description && <p class="ln-pack__description">{p.description}</p>}
              {!p.valid && <p class="ln-pack__invalid">{i18n.t('options.packs.invalid')}</p>}
              <div class="ln-pack__actions">
                <label>
                  <input
                    type="checkbox"
                    checked={p.enabled}
                    disabled={!p.valid}
                    onChange={(e) => setUserPackEnabled(p.id, (e.currentTarget as HTMLInputElement).checked)}
                  />{' '}
                  {i18n.t('options.packs.enabled')}
                </label>
                {confirming === p.id ? (
                  <span class="ln-pack__confirm">
                    {i18n.t('options.packs.confirmRemove', [p.name])}{' '}
                    <button type="button" onClick={() => removeUserPack(p.id).finally(() => setConfirming(null))}>
                      {i18n.t('options.packs.confirm')}
                    </button>{' '}
                    <button type="button" onClick={() => setConfirming(null)}>
                      {i18n.t('options.packs.cancel')}
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setConfirming(p.id)}>
                    {i18n.t('options.packs.remove')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p class="ln-packs__hint">{i18n.t('options.packs.applies')}</p>
    </section>
  );
}

function StatusView({ status }: { status: Status }) {
  if (status.state === 'idle') return null;
  if (status.state === 'checking') return <p>{i18n.t('options.packs.checking')}</p>;
  if (status.state === 'local-error') return <p class="ln-packs__error">{status.message}</p>;
  const reply = status.reply;
  if (reply.ok) return <p class="ln-packs__ok">{i18n.t('options.packs.imported', reply.ruleCount)}</p>;
  return <ImportErrors heading={i18n.t('options.packs.refused')} errors={reply.errors} testId="pack-errors" />;
}
