/**
 * Export (NDJSON, CSV, JSON of what the filter selects), import of a JSON export, and the log's
 * settings (URL mode, retention caps).
 */
import { useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ResearchDb } from '@/utils/research-log/db';
import { exportFileName, exportFromDb } from '@/utils/research-log/export';
import { readJsonExport, textChunks, type ReadProgress } from '@/utils/research-log/import-stream';
import { formatNumber } from '@/lib/format';
import { uiLocale } from '@/utils/ui-language';
import {
  EXPORT_FORMATS,
  SCHEMA_NAME,
  SCHEMA_VERSION,
  type ExportFormat,
  type RecordFilter,
  type ResearchSettings,
  type UrlMode,
} from '@/utils/research-log/types';
import { limitRange, parseLimit } from '@/utils/research-log/view';

const FORMAT_LABEL: Record<ExportFormat, () => string> = {
  ndjson: () => i18n.t('research.export.ndjson'),
  csv: () => i18n.t('research.export.csv'),
  json: () => i18n.t('research.export.json'),
};

export function ExportPanel({
  db,
  filter,
  canImport,
  versions,
  retention,
  onChanged,
}: {
  db: ResearchDb;
  filter: RecordFilter;
  canImport: boolean;
  versions(): { extensionVersion: string; rulePacks: string[] };
  retention: ResearchSettings;
  onChanged(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; lines: string[] } | null>(null);
  /** While an import reads its file: how far it got, and how to stop it. */
  const [progress, setProgress] = useState<{ read: ReadProgress; size: number } | null>(null);
  const importing = useRef<AbortController | null>(null);

  const doExport = async (format: ExportFormat) => {
    setBusy(true);
    setMessage(null);
    try {
      const now = Date.now();
      const started = performance.now();
      const { blob, count } = await exportFromDb(db, format, filter, versions(), now);
      const name = exportFileName(format, now);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const ms = Math.round(performance.now() - started);
      setMessage({ kind: 'ok', lines: [i18n.t('research.export.done', [String(count), name, String(ms)])] });
    } catch (error) {
      setMessage({ kind: 'error', lines: [String(error)] });
    } finally {
      setBusy(false);
    }
  };

  const doImport = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setMessage(null);
    const controller = new AbortController();
    importing.current = controller;
    setProgress({ read: { records: 0, chars: 0 }, size: file.size });
    try {
      // Read, checked and sliced so the page keeps responding; nothing is written before the whole
      // file has passed, and then in one transaction: a failure leaves the log as it was.
      const now = Date.now();
      const parsed = await readJsonExport(textChunks(file), {
        file: file.name,
        signal: controller.signal,
        onProgress: (read) => setProgress({ read, size: file.size }),
        retention,
        now,
      });
      if (!parsed.ok) {
        const lines = parsed.cancelled
          ? [i18n.t('research.export.importCancelled')]
          : [i18n.t('research.export.importFailed'), ...parsed.errors];
        setMessage({ kind: 'error', lines });
        return;
      }
      setProgress(null);
      const { added, replaced } = await db.importRecords(parsed.records);
      const removed = parsed.dropped + (await db.enforceRetention(retention, Date.now()));
      const lines = [i18n.t('research.export.importDone', [String(added + replaced), String(replaced)])];
      if (removed > 0) lines.push(i18n.t('research.export.importRetention', removed, [String(removed)]));
      setMessage({ kind: 'ok', lines });
      onChanged();
    } catch (error) {
      setMessage({ kind: 'error', lines: [i18n.t('research.export.importFailed'), String(error)] });
    } finally {
      importing.current = null;
      setProgress(null);
      setBusy(false);
    }
  };

  return (
    <section class="rl__section" aria-labelledby="rl-export" aria-busy={busy}>
      <h2 id="rl-export">{i18n.t('research.export.heading')}</h2>
      <p>{i18n.t('research.export.intro', [SCHEMA_NAME, String(SCHEMA_VERSION)])}</p>
      <div class="rl__row">
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" class="rl__button" disabled={busy} onClick={() => doExport(f)} data-format={f}>
            {FORMAT_LABEL[f]()}
          </button>
        ))}
      </div>
      <div class="rl__import">
        <label class="rl__file">
          {i18n.t('research.export.import')}
          <input
            type="file"
            accept=".json,application/json"
            disabled={busy || !canImport}
            onChange={(e) => doImport(e.currentTarget)}
          />
        </label>
        {!canImport ? <p class="ln-muted">{i18n.t('research.export.importNeedsConsent')}</p> : null}
        {progress ? (
          <div class="rl__row" data-testid="import-progress">
            <progress
              max={Math.max(1, progress.size)}
              value={Math.min(progress.read.chars, progress.size)}
              aria-label={i18n.t('research.export.import')}
            />
            <span role="status">
              {i18n.t('research.export.importProgress', [
                formatNumber(progress.read.records, uiLocale()),
                String(Math.min(100, Math.floor((100 * progress.read.chars) / Math.max(1, progress.size)))),
              ])}
            </span>
            <button type="button" class="rl__button" onClick={() => importing.current?.abort()}>
              {i18n.t('research.export.importCancel')}
            </button>
          </div>
        ) : null}
      </div>
      {message ? (
        <div
          class={message.kind === 'error' ? 'rl__alert' : 'rl__note'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="export-message"
        >
          {message.lines.map((line, i) => (
            <p key={i}>{line}</p>
          ))}
        </div>
      ) : null}
    </section>
  );
}

