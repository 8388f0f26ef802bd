/**
 * The seller report page (entrypoints/report/App.tsx) with the fake browser: what it shows for a
 * storefront with findings, a clean page and another site, in both languages; evidence rendered as
 * text; the JSON download; printing; and the screenshot, taken or refused.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '@/entrypoints/report/App';
import { shrinkScreenshot } from '@/entrypoints/report/screenshot';
import type { TabReport } from '@/rules/schema';
import { AuditReport } from '@/lib/audit-document';
import { formatDate, formatDateTime } from '@/lib/format';
import { loadBundledPacks } from '@/utils/bundled-rules';
import { message, useLocale, type TestLocale } from '../helpers/fake-i18n';
import { detection, tabReport, testLookup } from '../helpers/popup-data';

vi.mock('@/utils/catalogues', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/utils/catalogues')>();
  const data = await import('../helpers/popup-data');
  return {
    ...actual,
    regulationById: (id: string) => data.testLookup(id),
    getRegulations: () => data.testRegulations,
    getMarketplaces: () => data.testMarketplaces,
  };
});

// happy-dom has no canvas to scale a picture with; the scaling itself runs in the e2e test.
vi.mock('@/entrypoints/report/screenshot', () => ({ shrinkScreenshot: vi.fn() }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

let locale: TestLocale = 'id';
const t = (key: string, options?: { count?: number; subs?: string[] }) => message(locale, key, options);

const storefront: TabReport = tabReport({
  tabId: 7,
  url: 'https://www.tiktok.com/@tokobatik',
  updatedAt: Date.UTC(2026, 10, 23, 3, 0),
  detections: [
    detection('shop-tab', {
      ruleId: 'tiktok.shop-tab',
      count: 2,
      evidence: 'Shop',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
    }),
    detection('buy-button', {
      ruleId: 'tiktok.buy-button',
      count: 6,
      evidence: '<img src=x onerror="window.pwned=1"> Beli sekarang',
      regulationIds: ['permendag-31-2023-pasal-21-3', 'test-unverified-claim'],
    }),
    detection('cross-border-offer', {
      ruleId: 'tiktok.cross-border',
      evidence: 'Dikirim dari luar negeri',
      regulationIds: ['permendag-31-2023-pasal-19-2'],
    }),
    detection('marketplace-link', {
      ruleId: 'tiktok.marketplace-link',
      evidence: 'tokopedia.com/tokobatik',
      regulationIds: [],
    }),
  ],
});

/** The background: `detections:get` answers `report`; `screenshot:capture` answers `shot`. */
function background(
  report: TabReport,
  shot: unknown = { ok: false, error: "Either the '<all_urls>' or 'activeTab' permission is required." },
) {
  return vi
    .spyOn(fakeBrowser.runtime, 'sendMessage')
    .mockImplementation((async (m: { type: string }) =>
      m.type === 'detections:get' ? report : m.type === 'screenshot:capture' ? shot : undefined) as never);
}

beforeEach(() => {
  fakeBrowser.reset();
  setLocale('id');
  vi.spyOn(fakeBrowser.tabs, 'get').mockResolvedValue({ id: 7, url: 'https://www.tiktok.com/@tokobatik' } as never);
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
    manifest_version: 3,
    name: 'Lensa Niaga',
    version: '0.1.0',
  });
});

function setLocale(l: TestLocale) {
  locale = l;
  useLocale(l);
}

function renderReport(search = '?tabId=7') {
  return render(<App locale={locale} search={search} />);
}

async function ready() {
  await screen.findByRole('heading', { level: 1, name: t('report.title') });
}

/** Click "Download JSON" and read what was saved. */
async function downloadJson(): Promise<{ doc: unknown; name: string }> {
  const blobs: Blob[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:report'));
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  let name = '';
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    name = this.download;
  });
  fireEvent.click(screen.getByRole('button', { name: t('report.actions.json') }));
  expect(blobs).toHaveLength(1);
  expect(blobs[0].type).toBe('application/json');
  return { doc: JSON.parse(await blobs[0].text()), name };
}

