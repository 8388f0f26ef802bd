/**
 * Component tests of the popup (entrypoints/popup/App.tsx) with the fake browser: every state,
 * the explanations, hedges and links, both languages, and the controls. Strings are asserted as
 * they stand in locales/*.yml, read through the same conversion the build uses.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TabReport } from '@/rules/schema';
import { getSettings, setHostDisabled } from '@/utils/settings-store';
import { formatDate, formatList } from '@/lib/format';
import { uiLocale } from '@/utils/ui-language';
import { platformNames } from '@/lib/platform-names';
import { App } from '@/entrypoints/popup/App';
import { message, useLocale, type TestLocale } from '../helpers/fake-i18n';
import { detection, tabReport, testLookup, testMarketplaces } from '../helpers/popup-data';

vi.mock('@/utils/catalogues', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/utils/catalogues')>();
  const data = await import('../helpers/popup-data');
  return {
    ...actual,
    regulationById: (id: string) => data.testLookup(id),
    getMarketplaces: () => data.testMarketplaces,
    findingCatalogues: () => data.testCatalogues,
  };
});

vi.mock('@/utils/settings-store', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/utils/settings-store')>();
  return { ...actual, setHostDisabled: vi.fn(actual.setHostDisabled) };
});

afterEach(cleanup);

let locale: TestLocale = 'id';
const t = (key: string, options?: { count?: number; subs?: string[] }) => message(locale, key, options);

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(setHostDisabled).mockClear();
  setLocale('id');
  vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([
    { id: 7, url: 'https://www.tiktok.com/@toko/video/1' },
  ] as never);
});

function setLocale(l: TestLocale) {
  locale = l;
  useLocale(l);
}

/** The background answers `answer` to detections:get. */
function background(answer: unknown | (() => Promise<unknown>)) {
  return vi
    .spyOn(fakeBrowser.runtime, 'sendMessage')
    .mockImplementation((async () =>
      typeof answer === 'function' ? (answer as () => Promise<unknown>)() : answer) as never);
}

function renderPopup(search = '') {
  return render(<App locale={uiLocale()} search={search} />);
}

async function ready() {
  await screen.findByRole('heading', { name: t('popup.controls.heading') });
}

function container(): HTMLElement {
  return document.body;
}

/** The verdict, once the popup has one, checked to be of `kind`. */
async function verdictOf(kind: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.querySelector('[data-verdict]');
    expect(el?.getAttribute('data-verdict')).toBe(kind);
    return el as HTMLElement;
  });
}

const tiktokCheckout: TabReport = tabReport({
  url: 'https://www.tiktok.com/@toko/video/1',
  detections: [
    detection('checkout', {
      ruleId: 'tiktok.checkout',
      regulationIds: ['permendag-31-2023-pasal-21-3', 'event-tiktok-tokopedia-2023'],
      count: 2,
      evidence: 'Checkout',
    }),
    detection('shop-tab', { ruleId: 'tiktok.shop-tab', regulationIds: ['permendag-31-2023-pasal-1-17'] }),
    detection('product-tag', {
      ruleId: 'tiktok.product-tag',
      regulationIds: ['permendag-31-2023-pasal-1-17'],
      evidence: 'Shop | Batik Tulis Pekalongan',
      product: 'Batik Tulis Pekalongan',
    }),
  ],
});

