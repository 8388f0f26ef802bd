/**
 * Test data for the popup: a small regulation and marketplace catalogue (validated by the real
 * schemas, so it cannot drift from them) and builders for detections and tab reports.
 */
import {
  MarketplaceCatalogue,
  RegulationCatalogue,
  categoryOf,
  type Detection,
  type FeatureKind,
  type PlatformId,
  type Regulation,
  type TabReport,
} from '@/rules/schema';
import type { Catalogues } from '@/lib/findings';

const reg = (r: Omit<Regulation, 'caveatIds' | 'kind' | 'basis'> & Partial<Regulation>) =>
  ({ kind: 'provision', basis: 'secondary-sources', caveatIds: [], ...r }) as Regulation;

export const testRegulations = RegulationCatalogue.parse({
  version: 'test',
  regulations: [
    reg({
      id: 'permendag-31-2023-pasal-21-3',
      title: { id: 'Social commerce tidak boleh menangani pembayaran', en: 'Social commerce may not handle payments' },
      summary: { id: 'Ringkasan pasal 21 ayat 3.', en: 'Summary of article 21(3).' },
      citation: 'Permendag No. 31 Tahun 2023, Pasal 21 ayat (3)',
      quote:
        'PPMSE dengan model bisnis Social-Commerce dilarang memfasilitasi transaksi pembayaran pada Sistem Elektroniknya.',
      sourceUrl: 'https://jdih.kemendag.go.id/peraturan/31-2023',
      status: 'in-force',
      basis: 'quoted-extract',
      lastVerified: '2026-11-23',
      caveatIds: ['permendag-19-2026'],
    }),
    reg({
      id: 'permendag-31-2023-pasal-1-17',
      title: { id: 'Apa itu social commerce', en: 'What social commerce means' },
      summary: { id: 'Menampilkan penawaran dibolehkan.', en: 'Showing offers is allowed.' },
      citation: 'Permendag No. 31 Tahun 2023, Pasal 1 angka 17',
      sourceUrl: 'https://jdih.kemendag.go.id/peraturan/31-2023',
      status: 'in-force',
      lastVerified: '2026-11-20',
      caveatIds: ['permendag-19-2026'],
    }),
    reg({
      id: 'permendag-31-2023-pasal-19-2',
      title: { id: 'Harga minimum barang lintas negara', en: 'Minimum price for cross-border goods' },
      summary: { id: 'USD 100 FOB.', en: 'USD 100 FOB.' },
      citation: 'Permendag No. 31 Tahun 2023, Pasal 19 ayat (2)',
      sourceUrl: 'https://jdih.kemendag.go.id/peraturan/31-2023',
      status: 'in-force',
      lastVerified: '2026-11-23',
      caveatIds: ['permendag-19-2026'],
    }),
    reg({
      id: 'permendag-19-2026',
      title: { id: 'Permendag 19/2026 mungkin menggantikan 31/2023', en: 'Permendag 19/2026 may replace 31/2023' },
      summary: { id: 'Dilaporkan.', en: 'Reported.' },
      citation: 'Permendag No. 19 Tahun 2026 (dilaporkan)',
      sourceUrl: 'https://jdih.kemendag.go.id/',
      status: 'reported',
      lastVerified: '2026-11-23',
    }),
    reg({
      id: 'test-unverified-claim',
      title: { id: 'Klaim yang belum diverifikasi', en: 'An unverified claim' },
      summary: { id: 'Belum pasti.', en: 'Not certain.' },
      citation: 'Sumber sekunder',
      sourceUrl: 'https://example.org/claim',
      status: 'unverified',
      lastVerified: '2026-10-01',
    }),
    reg({
      id: 'event-tiktok-tokopedia-2023',
      kind: 'event',
      title: { id: 'TikTok dan Tokopedia bergabung', en: 'TikTok and Tokopedia combine' },
      summary: {
        id: 'Pemesanan dan pembayaran dijalankan Tokopedia.',
        en: 'Ordering and payment are run by Tokopedia.',
      },
      citation: 'Pengumuman TikTok dan Tokopedia, 11 Desember 2023',
      sourceUrl: 'https://example.org/tiktok-tokopedia',
      status: 'in-force',
      lastVerified: '2026-11-23',
    }),
    reg({
      id: 'pp-80-2019-pasal-13-1',
      title: { id: 'Informasi yang benar', en: 'True information' },
      summary: { id: 'Ringkasan.', en: 'Summary.' },
      citation: 'PP No. 80 Tahun 2019, Pasal 13 ayat (1)',
      sourceUrl: 'https://example.org/pp-80-2019',
      status: 'in-force',
      basis: 'official-text',
      lastVerified: '2026-11-23',
    }),
  ],
});

export const testMarketplaces = MarketplaceCatalogue.parse({
  version: 'test',
  pseRegistryUrl: 'https://pse.komdigi.go.id/',
  marketplaces: [
    {
      id: 'tokopedia',
      name: 'Tokopedia',
      domains: ['tokopedia.com'],
      operates: [{ host: 'shop-id.tokopedia.com', platform: 'tiktok', regulationIds: ['event-tiktok-tokopedia-2023'] }],
      searchUrl: 'https://www.tokopedia.com/search?st=product&q={q}',
      pseRegistryUrl: 'https://pse.komdigi.go.id/',
      verifiedOn: '2026-11-23',
    },
    {
      id: 'blibli',
      name: 'Blibli',
      domains: ['blibli.com'],
      searchUrl: 'https://www.blibli.com/cari/{q}',
      pseRegistryUrl: 'https://pse.komdigi.go.id/',
      verifiedOn: '2026-11-22',
    },
  ],
  complaintChannels: [
    {
      id: 'pktn',
      name: { id: 'Pengaduan Konsumen Kemendag', en: 'Trade Ministry consumer complaints' },
      description: { id: 'Menerima pengaduan.', en: 'Takes complaints.' },
      contacts: [
        { kind: 'whatsapp', label: '0853-1111-1010', href: 'https://wa.me/6285311111010' },
        { kind: 'email', label: 'pengaduan.konsumen@kemendag.go.id', href: 'mailto:pengaduan.konsumen@kemendag.go.id' },
        { kind: 'phone', label: '(021) 3441839', href: 'tel:+62213441839' },
      ],
      verifiedOn: '2026-11-23',
    },
  ],
});

export function testLookup(id: string): Regulation | undefined {
  return testRegulations.regulations.find((r) => r.id === id);
}

/** The test catalogues as lib/findings.ts takes them. */
export const testCatalogues: Catalogues = { lookup: testLookup, marketplaces: testMarketplaces.marketplaces };

export function detection(
  feature: FeatureKind,
  overrides: Partial<Detection> & { platform?: PlatformId } = {},
): Detection {
  const platform = overrides.platform ?? 'tiktok';
  return {
    ruleId: `${platform}.${feature}`,
    platform,
    feature,
    category: categoryOf(feature),
    regulationIds: [],
    count: 1,
    evidence: '',
    firstSeen: 1_700_000_000_000,
    lastSeen: 1_700_000_000_500,
    ...overrides,
  };
}

export function tabReport(overrides: Partial<TabReport> = {}): TabReport {
  return {
    tabId: 7,
    url: 'https://www.tiktok.com/@toko/video/7300000000000000001',
    platform: 'tiktok',
    detections: [],
    updatedAt: 1_700_000_001_000,
    ...overrides,
  };
}
