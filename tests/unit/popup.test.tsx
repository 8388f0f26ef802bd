/**
 * Component tests of the popup (entrypoints/popup/App.tsx) with the fake browser: every state,
 * the explanations, hedges and links, both languages, and the controls. Strings are asserted as
 * they stand in locales/*.yml, read through the same conversion the build uses.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TabReport } from '@/rules/schema';
import { getSettings, setHostDisabled } from '@/utils/settings';
import { formatDate, formatList, uiLocale } from '@/utils/ui-language';
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
  };
});

vi.mock('@/utils/settings', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@/utils/settings')>();
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
    expect(screen.queryByRole('heading', { name: t('popup.summary.heading') })).toBeNull();
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
    expect(await screen.findByText(t('popup.empty.clean'))).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('cold start: retries until the background listens', async () => {
    let calls = 0;
    background(async () => {
      if (++calls < 3) throw new Error('Could not establish connection. Receiving end does not exist.');
      return tabReport();
    });
    renderPopup();
    expect(await screen.findByText(t('popup.empty.clean'))).toBeTruthy();
    expect(calls).toBe(3);
  });

  it('a page on another site lists the platforms it works on', async () => {
    background(tabReport({ platform: null, url: 'https://example.org/' }));
    renderPopup();
    const list = formatList(platformNames(), 'id');
    const text = await screen.findByText(t('popup.empty.otherSite', { subs: [list] }));
    for (const name of ['TikTok', 'YouTube', 'Facebook', 'Instagram', 'WhatsApp', 'Pinterest', 'X']) {
      expect(text.textContent).toContain(name);
    }
  });

  it('a clean platform page says nothing was found, with no summary', async () => {
    background(tabReport({ platform: 'youtube', url: 'https://www.youtube.com/watch?v=abc' }));
    renderPopup();
    expect(await screen.findByText(t('popup.empty.clean'))).toBeTruthy();
    expect(screen.getByText(t('popup.summary.platform', { subs: ['YouTube'] }))).toBeTruthy();
    expect(screen.queryByRole('heading', { name: t('popup.summary.heading') })).toBeNull();
  });
});

describe('a TikTok page with a checkout', () => {
  beforeEach(() => void background(tiktokCheckout));

  it('summarises transaction first, marked as a concern, then offers and link-outs', async () => {
    const { container } = renderPopup();
    await ready();
    const lines = [...container.querySelectorAll('.ln-summary__line')];
    expect(lines.map((l) => l.getAttribute('data-category'))).toEqual(['transaction', 'offer', 'link-out']);
    expect(lines[0].textContent).toContain(t('category.transaction'));
    expect(lines[0].textContent).toContain(t('popup.summary.features', { count: 1 }));
    expect(lines[0].textContent).toContain(t('popup.summary.concern'));
    expect(lines[1].textContent).not.toContain(t('popup.summary.concern'));
    expect(lines[2].textContent).toContain(t('popup.summary.features', { count: 0 }));
  });

  it('explains the payment ban of Permendag 31/2023 Pasal 21(3) and who it binds', async () => {
    const { container } = renderPopup();
    await ready();
    const item = container.querySelector('[data-rule-id="tiktok.checkout"]') as HTMLElement;
    const explain = item.querySelector('[data-explanation]')!;
    expect(explain.getAttribute('data-explanation')).toBe('transaction');
    expect(explain.textContent).toBe(t('popup.explain.transaction'));
    expect(explain.textContent).toContain('31/2023');
    expect(explain.textContent).toContain('21');
    expect(item.textContent).toContain(t('popup.explain.bindsPlatform'));
    // Summary of the collapsed item: the feature and how many elements.
    const summary = within(item.querySelector('summary')!);
    expect(summary.getByText(t('feature.checkout'))).toBeTruthy();
    expect(summary.getByText(t('popup.detail.elements', { count: 2 }))).toBeTruthy();
  });

  it('cites the regulation with status, date, basis, source and quote', async () => {
    const { container } = renderPopup();
    await ready();
    const cite = container.querySelector(
      '[data-rule-id="tiktok.checkout"] [data-regulation-id="permendag-31-2023-pasal-21-3"]',
    )!;
    const reg = testLookup('permendag-31-2023-pasal-21-3')!;
    expect(cite.textContent).toContain(reg.title.id);
    expect(cite.textContent).toContain(reg.citation);
    expect(cite.textContent).toContain(reg.quote);
    expect(cite.textContent).toContain(t('popup.citation.inForce'));
    expect(cite.textContent).toContain(t('popup.citation.verified', { subs: [formatDate('2026-11-23', 'id')] }));
    expect(cite.textContent).toContain(t('popup.citation.basisQuoted'));
    const source = within(cite as HTMLElement).getByRole('link', { name: t('popup.citation.source') });
    expect(source.getAttribute('href')).toBe(reg.sourceUrl);
    expect(source.getAttribute('rel')).toContain('noopener');
  });

  it('hedges the reported replacement of 31/2023 with a link to check the current text', async () => {
    const { container } = renderPopup();
    await ready();
    const caveat = container.querySelector('[data-rule-id="tiktok.checkout"] .ln-caveat') as HTMLElement;
    expect(caveat.textContent).toContain(t('popup.citation.unconfirmed'));
    expect(caveat.textContent).toContain(testLookup('permendag-19-2026')!.title.id);
    expect(
      within(caveat)
        .getByRole('link', { name: t('popup.citation.checkCurrent') })
        .getAttribute('href'),
    ).toBe('https://jdih.kemendag.go.id/');
  });

  it('describes the TikTok–Tokopedia arrangement once, as background', async () => {
    const { container } = renderPopup();
    await ready();
    const heading = screen.getByRole('heading', { name: t('popup.context.heading') });
    expect(heading).toBeTruthy();
    const entries = container.querySelectorAll('[data-regulation-id="event-tiktok-tokopedia-2023"]');
    expect(entries).toHaveLength(1);
    const event = testLookup('event-tiktok-tokopedia-2023')!;
    expect(entries[0].textContent).toContain(event.summary.id);
    expect(entries[0].textContent).toContain(event.citation);
    // Folded under its title, which is the only place the title appears.
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
    const item = container.querySelector('[data-rule-id="tiktok.checkout"]') as HTMLElement;
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
    await ready();
    const lines = [...container.querySelectorAll('.ln-summary__line')];
    expect(lines[0].textContent).toContain(t('popup.summary.features', { count: 0 }));
    expect(lines[1].textContent).toContain(t('category.offer'));
    expect(lines[1].textContent).toContain(t('popup.summary.features', { count: 1 }));
    expect(container.textContent).not.toContain(t('popup.summary.concern'));
    const item = container.querySelector('[data-rule-id="youtube.merch-shelf"]')!;
    expect(item.querySelector('[data-explanation]')!.textContent).toBe(t('popup.explain.offer'));
    expect(item.textContent).toContain(t('feature.storefront'));
    expect(item.textContent).toContain(t('popup.detail.elements', { count: 4 }));
    expect(screen.queryByRole('heading', { name: t('popup.context.heading') })).toBeNull();
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
    await ready();
    const lines = [...container.querySelectorAll('.ln-summary__line')];
    expect(lines.map((l) => l.classList.contains('ln-summary__line--empty'))).toEqual([true, true, false]);
    expect(lines[2].textContent).toContain(t('category.link_out'));
    const item = container.querySelector('[data-rule-id="instagram.bio-link"]')!;
    expect(item.querySelector('[data-explanation]')!.textContent).toBe(t('popup.explain.linkOut'));
    expect(container.textContent).not.toContain(t('popup.summary.concern'));
    expect(screen.getByRole('link', { name: t('popup.buy.open', { subs: ['Tokopedia'] }) }).getAttribute('href')).toBe(
      'https://tokopedia.com/',
    );
  });

  it('a cross-border offer states the USD 100 FOB minimum', async () => {
    background(
      tabReport({ detections: [detection('cross-border-offer', { regulationIds: ['permendag-31-2023-pasal-19-2'] })] }),
    );
    const { container } = renderPopup();
    await ready();
    const explain = container.querySelector('[data-explanation="cross-border-offer"]')!;
    expect(explain.textContent).toBe(t('popup.explain.crossBorder'));
    expect(explain.textContent).toContain('USD 100');
    expect(explain.textContent).toContain('19');
  });

  it('labels unverified claims "reported, not confirmed" and shows unknown ids as ids', async () => {
    background(
      tabReport({
        detections: [detection('payment', { regulationIds: ['test-unverified-claim', 'no-such-regulation'] })],
      }),
    );
    const { container } = renderPopup();
    await ready();
    const claim = container.querySelector('[data-regulation-id="test-unverified-claim"]')!;
    expect(claim.classList.contains('ln-cite--hedged')).toBe(true);
    expect(claim.querySelector('.ln-status')!.textContent).toBe(t('popup.citation.unconfirmed'));
    const unknown = container.querySelector('[data-regulation-id="no-such-regulation"]')!;
    expect(unknown.textContent).toBe(t('popup.citation.unknown', { subs: ['no-such-regulation'] }));
    // Without a regulation in force behind it, the transaction is only a possible concern.
    expect(container.querySelector('.ln-summary__line')!.textContent).toContain(t('popup.summary.possibleConcern'));
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
    expect(screen.getAllByText('Transaksi di dalam aplikasi').length).toBeGreaterThan(0);
    expect(screen.getByText(reg.title.id)).toBeTruthy();
    expect(screen.queryByText(reg.title.en)).toBeNull();
    cleanup();

    setLocale('en');
    expect(uiLocale()).toBe('en');
    renderPopup();
    await ready();
    expect(screen.getAllByText('In-app transaction').length).toBeGreaterThan(0);
    expect(screen.queryByText('Transaksi di dalam aplikasi')).toBeNull();
    expect(screen.getByText(reg.title.en)).toBeTruthy();
    expect(screen.getByText(t('popup.explain.transaction'))).toBeTruthy();
    expect(t('popup.explain.transaction')).not.toBe(message('id', 'popup.explain.transaction'));
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
    await screen.findByText(t('popup.empty.disabled', { subs: ['www.tiktok.com'] }));
    expect(setHostDisabled).toHaveBeenCalledWith('www.tiktok.com', true);
    expect((await getSettings()).disabledHosts).toEqual(['www.tiktok.com']);
    expect(screen.queryByRole('heading', { name: t('popup.summary.heading') })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: t('popup.controls.enable', { subs: ['www.tiktok.com'] }) }));
    await screen.findByRole('heading', { name: t('popup.summary.heading') });
    expect(setHostDisabled).toHaveBeenLastCalledWith('www.tiktok.com', false);
    expect((await getSettings()).disabledHosts).toEqual([]);
  });

  it('starts in the disabled state on a disabled site', async () => {
    await setHostDisabled('www.tiktok.com', true);
    background(tiktokCheckout);
    renderPopup();
    expect(await screen.findByText(t('popup.empty.disabled', { subs: ['www.tiktok.com'] }))).toBeTruthy();
    expect(screen.getByRole('button', { name: t('popup.controls.enable', { subs: ['www.tiktok.com'] }) })).toBeTruthy();
  });

  it('switches highlights off and on', async () => {
    background(tiktokCheckout);
    renderPopup();
    await ready();
    const box = (await screen.findByRole('checkbox', { name: t('popup.controls.highlights') })) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(async () => expect((await getSettings()).highlights).toBe(false));
    fireEvent.click(box);
    await waitFor(async () => expect((await getSettings()).highlights).toBe(true));
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
    // Three detections and the TikTok background, all folded.
    expect(details).toHaveLength(4);
    for (const d of details) {
      expect(d.open).toBe(false);
      expect(d.firstElementChild?.tagName).toBe('SUMMARY');
    }
    for (const b of container.querySelectorAll('button')) expect(b.getAttribute('type')).toBe('button');
    // Every link has a name and a real target.
    for (const a of container.querySelectorAll('a')) {
      expect(a.textContent?.trim()).not.toBe('');
      expect(a.getAttribute('href')).toMatch(/^(https:|tel:|mailto:)/);
    }
  });
});