describe('states', () => {
  it('loading: says it is checking while the background has not answered', async () => {
    background(() => new Promise(() => {}));
    renderPopup();
    expect(await screen.findByRole('status')).toHaveProperty('textContent', t('popup.loading'));
  });

  it('error: the background answers a failure', async () => {
    background({ ok: false, error: 'tab store unavailable' });
    renderPopup();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(t('popup.error.title'));
    expect(alert.textContent).toContain(t('popup.error.detail', { subs: ['tab store unavailable'] }));
    expect(container().querySelector('[data-verdict]')).toBeNull();
  });

  it('error: the answer is not a TabReport', async () => {
    background({
      tabId: 7,
      url: 'https://www.tiktok.com/',
      platform: 'tiktok',
      detections: [{ ruleId: 1 }],
      updatedAt: 0,
    });
    renderPopup();
    expect((await screen.findByRole('alert')).textContent).toContain(t('popup.error.title'));
  });

  it('error → retry: asks again and shows the answer', async () => {
    const send = background({ ok: false, error: 'not ready' });
    renderPopup();
    await screen.findByRole('alert');
    send.mockImplementation((async () => tabReport()) as never);
    fireEvent.click(screen.getByRole('button', { name: t('popup.error.retry') }));
    expect(await screen.findByText(t('popup.verdict.clean', { subs: ['TikTok'] }))).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('cold start: retries until the background listens', async () => {
    let calls = 0;
    background(async () => {
      if (++calls < 3) throw new Error('Could not establish connection. Receiving end does not exist.');
      return tabReport();
    });
    renderPopup();
    expect(await screen.findByText(t('popup.verdict.clean', { subs: ['TikTok'] }))).toBeTruthy();
    expect(calls).toBe(3);
  });

  it('a page on another site says it is not covered, lists the platforms, and offers no switch or audit', async () => {
    background(tabReport({ platform: null, url: 'https://example.org/' }));
    renderPopup();
    const verdict = await verdictOf('other-site');
    expect(verdict.textContent).toContain(t('popup.verdict.otherSite', { subs: ['example.org'] }));
    const list = formatList(platformNames(), 'id');
    expect(verdict.textContent).toContain(t('popup.verdict.otherSiteHint', { subs: [list] }));
    for (const name of ['TikTok', 'YouTube', 'Facebook', 'Instagram', 'WhatsApp', 'Pinterest', 'X']) {
      expect(verdict.textContent).toContain(name);
    }
    await ready();
    expect(screen.queryByRole('button', { name: t('popup.controls.report') })).toBeNull();
    expect(screen.queryByRole('button', { name: /example\.org/ })).toBeNull();
  });

  it('an extension page says there is nothing to check, with no switch naming its id', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([
      { id: 7, url: 'chrome-extension://abcdefghijklmnop/research.html' },
    ] as never);
    background(tabReport({ platform: null, url: '' }));
    renderPopup();
    const verdict = await verdictOf('extension-page');
    expect(verdict.textContent).toContain(t('popup.verdict.extensionPage'));
    await ready();
    expect(container().textContent).not.toContain('abcdefghijklmnop');
    expect(screen.queryByRole('button', { name: t('popup.controls.report') })).toBeNull();
  });

  it('a clean platform page says nothing was found yet and to scroll, with no rows', async () => {
    background(tabReport({ platform: 'youtube', url: 'https://www.youtube.com/watch?v=abc' }));
    renderPopup();
    const verdict = await verdictOf('clean');
    expect(verdict.textContent).toContain(t('popup.verdict.clean', { subs: ['YouTube'] }));
    expect(verdict.textContent).toContain(t('popup.verdict.cleanHint'));
    expect(screen.getByText(t('popup.summary.platform', { subs: ['YouTube'] }))).toBeTruthy();
    expect(container().querySelector('[data-feature]')).toBeNull();
    expect(screen.getByRole('button', { name: t('popup.controls.report') })).toBeTruthy();
  });
});

describe('a TikTok page with a checkout', () => {
  beforeEach(() => void background(tiktokCheckout));

  it('opens with the verdict: how many in-app transaction features, the law, who it binds, where to buy', async () => {
    renderPopup();
    const verdict = await verdictOf('transaction');
    expect(verdict.textContent).toContain(t('popup.verdict.transaction', { count: 1, subs: ['1', 'TikTok'] }));
    expect(verdict.textContent).toContain(t('popup.verdict.transactionLaw'));
    expect(t('popup.verdict.transactionLaw')).toContain('31/2023');
    expect(t('popup.verdict.transactionLaw')).toContain('21');
    expect(t('popup.verdict.transactionLaw')).toContain('bukan kepada Anda');
    // The legal statement carries its citation, status and last-verified date.
    const reg = testLookup('permendag-31-2023-pasal-21-3')!;
    expect(verdict.textContent).toContain(reg.citation);
    expect(verdict.textContent).toContain(t('popup.citation.inForce'));
    expect(verdict.textContent).toContain(t('popup.citation.verified', { subs: [formatDate('2026-11-23', 'id')] }));
    expect(
      within(verdict)
        .getByRole('link', { name: t('popup.verdict.transactionBuy') })
        .getAttribute('href'),
    ).toBe('#ln-buy');
    // Right under it: the per-site switch and the audit.
    const actions = verdict.nextElementSibling as HTMLElement;
    expect(actions.hasAttribute('data-actions')).toBe(true);
    expect(within(actions).getByRole('button', { name: t('popup.controls.disable', { subs: ['www.tiktok.com'] }) }));
    expect(within(actions).getByRole('button', { name: t('popup.controls.report') }));
  });

  it('has one row per feature, marked with its id and severity, transaction first', async () => {
    const { container } = renderPopup();
    await ready();
    const rows = [...container.querySelectorAll('[data-feature]')];
    expect(rows.map((r) => [r.getAttribute('data-feature'), r.getAttribute('data-severity')])).toEqual([
      ['checkout', 'concern'],
      ['shop-tab', 'info'],
      ['product-tag', 'info'],
    ]);
    const summary = within(rows[0].querySelector('summary')!);
    expect(summary.getByText(t('feature.checkout'))).toBeTruthy();
    expect(summary.getByText(t('popup.detail.elements', { count: 2 }))).toBeTruthy();
    expect(summary.getByText(t('popup.summary.concern'))).toBeTruthy();
    expect(rows[1].querySelector('summary')!.textContent).not.toContain(t('popup.summary.concern'));
    const explain = rows[0].querySelector('[data-explanation]')!;
    expect(explain.getAttribute('data-explanation')).toBe('transaction');
    expect(explain.textContent).toBe(t('popup.row.transaction'));
    expect(rows[0].textContent).toContain('tiktok.checkout');
    expect(rows[0].textContent).toContain('Checkout');
  });

  it('a row names the rules it relies on and links them to “What the rules say”', async () => {
    const { container } = renderPopup();
    await ready();
    const row = container.querySelector('[data-feature="checkout"]')!;
    const links = [...row.querySelectorAll('a[data-cites]')];
    expect(links.map((a) => [a.getAttribute('data-cites'), a.getAttribute('href')])).toEqual([
      ['permendag-31-2023-pasal-21-3', '#ln-reg-permendag-31-2023-pasal-21-3'],
      ['event-tiktok-tokopedia-2023', '#ln-reg-event-tiktok-tokopedia-2023'],
    ]);
    expect(links[0].textContent).toBe(testLookup('permendag-31-2023-pasal-21-3')!.citation);
    // The law is not repeated inside the row.
    expect(row.textContent).not.toContain(testLookup('permendag-31-2023-pasal-21-3')!.quote);
    const entry = container.querySelector('#ln-reg-permendag-31-2023-pasal-21-3') as HTMLDetailsElement;
    expect(entry.open).toBe(false);
    fireEvent.click(links[0]);
    expect(entry.open).toBe(true);
  });

  it('cites each regulation once, with status, date, basis, source and quote', async () => {
    const { container } = renderPopup();
    await ready();
    const cites = container.querySelectorAll('[data-regulation-id="permendag-31-2023-pasal-21-3"]');
    expect(cites).toHaveLength(1);
    const cite = cites[0];
    const reg = testLookup('permendag-31-2023-pasal-21-3')!;
    expect(cite.closest('[data-rules]')).toBeTruthy();
    expect(cite.closest('details')!.querySelector('summary')!.textContent).toBe(reg.title.id);
    expect(cite.textContent).toContain(reg.citation);
    expect(cite.textContent).toContain(reg.quote);
    expect(container.textContent!.split(reg.quote!)).toHaveLength(2);
    expect(cite.textContent).toContain(t('popup.citation.inForce'));
    expect(cite.textContent).toContain(t('popup.citation.verified', { subs: [formatDate('2026-11-23', 'id')] }));
    expect(cite.textContent).toContain(t('popup.citation.basisQuoted'));
    const source = within(cite as HTMLElement).getByRole('link', { name: t('popup.citation.source') });
    expect(source.getAttribute('href')).toBe(reg.sourceUrl);
    expect(source.getAttribute('rel')).toContain('noopener');
  });

  it('hedges the reported replacement of 31/2023 once, saying what it qualifies', async () => {
    const { container } = renderPopup();
    await ready();
    const caveats = container.querySelectorAll('[data-caveat="permendag-19-2026"]');
    expect(caveats).toHaveLength(1);
    const caveat = caveats[0] as HTMLElement;
    expect(caveat.textContent).toContain(t('popup.citation.unconfirmed'));
    expect(caveat.textContent).toContain(testLookup('permendag-19-2026')!.title.id);
    expect(caveat.textContent).toContain(
      t('popup.rules.qualifies', { subs: [testLookup('permendag-31-2023-pasal-21-3')!.citation] }),
    );
    expect(
      within(caveat)
        .getByRole('link', { name: t('popup.citation.source') })
        .getAttribute('href'),
    ).toBe('https://jdih.kemendag.go.id/');
    expect(container.textContent!.split(testLookup('permendag-19-2026')!.title.id)).toHaveLength(2);
  });

  it('describes the TikTok–Tokopedia arrangement once, as an event confirmed by sources', async () => {
    const { container } = renderPopup();
    await ready();
    const entries = container.querySelectorAll('[data-regulation-id="event-tiktok-tokopedia-2023"]');
    expect(entries).toHaveLength(1);
    const event = testLookup('event-tiktok-tokopedia-2023')!;
    expect(entries[0].textContent).toContain(event.summary.id);
    expect(entries[0].textContent).toContain(event.citation);
    const fold = entries[0].closest('details')!;
    expect(fold.open).toBe(false);
    expect(fold.querySelector('summary')!.textContent).toBe(event.title.id);
    expect(screen.getAllByText(event.title.id)).toHaveLength(1);
    // An event is confirmed by its sources; it is not a law "in force".
    expect(entries[0].querySelector('.ln-status')!.textContent).toBe(t('popup.citation.confirmed'));
  });

  it('asks the tab to reveal a detection, and says so when it cannot', async () => {
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: true } as never);
    const { container } = renderPopup();
    await ready();
    const item = container.querySelector('[data-feature="checkout"]') as HTMLElement;
    fireEvent.click(within(item).getByRole('button', { name: t('popup.detail.reveal') }));
    await waitFor(() => expect(send).toHaveBeenCalledWith(7, { type: 'highlight:reveal', ruleId: 'tiktok.checkout' }));
    expect(within(item).queryByText(t('popup.detail.revealFailed'))).toBeNull();

    send.mockRejectedValue(new Error('Receiving end does not exist.'));
    fireEvent.click(within(item).getByRole('button', { name: t('popup.detail.reveal') }));
    expect(await within(item).findByText(t('popup.detail.revealFailed'))).toBeTruthy();
  });

  it('offers registered marketplaces with a search for the product, and the PSE registry', async () => {
    renderPopup();
    await ready();
    const section = screen.getByRole('region', { name: t('popup.buy.heading') });
    expect(section.id).toBe('ln-buy');
    expect(section.textContent).toContain(t('popup.buy.intro'));
    const tokopedia = within(section).getByRole('link', {
      name: t('popup.buy.search', { subs: ['Batik Tulis Pekalongan', 'Tokopedia'] }),
    });
    expect(tokopedia.getAttribute('href')).toBe(
      'https://www.tokopedia.com/search?st=product&q=Batik%20Tulis%20Pekalongan',
    );
    const blibli = within(section).getByRole('link', {
      name: t('popup.buy.search', { subs: ['Batik Tulis Pekalongan', 'Blibli'] }),
    });
    expect(blibli.getAttribute('href')).toBe('https://www.blibli.com/cari/Batik%20Tulis%20Pekalongan');
    expect(
      within(section)
        .getByRole('link', { name: t('popup.buy.registry') })
        .getAttribute('href'),
    ).toBe(testMarketplaces.pseRegistryUrl);
  });

  it('lists complaint channels with tappable WhatsApp, email and phone links', async () => {
    renderPopup();
    await ready();
    const section = screen.getByRole('region', { name: t('popup.complain.heading') });
    const link = (key: string, label: string) =>
      within(section)
        .getByRole('link', { name: t(key, { subs: [label] }) })
        .getAttribute('href');
    expect(link('popup.complain.whatsapp', '0853-1111-1010')).toBe('https://wa.me/6285311111010');
    expect(link('popup.complain.email', 'pengaduan.konsumen@kemendag.go.id')).toBe(
      'mailto:pengaduan.konsumen@kemendag.go.id',
    );
    expect(link('popup.complain.phone', '(021) 3441839')).toBe('tel:+62213441839');
  });

  it('never tells the user they did something illegal', async () => {
    const { container } = renderPopup();
    await ready();
    expect(container.textContent).not.toMatch(/ilegal|illegal|Anda melanggar|you broke/i);
  });
});

