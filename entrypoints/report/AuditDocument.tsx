/**
 * The seller audit as a page: renders one `AuditReport` (lib/audit-document.ts), the same object
 * "Download JSON" saves, so the paper and the file say the same thing.
 *
 * Order: what the page is and when it was checked, a summary per category, the findings table per
 * category (with what a seller can do instead under each transaction or cross-border finding), the
 * registered marketplaces, the screenshot, the platform's background, and every regulation cited
 * in full. Evidence and URLs from the page are rendered as text only.
 */
import type { ComponentChildren } from 'preact';
import { i18n } from '#i18n';
import { CategoryBadge, SeverityTag } from '@/components/CategoryBadge';
import { MarketplaceList } from '@/components/MarketplaceList';
import { RegulationCitation, StatusLabel } from '@/components/RegulationCitation';
import { CATEGORY_IDS, type Regulation } from '@/rules/schema';
import type { AuditFinding, AuditRegulationRef, AuditReport } from '@/lib/audit-document';
import { formatDate, formatDateTime } from '@/lib/format';
import { resolveRegulation } from '@/lib/findings';
import type { UiLocale } from '@/utils/ui-language';

export interface AuditDocumentProps {
  doc: AuditReport;
  locale: UiLocale;
  /** Controls (print, download, screenshot) shown under the title; left out of print. */
  actions?: ComponentChildren;
}

const COLUMNS = ['feature', 'rule', 'count', 'evidence', 'regulation', 'status', 'verified'] as const;
const columnLabel = (c: (typeof COLUMNS)[number]) => i18n.t(`report.findings.${c}`);

