/**
 * The bundled regulation and marketplace catalogues: they validate, say plainly what is only
 * reported, quote only where a verbatim source backs the quote, and every rule's regulationIds
 * resolve. The rule packs are read as they are, not validated, so a new platform file is checked as
 * soon as it lands.
 */
import { describe, expect, it } from 'vitest';
import marketplacesJson from '@/rules/marketplaces.json';
import regulationsJson from '@/rules/regulations.json';
import { MarketplaceCatalogue, RegulationCatalogue, validate } from '@/rules/schema';
import { hostMatches } from '@/lib/hosts';
import { bundledPackFiles } from '@/utils/bundled-rules';
import { getMarketplaces, getRegulations, regulationById, searchUrl } from '@/utils/catalogues';

const regulations = validate(RegulationCatalogue, regulationsJson, 'rules/regulations.json');
const marketplaces = validate(MarketplaceCatalogue, marketplacesJson, 'rules/marketplaces.json');

describe('the bundled catalogues', () => {
  it('validate against the schema', () => {
    expect(regulations.ok ? [] : regulations.errors).toEqual([]);
    expect(marketplaces.ok ? [] : marketplaces.errors).toEqual([]);
  });

  it('load through utils/catalogues', () => {
    expect(getRegulations().regulations.length).toBe(regulationsJson.regulations.length);
    expect(getMarketplaces().marketplaces.length).toBe(marketplacesJson.marketplaces.length);
  });
});

const regs = getRegulations().regulations;
const ids = new Set(regs.map((r) => r.id));