describe('other pages with findings', () => {
  it('a YouTube page with a merch shelf: an allowed offer, no concern', async () => {
    background(
      tabReport({
        platform: 'youtube',
        url: 'https://www.youtube.com/@kanal',
        detections: [
          detection('storefront', {
            platform: 'youtube',
            ruleId: 'youtube.merch-shelf',
            regulationIds: ['permendag-31-2023-pasal-1-17'],
            count: 4,
            evidence: 'Merchandise | Kaos Logo Kanal',
            product: 'Kaos Logo Kanal',
          }),
        ],
      }),
    );
    const { container } = renderPopup();
    const verdict = await verdictOf('offer');
    expect(verdict.textContent).toContain(t('popup.verdict.offer', { count: 1, subs: ['1', 'YouTube'] }));
    expect(verdict.textContent).toContain(t('popup.verdict.offerLaw'));
    expect(t('popup.verdict.offerLaw')).toContain('Pasal 1 angka 17');
    await ready();
    expect(container.textContent).not.toContain(t('popup.summary.concern'));
    const item = container.querySelector('[data-feature="storefront"]')!;
    expect(item.getAttribute('data-severity')).toBe('info');
    expect(item.querySelector('[data-explanation]')!.textContent).toBe(t('popup.row.offer'));
    expect(item.textContent).toContain(t('feature.storefront'));
    expect(item.textContent).toContain(t('popup.detail.elements', { count: 4 }));
    expect(
      screen.getByRole('link', { name: t('popup.buy.search', { subs: ['Kaos Logo Kanal', 'Tokopedia'] }) }),
    ).toBeTruthy();
  });

  it('link-out only: explained as allowed, marketplaces linked without a search', async () => {
    background(
      tabReport({
        platform: 'instagram',
        url: 'https://www.instagram.com/toko/',
        detections: [
          detection('marketplace-link', {
            platform: 'instagram',
            ruleId: 'instagram.bio-link',
            evidence: 'https://shopee.co.id/toko',
          }),
        ],
      }),
    );
    const { container } = renderPopup();
    const verdict = await verdictOf('link-out');
    expect(verdict.textContent).toContain(t('popup.verdict.linkOut', { count: 1, subs: ['1', 'Instagram'] }));
    expect(verdict.textContent).toContain(t('popup.verdict.linkOutLaw'));
    await ready();
    const item = container.querySelector('[data-feature="marketplace-link"]')!;
    expect(item.querySelector('[data-explanation]')!.textContent).toBe(t('popup.row.linkOut'));
    expect(container.textContent).not.toContain(t('popup.summary.concern'));
    expect(screen.getByRole('link', { name: t('popup.buy.open', { subs: ['Tokopedia'] }) }).getAttribute('href')).toBe(
      'https://tokopedia.com/',
    );
  });

  it('shop-id.tokopedia.com: Tokopedia runs the checkout, shown as information with the arrangement, no red', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([
      { id: 7, url: 'https://shop-id.tokopedia.com/pdp/x/1' },
    ] as never);
    background(
      tabReport({
        url: 'https://shop-id.tokopedia.com/pdp/x/1',
        detections: [
          detection('buy-button', {
            ruleId: 'tiktok.buy-button',
            regulationIds: ['permendag-31-2023-pasal-21-3', 'event-tiktok-tokopedia-2023'],
          }),
          detection('cart', { ruleId: 'tiktok.cart', regulationIds: ['permendag-31-2023-pasal-21-3'] }),
          detection('cart', { ruleId: 'tiktok.cart-icon', regulationIds: ['permendag-31-2023-pasal-21-3'] }),
        ],
      }),
    );
    const { container } = renderPopup();
    const verdict = await verdictOf('marketplace');
    expect(verdict.textContent).toContain(
      t('popup.verdict.marketplace', { count: 2, subs: ['2', 'Tokopedia', 'TikTok'] }),
    );
    expect(verdict.textContent).toContain(t('popup.verdict.marketplaceNote'));
    const event = testLookup('event-tiktok-tokopedia-2023')!;
    expect(verdict.textContent).toContain(event.citation);
    expect(verdict.textContent).toContain(t('popup.citation.confirmed'));
    await ready();
    expect(screen.getByText(t('popup.summary.runBy', { subs: ['TikTok', 'Tokopedia'] }))).toBeTruthy();
    const rows = [...container.querySelectorAll('[data-feature]')];
    expect(rows.map((r) => [r.getAttribute('data-feature'), r.getAttribute('data-severity')])).toEqual([
      ['cart', 'info'],
      ['buy-button', 'info'],
    ]);
    expect(container.querySelector('.ln-tag--concern, .ln-tag--possible-concern')).toBeNull();
    expect(rows[0].querySelector('[data-explanation]')!.textContent).toBe(t('popup.row.marketplaceTransaction'));
    expect(container.querySelectorAll('[data-regulation-id="event-tiktok-tokopedia-2023"]')).toHaveLength(1);
    // Nothing to buy "instead" on the marketplace's own page.
    expect(screen.queryByRole('region', { name: t('popup.buy.heading') })).toBeNull();
  });

  it('a cross-border offer states the USD 100 FOB minimum', async () => {
    background(
      tabReport({ detections: [detection('cross-border-offer', { regulationIds: ['permendag-31-2023-pasal-19-2'] })] }),
    );
    const { container } = renderPopup();
    await ready();
    const explain = container.querySelector('[data-explanation="cross-border-offer"]')!;
    expect(explain.textContent).toBe(t('popup.row.crossBorder'));
    expect(explain.textContent).toContain('USD 100');
    // The row links the article it rests on.
    expect(container.querySelector('[data-feature="cross-border-offer"] a[data-cites]')!.textContent).toContain(
      'Pasal 19',
    );
  });

  it('labels unverified claims "reported, not confirmed" and shows unknown ids as ids', async () => {
    background(
      tabReport({
        detections: [detection('payment', { regulationIds: ['test-unverified-claim', 'no-such-regulation'] })],
      }),
    );
    const { container } = renderPopup();
    const verdict = await verdictOf('transaction');
    // Without a regulation in force behind it, the transaction is only a possible concern.
    expect(verdict.textContent).toContain(t('popup.verdict.transactionHedged'));
    await ready();
    const claim = container.querySelector('[data-regulation-id="test-unverified-claim"]')!;
    expect(claim.classList.contains('ln-cite--hedged')).toBe(true);
    expect(claim.querySelector('.ln-status')!.textContent).toBe(t('popup.citation.unconfirmed'));
    const unknown = container.querySelector('[data-regulation-id="no-such-regulation"]')!;
    expect(unknown.textContent).toBe(t('popup.citation.unknown', { subs: ['no-such-regulation'] }));
    const row = container.querySelector('[data-feature="payment"]')!;
    expect(row.getAttribute('data-severity')).toBe('possible-concern');
    expect(row.textContent).toContain(t('popup.summary.possibleConcern'));
  });

  it('renders page text as text, never as markup', async () => {
    background(
      tabReport({ detections: [detection('buy-button', { evidence: '<img src=x onerror="alert(1)"><b>Beli</b>' })] }),
    );
    const { container } = renderPopup();
    await ready();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('.ln-evidence q')!.textContent).toBe('<img src=x onerror="alert(1)"><b>Beli</b>');
  });
});