export function AuditDocument({ doc, locale, actions }: AuditDocumentProps) {
  const byId = new Map(doc.regulations.map((r) => [r.id, r]));
  const generated = formatDateTime(doc.generatedAt, doc.language, doc.timeZone);
  const resolved = (id: string) => resolveRegulation(id, (x) => byId.get(x));
  const contextIds = new Set(doc.context.map((c) => c.id));

  return (
    // A layout table: Chromium repeats a real <thead> at the top of every printed page (a CSS
    // table made of divs is not repeated), so the header is on each page of the PDF. On screen
    // its parts are plain blocks (style.css).
    <table class="report" role="presentation" data-state={doc.page.state}>
      <thead>
        <tr>
          <td>
            <header class="report__header">
              <p class="report__brand">{i18n.t('report.header')}</p>
              <p class="report__running">
                <span class="report__url">{doc.page.url || doc.page.host}</span>
                <span class="report__running-sep" aria-hidden="true">
                  {' · '}
                </span>
                <span>{generated}</span>
              </p>
            </header>
          </td>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>
            <main class="report__body">
              <h1 class="report__title">{i18n.t('report.title')}</h1>
              <p class="report__intro">{i18n.t('report.intro')}</p>
              {actions}
              <Meta doc={doc} generated={generated} />

              <section class="report__section" aria-labelledby="report-summary">
                <h2 id="report-summary">{i18n.t('report.summary.heading')}</h2>
                <Summary doc={doc} />
              </section>

              <section class="report__section" aria-labelledby="report-findings">
                <h2 id="report-findings">{i18n.t('report.findings.heading')}</h2>
                <Findings doc={doc} locale={locale} />
              </section>

              {doc.summary.needsAction > 0 && doc.marketplaces ? (
                <section class="report__section" aria-labelledby="report-markets">
                  <h2 id="report-markets">{i18n.t('report.advice.marketplaces')}</h2>
                  <MarketplaceList
                    marketplaces={doc.marketplaces.items}
                    registryUrl={doc.marketplaces.registryUrl}
                    query={null}
                    locale={locale}
                  />
                </section>
              ) : null}

              {doc.screenshot ? (
                <section class="report__section report__shot" aria-labelledby="report-shot">
                  <h2 id="report-shot">{i18n.t('report.screenshot.heading')}</h2>
                  <figure>
                    <img
                      src={doc.screenshot.dataUrl}
                      width={doc.screenshot.width}
                      height={doc.screenshot.height}
                      alt={i18n.t('report.screenshot.alt', [doc.page.host || doc.page.url])}
                    />
                    <figcaption class="ln-muted">
                      {i18n.t('report.screenshot.caption', [
                        formatDateTime(doc.screenshot.capturedAt, doc.language, doc.timeZone),
                      ])}
                    </figcaption>
                  </figure>
                </section>
              ) : null}

              {doc.context.length > 0 ? (
                <section class="report__section" aria-labelledby="report-context">
                  <h2 id="report-context">{i18n.t('report.context.heading')}</h2>
                  {doc.context.map((c) => (
                    <RegulationCitation key={c.id} item={resolved(c.id)} locale={locale} level={3} />
                  ))}
                </section>
              ) : null}

              {doc.regulations.some((r) => !contextIds.has(r.id)) ? (
                <section class="report__section report__cited" aria-labelledby="report-cited">
                  <h2 id="report-cited">{i18n.t('report.regulations.heading')}</h2>
                  <p class="ln-muted">{i18n.t('report.regulations.intro')}</p>
                  {doc.regulations
                    .filter((r) => !contextIds.has(r.id))
                    .map((r) => (
                      <RegulationCitation key={r.id} item={resolved(r.id)} locale={locale} level={3} />
                    ))}
                </section>
              ) : null}

              <p class="report__notice">{doc.notice}</p>
              <p class="report__footer ln-muted">
                {doc.extension.name} {doc.extension.version} · {doc.schema} v{doc.version}
              </p>
            </main>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function Meta({ doc, generated }: { doc: AuditReport; generated: string }) {
  const unknown = i18n.t('report.meta.unknownVersion');
  return (
    <section class="report__meta" aria-labelledby="report-meta">
      <h2 id="report-meta" class="report__visually-hidden">
        {i18n.t('report.meta.heading')}
      </h2>
      <dl>
        <div>
          <dt>{i18n.t('report.meta.page')}</dt>
          <dd class="report__url" data-field="url">
            {doc.page.url || '—'}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.platform')}</dt>
          <dd data-field="platform">{doc.page.platformName ?? i18n.t('report.meta.noPlatform')}</dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.generated')}</dt>
          <dd data-field="generated">
            <time dateTime={doc.generatedAt}>{generated}</time>
          </dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.observed')}</dt>
          <dd data-field="observed">
            {doc.page.observedAt ? (
              <time dateTime={doc.page.observedAt}>
                {formatDateTime(doc.page.observedAt, doc.language, doc.timeZone)}
              </time>
            ) : (
              i18n.t('report.meta.notObserved')
            )}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.extension')}</dt>
          <dd data-field="extension">
            {doc.extension.name} {doc.extension.version}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.rulePacks')}</dt>
          <dd data-field="rule-packs">
            {doc.rulePacks.length === 0 ? (
              i18n.t('report.meta.noPacks')
            ) : (
              <ul class="report__packs">
                {doc.rulePacks.map((p) => (
                  <li key={`${p.source}:${p.name}`}>
                    <code>{p.name}</code> {p.version}
                    {p.source === 'user' ? <span class="ln-muted"> ({i18n.t('report.meta.imported')})</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{i18n.t('report.meta.catalogues')}</dt>
          <dd data-field="catalogues">
            {i18n.t('report.meta.cataloguesValue', [
              doc.catalogues.regulations ?? unknown,
              doc.catalogues.marketplaces ?? unknown,
            ])}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function Summary({ doc }: { doc: AuditReport }) {
  return (
    <>
      <table class="report-summary">
        <thead>
          <tr>
            <th scope="col">{i18n.t('report.summary.category')}</th>
            <th scope="col" class="report__num">
              {i18n.t('report.summary.findings')}
            </th>
            <th scope="col" class="report__num">
              {i18n.t('report.summary.elements')}
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.summary.categories.map((c) => (
            <tr key={c.category} data-category={c.category} class={c.findings === 0 ? 'report-summary__empty' : ''}>
              <th scope="row">
                <CategoryBadge category={c.category} />
              </th>
              <td class="report__num">{c.findings}</td>
              <td class="report__num">{c.elements}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{i18n.t('report.summary.total')}</th>
            <td class="report__num">{doc.summary.findings}</td>
            <td class="report__num">{doc.summary.elements}</td>
          </tr>
        </tfoot>
      </table>
      {doc.page.state === 'found' ? (
        <p
          class={`report__verdict${doc.summary.needsAction > 0 ? ' report__verdict--action' : ''}`}
          data-needs-action={doc.summary.needsAction}
        >
          {i18n.t('report.summary.needsAction', doc.summary.needsAction)}
        </p>
      ) : null}
    </>
  );
}

function Findings({ doc, locale }: { doc: AuditReport; locale: UiLocale }) {
  if (doc.page.state === 'other-site') {
    return <p class="report__empty">{i18n.t('report.findings.otherSite', [doc.page.host || doc.page.url || '—'])}</p>;
  }
  if (doc.findings.length === 0) return <p class="report__empty">{i18n.t('report.findings.none')}</p>;
  const citations = new Map(doc.regulations.map((r) => [r.id, r]));
  // The steps are the same for every finding of a kind: spelled out under the first one, referred
  // to under the others (the JSON keeps them on each finding).
  const firstOfKind = new Map<string, AuditFinding>();
  for (const f of doc.findings) if (f.advice && !firstOfKind.has(f.advice.kind)) firstOfKind.set(f.advice.kind, f);
  return (
    <>
      {CATEGORY_IDS.map((category) => {
        const items = doc.findings.filter((f) => f.category === category);
        if (items.length === 0) return null;
        const explanations = [...new Map(items.map((f) => [f.explanation, f])).values()];
        return (
          <div key={category} class="report-group" data-category={category}>
            <h3 class="report-group__title">
              <CategoryBadge category={category} />
            </h3>
            {explanations.map((f) => (
              <p key={f.ruleId} class="ln-explain">
                {f.explanation}
              </p>
            ))}
            <table class="report-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th key={c} scope="col" class={c === 'count' ? 'report__num' : undefined}>
                      {columnLabel(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              {items.map((f) => (
                <FindingRows
                  key={f.ruleId}
                  finding={f}
                  adviceShownAt={f.advice ? firstOfKind.get(f.advice.kind) : undefined}
                  citations={citations}
                  locale={locale}
                />
              ))}
            </table>
          </div>
        );
      })}
    </>
  );
}

function FindingRows({
  finding: f,
  adviceShownAt,
  citations,
  locale,
}: {
  finding: AuditFinding;
  /** The finding under which this finding's advice is spelled out (itself, or an earlier one). */
  adviceShownAt: AuditFinding | undefined;
  citations: ReadonlyMap<string, Regulation>;
  locale: UiLocale;
}) {
  const [first, ...rest] = f.regulations;
  const span = Math.max(1, f.regulations.length);
  return (
    <tbody class={`report-finding report-finding--${f.category}`} data-rule-id={f.ruleId}>
      <tr>
        <td rowSpan={span} data-label={columnLabel('feature')}>
          <span class="report-finding__feature">{f.featureLabel}</span>
          {f.severity !== 'info' ? (
            <>
              {' '}
              <SeverityTag severity={f.severity} />
            </>
          ) : null}
        </td>
        <td rowSpan={span} data-label={columnLabel('rule')}>
          <code class="report-finding__rule">{f.ruleId}</code>
          {f.rulePack ? (
            <span class="report-finding__pack ln-muted">{i18n.t('report.findings.pack', [f.rulePack])}</span>
          ) : null}
        </td>
        <td rowSpan={span} data-label={columnLabel('count')} class="report__num">
          {f.count}
        </td>
        <td rowSpan={span} data-label={columnLabel('evidence')} class="report-finding__evidence">
          {f.evidence ? <q>{f.evidence}</q> : '—'}
        </td>
        <RegulationCells item={first} citations={citations} locale={locale} />
      </tr>
      {rest.map((r) => (
        <tr key={r.id} class="report-finding__more">
          <RegulationCells item={r} citations={citations} locale={locale} />
        </tr>
      ))}
      {f.advice ? (
        <tr class="report-advice" data-advice={f.advice.kind}>
          <td colSpan={COLUMNS.length}>
            {adviceShownAt && adviceShownAt !== f ? (
              <p class="report-advice__title report-advice__same">
                {i18n.t('report.advice.same', [`${adviceShownAt.featureLabel} (${adviceShownAt.ruleId})`])}
              </p>
            ) : (
              <>
                <p class="report-advice__title">
                  {i18n.t('report.advice.heading')} <span class="ln-muted">({f.featureLabel})</span>
                </p>
                <ol class="report-advice__steps">
                  {f.advice.steps.map((s) => (
                    <li key={s.id} data-step={s.id}>
                      {s.text}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

function RegulationCells({
  item,
  citations,
  locale,
}: {
  item: AuditRegulationRef | undefined;
  citations: ReadonlyMap<string, Regulation>;
  locale: UiLocale;
}) {
  const labels = {
    regulation: columnLabel('regulation'),
    status: columnLabel('status'),
    verified: columnLabel('verified'),
  };
  if (!item) {
    return (
      <>
        <td data-label={labels.regulation} class="report-reg">
          {i18n.t('report.findings.noRegulation')}
        </td>
        <td data-label={labels.status}>—</td>
        <td data-label={labels.verified}>—</td>
      </>
    );
  }
  return (
    <>
      <td data-label={labels.regulation} class="report-reg" data-regulation-id={item.id}>
        {item.known ? (
          <>
            <cite class="report-reg__citation">{item.citation}</cite>
            <span class="report-reg__title">{item.title}</span>
          </>
        ) : (
          <span>{i18n.t('report.findings.unknown', [item.id])}</span>
        )}
        {item.caveatIds.map((id) => {
          const caveat = citations.get(id);
          return (
            <span key={id} class="report-reg__caveat">
              {i18n.t('report.findings.caveat', [caveat ? caveat.citation : id])}{' '}
              {caveat ? <StatusLabel status={caveat.status} /> : null}
            </span>
          );
        })}
      </td>
      <td data-label={labels.status}>{item.status ? <StatusLabel status={item.status} /> : '—'}</td>
      <td data-label={labels.verified}>
        {item.lastVerified ? <time dateTime={item.lastVerified}>{formatDate(item.lastVerified, locale)}</time> : '—'}
      </td>
    </>
  );
}