describe('a storefront with findings', () => {
  beforeEach(() => void background(storefront));

  it('heads the report with the page, platform, times and versions', async () => {
    const { container } = renderReport();
    await ready();
    const field = (name: string) => container.querySelector(`[data-field="${name}"]`)!.textContent;
    expect(field('url')).toBe('https://www.tiktok.com/@tokobatik');
    expect(field('platform')).toBe('TikTok');
    expect(field('extension')).toContain('0.1.0');
    for (const pack of loadBundledPacks()) expect(field('rule-packs')).toContain(`${pack.name} ${pack.version}`);
    expect(field('catalogues')).toBe(t('report.meta.cataloguesValue', { subs: ['test', 'test'] }));
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(field('observed')).toBe(formatDateTime('2026-11-23T03:00:00.000Z', 'id', zone));
    expect(container.querySelector('.report__header')!.textContent).toContain('https://www.tiktok.com/@tokobatik');
    await waitFor(() => expect(document.title).toBe(t('report.docTitle', { subs: ['www.tiktok.com'] })));
  });

  it('summarises per category and says how many findings need attention', async () => {
    const { container } = renderReport();
    await ready();
    const rows = [...container.querySelectorAll('.report-summary tbody tr')].map((r) => [
      r.getAttribute('data-category'),
      ...[...r.querySelectorAll('td')].map((td) => td.textContent),
    ]);
    expect(rows).toEqual([
      ['transaction', '1', '6'],
      ['offer', '2', '3'],
      ['link-out', '1', '1'],
    ]);
    expect(container.querySelector('.report__verdict')!.textContent).toBe(
      t('report.summary.needsAction', { count: 2 }),
    );
  });

  it('tables the findings by category: feature, rule, count, page text, regulation, status, last verified', async () => {
    const { container } = renderReport();
    await ready();
    const groups = [...container.querySelectorAll('.report-group')].map((g) => g.getAttribute('data-category'));
    expect(groups).toEqual(['transaction', 'offer', 'link-out']);
    const buy = container.querySelector('[data-rule-id="tiktok.buy-button"]') as HTMLElement;
    const cells = buy.querySelectorAll('tr:first-child td');
    expect(cells[0].textContent).toContain(t('feature.buy_button'));
    expect(cells[0].textContent).toContain(t('popup.summary.concern'));
    expect(cells[1].textContent).toContain('tiktok.buy-button');
    expect(cells[2].textContent).toBe('6');
    expect(cells[4].textContent).toContain(testLookup('permendag-31-2023-pasal-21-3')!.citation);
    expect(cells[5].textContent).toBe(t('popup.citation.inForce'));
    expect(cells[6].textContent).toBe(formatDate('2026-11-23', 'id'));
    // The second regulation gets its own row, with its own status.
    const second = buy.querySelectorAll('tr')[1];
    expect(second.textContent).toContain(testLookup('test-unverified-claim')!.citation);
    expect(second.textContent).toContain(t('popup.citation.unconfirmed'));
    // Every column is labelled for the narrow (card) layout.
    expect([...cells].map((c) => c.getAttribute('data-label'))).toEqual(
      ['feature', 'rule', 'count', 'evidence', 'regulation', 'status', 'verified'].map((c) =>
        t(`report.findings.${c}`),
      ),
    );
  });

  it('renders page text as text, never as markup', async () => {
    const { container } = renderReport();
    await ready();
    const evidence = container.querySelector('[data-rule-id="tiktok.buy-button"] .report-finding__evidence')!;
    expect(evidence.textContent).toBe('<img src=x onerror="window.pwned=1"> Beli sekarang');
    expect(evidence.querySelector('img')).toBeNull();
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('says what a seller can do instead, under transaction and cross-border findings only', async () => {
    const { container } = renderReport();
    await ready();
    const advice = [...container.querySelectorAll('.report-advice')].map((a) => [
      a.closest('[data-rule-id]')!.getAttribute('data-rule-id'),
      a.getAttribute('data-advice'),
    ]);
    expect(advice).toEqual([
      ['tiktok.buy-button', 'transaction'],
      ['tiktok.cross-border', 'cross-border-offer'],
    ]);
    const steps = container.querySelector('[data-rule-id="tiktok.buy-button"] .report-advice')!.textContent;
    expect(steps).toContain(t('report.advice.marketplace'));
    expect(steps).toContain(t('report.advice.promotion'));
    expect(container.querySelector('[data-rule-id="tiktok.cross-border"] .report-advice')!.textContent).toContain(
      t('report.advice.priceFloor'),
    );
    const markets = screen.getByRole('heading', { name: t('report.advice.marketplaces') }).closest('section')!;
    expect(
      within(markets)
        .getByRole('link', { name: t('popup.buy.open', { subs: ['Tokopedia'] }) })
        .getAttribute('href'),
    ).toBe('https://tokopedia.com/');
  });

  it('spells the steps out once per kind and refers to them under later findings of that kind', async () => {
    background({
      ...storefront,
      detections: [
        ...storefront.detections,
        detection('cart', {
          ruleId: 'tiktok.cart',
          evidence: '+ Keranjang',
          regulationIds: ['permendag-31-2023-pasal-21-3'],
        }),
      ],
    });
    const { container } = renderReport();
    await ready();
    const advice = (id: string) => container.querySelector(`[data-rule-id="${id}"] .report-advice`)!;
    // Feature order puts the cart before the buy button.
    expect(advice('tiktok.cart').querySelectorAll('li')).toHaveLength(4);
    expect(advice('tiktok.buy-button').querySelectorAll('li')).toHaveLength(0);
    expect(advice('tiktok.buy-button').textContent).toBe(
      t('report.advice.same', { subs: [`${t('feature.cart')} (tiktok.cart)`] }),
    );
    expect(advice('tiktok.cross-border').querySelectorAll('li')).toHaveLength(4);
    const { doc } = await downloadJson();
    // The JSON keeps the steps on every finding.
    expect(AuditReport.parse(doc).findings.filter((f) => f.advice?.steps.length === 4)).toHaveLength(3);
  });

  it('cites every regulation in full after the table, with its caveat', async () => {
    const { container } = renderReport();
    await ready();
    const cited = screen.getByRole('heading', { name: t('report.regulations.heading') }).closest('section')!;
    const ids = [...cited.querySelectorAll('[data-regulation-id]')].map((e) => e.getAttribute('data-regulation-id'));
    expect(ids).toEqual([
      'permendag-31-2023-pasal-21-3',
      'permendag-19-2026',
      'test-unverified-claim',
      'permendag-31-2023-pasal-1-17',
      'permendag-31-2023-pasal-19-2',
    ]);
    expect(cited.textContent).toContain(testLookup('permendag-31-2023-pasal-21-3')!.quote);
    const caveat = container.querySelector('[data-rule-id="tiktok.buy-button"] .report-reg__caveat')!;
    expect(caveat.textContent).toContain('Permendag No. 19 Tahun 2026');
  });

  it('downloads the same content as JSON (lensa-niaga.audit v1)', async () => {
    const { container } = renderReport();
    await ready();
    const { doc, name } = await downloadJson();
    const parsed = AuditReport.parse(doc);
    expect(parsed).toMatchObject({ schema: 'lensa-niaga.audit', version: 1, language: 'id', screenshot: null });
    expect(name).toMatch(/^lensa-niaga-audit-tiktok-www\.tiktok\.com-\d{8}-\d{4}\.json$/);
    const shown = [...container.querySelectorAll('[data-rule-id]')].map((e) => e.getAttribute('data-rule-id'));
    expect(parsed.findings.map((f) => f.ruleId)).toEqual(shown);
    const buy = parsed.findings.find((f) => f.ruleId === 'tiktok.buy-button')!;
    expect(buy).toMatchObject({
      featureLabel: t('feature.buy_button'),
      count: 6,
      evidence: storefront.detections[1].evidence,
    });
    expect(buy.advice?.steps.map((s) => s.text)).toContain(t('report.advice.link'));
  });

  it('prints from the print button', async () => {
    renderReport();
    await ready();
    // happy-dom has no print dialog.
    const print = vi.fn();
    vi.stubGlobal('print', print);
    fireEvent.click(screen.getByRole('button', { name: t('report.actions.print') }));
    expect(print).toHaveBeenCalledOnce();
  });

  it('in English', async () => {
    setLocale('en');
    const { container } = render(<App locale="en" search="?tabId=7" />);
    await screen.findByRole('heading', { level: 1, name: 'Seller audit' });
    expect(screen.getByRole('button', { name: 'Print / Save as PDF' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download JSON' })).toBeTruthy();
    expect(container.querySelector('[data-rule-id="tiktok.buy-button"]')!.textContent).toContain('Buy button');
    expect(container.querySelector('[data-rule-id="tiktok.buy-button"] .report-reg__title')!.textContent).toBe(
      testLookup('permendag-31-2023-pasal-21-3')!.title.en,
    );
  });
});

describe('screenshot', () => {
  it('asks the background only when the user allows it; a refusal is explained and leaves the report without one', async () => {
    const send = background(storefront);
    const { container } = renderReport();
    await ready();
    expect(send.mock.calls.map(([m]) => (m as unknown as { type: string }).type)).not.toContain('screenshot:capture');
    const box = screen.getByRole('checkbox', { name: t('report.screenshot.allow') }) as HTMLInputElement;
    fireEvent.click(box);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(t('report.screenshot.refused'));
    expect(alert.textContent).toContain('activeTab');
    expect(send).toHaveBeenCalledWith({ type: 'screenshot:capture', tabId: 7 });
    expect(box.checked).toBe(false);
    expect(container.querySelector('.report__shot')).toBeNull();
    expect(vi.mocked(shrinkScreenshot)).not.toHaveBeenCalled();
  });

  it('a captured picture is scaled, shown and saved with the report', async () => {
    const raw = 'data:image/jpeg;base64,/9j/RAW';
    const small = {
      mediaType: 'image/jpeg' as const,
      width: 640,
      height: 450,
      capturedAt: '2026-11-23T03:15:00.000Z',
      dataUrl: 'data:image/jpeg;base64,/9j/SMALL',
    };
    vi.mocked(shrinkScreenshot).mockResolvedValue(small);
    background(storefront, { ok: true, dataUrl: raw });
    const { container } = renderReport();
    await ready();
    fireEvent.click(screen.getByRole('checkbox', { name: t('report.screenshot.allow') }));
    await waitFor(() => expect(container.querySelector('.report__shot img')).not.toBeNull());
    expect(vi.mocked(shrinkScreenshot)).toHaveBeenCalledWith(raw, expect.any(Number));
    expect(container.querySelector('.report__shot img')!.getAttribute('src')).toBe(small.dataUrl);
    const { doc } = await downloadJson();
    expect(AuditReport.parse(doc).screenshot).toEqual(small);
    // Unticking removes it again.
    fireEvent.click(screen.getByRole('checkbox', { name: t('report.screenshot.allow') }));
    await waitFor(() => expect(container.querySelector('.report__shot')).toBeNull());
  });
});

describe('other states', () => {
  it('a clean page: no findings, no advice, zero counts', async () => {
    background(tabReport({ url: 'https://www.tiktok.com/@resep', updatedAt: 1 }));
    const { container } = renderReport();
    await ready();
    expect(screen.getByText(t('report.findings.none'))).toBeTruthy();
    expect(container.querySelectorAll('[data-rule-id]')).toHaveLength(0);
    expect(container.querySelector('.report-advice')).toBeNull();
    expect(screen.queryByRole('heading', { name: t('report.advice.marketplaces') })).toBeNull();
    expect(container.querySelector('.report-summary tfoot')!.textContent).toContain('00');
    const { doc } = await downloadJson();
    expect(AuditReport.parse(doc)).toMatchObject({ findings: [], page: { state: 'clean' } });
  });

  it('another site: says nothing was checked', async () => {
    background(tabReport({ url: 'https://example.org/', platform: null }));
    renderReport();
    await ready();
    expect(screen.getByText(t('report.findings.otherSite', { subs: ['example.org'] }))).toBeTruthy();
    expect(screen.getByText(t('report.meta.noPlatform'))).toBeTruthy();
  });

  it('without a tab id: explains how to open the report, asks nothing', async () => {
    const send = background(storefront);
    renderReport('');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(t('report.error.noTab'));
    expect(send).not.toHaveBeenCalled();
  });

  it('a failure from the background is shown, and retry asks again', async () => {
    background({ ok: false, error: 'tab store unavailable' } as unknown as TabReport);
    renderReport();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('tab store unavailable');
    background(storefront);
    fireEvent.click(screen.getByRole('button', { name: t('report.error.retry') }));
    await ready();
  });
});