describe('language', () => {
  it('speaks Indonesian by default and English when the browser is English', async () => {
    background(tiktokCheckout);
    const reg = testLookup('permendag-31-2023-pasal-21-3')!;

    renderPopup();
    await ready();
    expect(screen.getAllByText('Checkout di dalam aplikasi').length).toBeGreaterThan(0);
    expect(screen.getByText(reg.title.id)).toBeTruthy();
    expect(screen.queryByText(reg.title.en)).toBeNull();
    cleanup();

    setLocale('en');
    expect(uiLocale()).toBe('en');
    renderPopup();
    await ready();
    expect(screen.getAllByText('In-app checkout').length).toBeGreaterThan(0);
    expect(screen.queryByText('Checkout di dalam aplikasi')).toBeNull();
    expect(screen.getByText(reg.title.en)).toBeTruthy();
    expect(screen.getByText(t('popup.verdict.transactionLaw'))).toBeTruthy();
    expect(t('popup.verdict.transactionLaw')).not.toBe(message('id', 'popup.verdict.transactionLaw'));
    expect(document.querySelector('[data-verdict]')!.textContent).toContain(
      'This TikTok page has 1 feature that takes orders or payments inside the app.',
    );
    expect(screen.getByRole('button', { name: 'Audit this page' })).toBeTruthy();
  });

  it('has "Audit halaman ini" in Indonesian', async () => {
    background(tiktokCheckout);
    renderPopup();
    await ready();
    expect(screen.getByRole('button', { name: 'Audit halaman ini' })).toBeTruthy();
  });
});