export function SettingsPanel({
  settings,
  onSave,
}: {
  settings: ResearchSettings;
  onSave(change: Partial<ResearchSettings>): Promise<unknown>;
}) {
  const [urlMode, setUrlMode] = useState<UrlMode>(settings.urlMode);
  const [maxRecords, setMaxRecords] = useState(String(settings.maxRecords));
  const [maxAgeDays, setMaxAgeDays] = useState(String(settings.maxAgeDays));
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const records = parseLimit(maxRecords, 'records');
  const days = parseLimit(maxAgeDays, 'days');
  const [rMin, rMax] = limitRange('records');
  const [dMin, dMax] = limitRange('days');

  const save = async (e: Event) => {
    e.preventDefault();
    if (records === null || days === null) {
      setNote({ ok: false, text: i18n.t('research.settings.invalid') });
      return;
    }
    await onSave({ urlMode, maxRecords: records, maxAgeDays: days });
    setNote({ ok: true, text: i18n.t('research.settings.saved') });
  };

  return (
    <section class="rl__section" aria-labelledby="rl-settings">
      <h2 id="rl-settings">{i18n.t('research.settings.heading')}</h2>
      <form class="rl__settings" onSubmit={save}>
        <fieldset class="rl__radios">
          <legend>{i18n.t('research.settings.urlMode')}</legend>
          {(['path', 'full'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="url-mode" value={m} checked={urlMode === m} onChange={() => setUrlMode(m)} />
              {m === 'path' ? i18n.t('research.settings.urlPath') : i18n.t('research.settings.urlFull')}
            </label>
          ))}
        </fieldset>
        <label>
          {i18n.t('research.settings.maxRecords', [String(rMin), String(rMax)])}
          <input
            type="number"
            name="max-records"
            inputMode="numeric"
            min={rMin}
            max={rMax}
            step={1}
            value={maxRecords}
            aria-invalid={records === null}
            onInput={(e) => setMaxRecords(e.currentTarget.value)}
          />
        </label>
        <label>
          {i18n.t('research.settings.maxAgeDays', [String(dMin), String(dMax)])}
          <input
            type="number"
            name="max-age-days"
            inputMode="numeric"
            min={dMin}
            max={dMax}
            step={1}
            value={maxAgeDays}
            aria-invalid={days === null}
            onInput={(e) => setMaxAgeDays(e.currentTarget.value)}
          />
        </label>
        <p class="ln-muted">{i18n.t('research.settings.retentionNote')}</p>
        <button type="submit" class="rl__button">
          {i18n.t('research.settings.save')}
        </button>
        {note ? (
          <p role={note.ok ? 'status' : 'alert'} class={note.ok ? 'rl__note' : 'rl__alert'}>
            {note.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}