describe('rules/regulations.json', () => {
  it('has unique ids', () => {
    expect(ids.size).toBe(regs.length);
  });

  it('has every id the rules and the popup rely on', () => {
    const fixed = [
      'permendag-31-2023-pasal-21-3',
      'permendag-31-2023-pasal-1-17',
      'permendag-31-2023-pasal-1-13',
      'permendag-31-2023-pasal-5',
      'permendag-31-2023-pasal-19-2',
      'permendag-31-2023-pasal-21-2',
      'permendag-31-2023-pasal-50-2',
      'permendag-31-2023-data',
      'permendag-50-2020',
      'permendag-19-2026',
      'pp-80-2019-pasal-13-1',
      'pp-80-2019-pasal-18',
      'pp-80-2019-pasal-69-1',
      'pp-80-2019-pasal-80-2',
      'permenkominfo-5-2020-pasal-2',
      'event-tiktok-shop-stop-2023',
      'event-tiktok-tokopedia-2023',
      'event-project-s-2023',
      'event-tiktok-pse-freeze-2025',
      'event-kominfo-renamed-2024',
    ];
    expect(fixed.filter((id) => !ids.has(id))).toEqual([]);
    for (const id of fixed) expect(regulationById(id)?.kind).toBe(id.startsWith('event-') ? 'event' : 'provision');
  });

  it('resolves every caveatId, and never to the entry itself', () => {
    for (const r of regs) {
      for (const c of r.caveatIds) {
        expect(ids.has(c), `${r.id} → ${c}`).toBe(true);
        expect(c).not.toBe(r.id);
      }
    }
  });

  it('qualifies every Permendag 31/2023 provision with the report that 19/2026 may replace it', () => {
    const of31 = regs.filter((r) => r.id.startsWith('permendag-31-2023-'));
    expect(of31.length).toBeGreaterThanOrEqual(8);
    for (const r of of31) {
      expect(r.caveatIds, r.id).toContain('permendag-19-2026');
      expect(r.citation, r.id).toMatch(/Permendag No\. 31 Tahun 2023/);
    }
    expect(regulationById('permendag-19-2026')?.status).toBe('reported');
    expect(regulationById('permendag-50-2020')?.status).toBe('revoked');
  });

  it('says "reported, not confirmed" in both languages wherever the status is reported or unverified', () => {
    const doubtful = regs.filter((r) => r.status === 'reported' || r.status === 'unverified');
    expect(doubtful.map((r) => r.id)).toEqual(expect.arrayContaining(['permendag-19-2026', 'permendag-31-2023-data']));
    for (const r of doubtful) {
      expect(r.summary.en, r.id).toMatch(/\breported\b/i);
      expect(r.summary.en, r.id).toMatch(/\bnot (?:yet )?confirmed\b|\bunconfirmed\b|\bnot verified\b/i);
      expect(r.summary.id, r.id).toMatch(/\bdilaporkan\b/i);
      expect(r.summary.id, r.id).toMatch(/\bbelum (?:di)?konfirmasi\b|\bbelum dipastikan\b|\bbelum terverifikasi\b/i);
    }
  });

  it('carries a quote only where the basis is the text itself, and a quote for every quoted extract', () => {
    for (const r of regs) {
      if (r.quote !== undefined) {
        expect(r.quote.trim().length, r.id).toBeGreaterThan(0);
        expect(['quoted-extract', 'official-text'], r.id).toContain(r.basis);
        expect(r.kind, r.id).toBe('provision');
      }
      if (r.basis === 'quoted-extract') expect(r.quote?.trim(), r.id).toBeTruthy();
    }
    // the two sentences of Permendag 31/2023 the extension quotes
    expect(regulationById('permendag-31-2023-pasal-21-3')?.quote).toMatch(
      /^PPMSE dengan model bisnis Social-Commerce dilarang memfasilitasi transaksi pembayaran/,
    );
    expect(regulationById('permendag-31-2023-pasal-1-17')?.quote).toMatch(
      /^Social-Commerce adalah penyelenggara media sosial/,
    );
    expect(regulationById('permendag-31-2023-pasal-1-13')?.quote).toBeUndefined();
  });

  it('writes a short title and summary in both languages, and different text for each', () => {
    for (const r of regs) {
      for (const lang of ['id', 'en'] as const) {
        expect(r.title[lang].length, `${r.id} title.${lang}`).toBeLessThanOrEqual(90);
        const sentences = r.summary[lang].split(/(?<=[.!?])\s+(?=[A-Z"])/).length;
        expect(sentences, `${r.id} summary.${lang}`).toBeLessThanOrEqual(3);
        expect(r.summary[lang].length, `${r.id} summary.${lang}`).toBeLessThanOrEqual(500);
      }
      expect(r.summary.id, r.id).not.toBe(r.summary.en);
      expect(r.title.id, r.id).not.toBe(r.title.en);
    }
  });

  it('points at the official publisher of each regulation', () => {
    for (const r of regs) {
      expect(() => new URL(r.sourceUrl), r.id).not.toThrow();
      const host = new URL(r.sourceUrl).hostname;
      if (r.id.startsWith('permendag-')) expect(host, r.id).toBe('jdih.kemendag.go.id');
      if (r.id.startsWith('pp-') || r.id.startsWith('permenkominfo-')) expect(host, r.id).toBe('peraturan.bpk.go.id');
    }
  });

  it('uses real calendar dates', () => {
    for (const r of regs) {
      const d = new Date(`${r.lastVerified}T00:00:00Z`);
      expect(d.toISOString().slice(0, 10), r.id).toBe(r.lastVerified);
    }
  });

  it('describes the TikTok-Tokopedia arrangement without calling it illegal', () => {
    const r = regulationById('event-tiktok-tokopedia-2023')!;
    expect(`${r.title.en} ${r.summary.en}`).not.toMatch(/illegal|unlawful|violat|breach/i);
    expect(`${r.title.id} ${r.summary.id}`).not.toMatch(/ilegal|melanggar|pelanggaran|melawan hukum/i);
    expect(r.summary.en).toMatch(/75\.01%/);
    expect(r.summary.id).toMatch(/75,01%/);
  });
});

describe('regulationIds in rules/platforms/*.json', () => {
  const files = bundledPackFiles.map((f) => f.file);

  it('finds at least one platform file', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s refers only to regulations in the catalogue', (file) => {
    const pack = bundledPackFiles.find((f) => f.file === file)!.raw as {
      rules?: { id?: string; regulationIds?: unknown }[];
    };
    const rules = pack.rules ?? [];
    const unknown: string[] = [];
    for (const rule of rules) {
      expect(Array.isArray(rule.regulationIds), `${file}: rule "${rule.id}" regulationIds`).toBe(true);
      for (const id of rule.regulationIds as string[]) if (!ids.has(id)) unknown.push(`${rule.id} → ${id}`);
    }
    expect(unknown).toEqual([]);
  });
});

describe('rules/marketplaces.json', () => {
  const catalogue = getMarketplaces();

  it('lists the five registered marketplaces and not the closed ones', () => {
    expect(catalogue.marketplaces.map((m) => m.id).sort()).toEqual([
      'blibli',
      'lazada',
      'shopee',
      'tokopedia',
      'zalora',
    ]);
    const allDomains = catalogue.marketplaces.flatMap((m) => [...m.domains, ...m.shortLinkDomains]);
    expect(allDomains.filter((d) => /bukalapak|jd\.id/.test(d))).toEqual([]);
    expect(new Set(allDomains).size).toBe(allDomains.length);
  });

  it('has unique ids', () => {
    const mpIds = catalogue.marketplaces.map((m) => m.id);
    expect(new Set(mpIds).size).toBe(mpIds.length);
    const chIds = catalogue.complaintChannels.map((c) => c.id);
    expect(new Set(chIds).size).toBe(chIds.length);
  });

  it('builds a working search URL on the marketplace own domain', () => {
    for (const m of catalogue.marketplaces) {
      expect(m.searchUrl.split('{q}')).toHaveLength(2);
      const url = new URL(searchUrl(m.searchUrl, '  sepatu & tas 100% '));
      expect(
        m.domains.some((d) => hostMatches(url.hostname, d)),
        m.id,
      ).toBe(true);
      expect(url.href, m.id).toContain(encodeURIComponent('sepatu & tas 100%'));
      expect(url.href, m.id).not.toContain('{q}');
    }
  });

  it('links the PSE registry and a real verification date everywhere', () => {
    expect(catalogue.pseRegistryUrl).toBe('https://pse.komdigi.go.id/');
    for (const m of catalogue.marketplaces) {
      expect(m.pseRegistryUrl, m.id).toBe(catalogue.pseRegistryUrl);
      expect(new Date(`${m.verifiedOn}T00:00:00Z`).toISOString().slice(0, 10), m.id).toBe(m.verifiedOn);
    }
  });

  it('lists the complaint channels with contacts whose link matches their kind', () => {
    expect(catalogue.complaintChannels.map((c) => c.id).sort()).toEqual([
      'bpkn',
      'komdigi-aduan-konten',
      'pktn-kemendag',
      'ylki',
    ]);
    const shape = {
      whatsapp: /^https:\/\/wa\.me\/62\d{8,13}$/,
      phone: /^tel:(?:\+62\d{6,13}|\d{3})$/,
      email: /^mailto:[^@\s]+@[^@\s]+\.[a-z]{2,}$/,
      web: /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\/\S*$/,
    };
    for (const channel of catalogue.complaintChannels) {
      for (const c of channel.contacts) {
        expect(c.href, `${channel.id} ${c.kind}`).toMatch(shape[c.kind]);
        // the label shows what the link opens: same digits, same address, same site
        if (c.kind === 'whatsapp' || c.kind === 'phone') {
          const digits = c.label.replace(/\D/g, '');
          const target = c.href.replace(/\D/g, '');
          expect(target, `${channel.id} ${c.label}`).toBe(digits.startsWith('0') ? `62${digits.slice(1)}` : digits);
        }
        if (c.kind === 'email') expect(c.href).toBe(`mailto:${c.label}`);
        if (c.kind === 'web')
          expect(new URL(c.href).hostname.replace(/^www\./, '')).toBe(c.label.replace(/^www\./, ''));
      }
    }
  });
});