describe('which tab', () => {
  it('shows the active tab of the current window', async () => {
    const send = background(tabReport({ tabId: 7 }));
    renderPopup();
    await ready();
    expect(fakeBrowser.tabs.query).toHaveBeenCalledWith({ active: true, currentWindow: true });
    expect(send).toHaveBeenCalledWith({ type: 'detections:get', tabId: 7 });
  });

  it('shows tab N when opened as popup.html?tabId=N', async () => {
    vi.spyOn(fakeBrowser.tabs, 'get').mockResolvedValue({ id: 42, url: 'https://www.tiktok.com/shop' } as never);
    const send = background(tabReport({ tabId: 42, url: 'https://www.tiktok.com/shop' }));
    renderPopup('?tabId=42');
    await ready();
    expect(send).toHaveBeenCalledWith({ type: 'detections:get', tabId: 42 });
    expect(fakeBrowser.tabs.query).not.toHaveBeenCalled();
  });
});

describe('controls', () => {
  it('turns the extension off and on again for this site', async () => {
    background(tiktokCheckout);
    renderPopup();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: t('popup.controls.disable', { subs: ['www.tiktok.com'] }) }));
    await screen.findByText(t('popup.verdict.disabled', { subs: ['www.tiktok.com'] }));
    expect(document.querySelector('[data-verdict]')!.getAttribute('data-verdict')).toBe('disabled');
    expect(setHostDisabled).toHaveBeenCalledWith('www.tiktok.com', true);
    expect((await getSettings()).disabledHosts).toEqual(['www.tiktok.com']);
    expect(document.querySelector('[data-feature]')).toBeNull();
    expect(screen.queryByRole('button', { name: t('popup.controls.report') })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: t('popup.controls.enable', { subs: ['www.tiktok.com'] }) }));
    await verdictOf('transaction');
    expect(setHostDisabled).toHaveBeenLastCalledWith('www.tiktok.com', false);
    expect((await getSettings()).disabledHosts).toEqual([]);
  });

  it('starts in the disabled state on a disabled site', async () => {
    await setHostDisabled('www.tiktok.com', true);
    background(tiktokCheckout);
    renderPopup();
    expect(await screen.findByText(t('popup.verdict.disabled', { subs: ['www.tiktok.com'] }))).toBeTruthy();
    expect(screen.getByRole('button', { name: t('popup.controls.enable', { subs: ['www.tiktok.com'] }) })).toBeTruthy();
  });

  it('switches highlights off and on', async () => {
    background(tiktokCheckout);
    renderPopup();
    await ready();
    const box = (await screen.findByRole('checkbox', { name: t('popup.controls.highlights') })) as HTMLInputElement;
    // Off by default: a page can see highlights.
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await waitFor(async () => expect((await getSettings()).highlights).toBe(true));
    fireEvent.click(box);
    await waitFor(async () => expect((await getSettings()).highlights).toBe(false));
  });

  it('opens the seller report for this tab and the research log', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    background(tiktokCheckout);
    renderPopup();
    await ready();
    fireEvent.click(screen.getByRole('button', { name: t('popup.controls.report') }));
    expect(create).toHaveBeenLastCalledWith({ url: fakeBrowser.runtime.getURL('/report.html') + '?tabId=7' });
    fireEvent.click(screen.getByRole('button', { name: t('popup.controls.research') }));
    expect(create).toHaveBeenLastCalledWith({ url: fakeBrowser.runtime.getURL('/research.html') });
  });
});

describe('accessibility', () => {
  it('uses native disclosure and buttons, so a keyboard reaches everything', async () => {
    background(tiktokCheckout);
    const { container } = renderPopup();
    await ready();
    const details = [...container.querySelectorAll('details')];
    // Three rows and the three entries they cite, all folded.
    expect(details).toHaveLength(6);
    for (const d of details) {
      expect(d.open).toBe(false);
      expect(d.firstElementChild?.tagName).toBe('SUMMARY');
    }
    for (const b of container.querySelectorAll('button')) expect(b.getAttribute('type')).toBe('button');
    // Every link has a name and a real target.
    for (const a of container.querySelectorAll('a')) {
      expect(a.textContent?.trim()).not.toBe('');
      const href = a.getAttribute('href')!;
      expect(href).toMatch(/^(https:|tel:|mailto:|#ln-)/);
      if (href.startsWith('#')) expect(document.getElementById(href.slice(1))).not.toBeNull();
    }
  });
});
