/**
 * Redaction of personal data from evidence: what a checkout, cart or order page shows about a
 * buyer must never come out, and the labels, prices and product names around it must.
 */
import { describe, expect, it } from 'vitest';
import { cleanDetection } from '@/lib/detection-gate';
import {
  REDACTED,
  cleanEvidence,
  insidePersonalElement,
  isPersonalNumber,
  linkShape,
  linkTextShape,
  redactText,
} from '@/lib/redact';
import { safeLabelOf } from '@/lib/engine/text';
import type { Detection } from '@/rules/schema';

describe('redactText removes personal data', () => {
  it.each([
    // Indonesian mobile numbers in the ways pages write them
    ['Hubungi 081234567890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi 0812-3456-7890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi 0812 3456 7890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi 0812.3456.7890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi +62 812-3456-7890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi +6281234567890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Hubungi 6281234567890 untuk konfirmasi', 'Hubungi […] untuk konfirmasi'],
    ['Kantor (021) 555-1234 buka jam 9', 'Kantor […] buka jam 9'],
    ['Kirim ke Budi 0812****789 segera', 'Kirim ke Budi […] segera'],
    // international numbers
    ['Support line +1 415 555 0100 open', 'Support line […] open'],
    ['Call +65 9123 4567 today', 'Call […] today'],
    // e-mail addresses
    ['Konfirmasi dikirim ke siti.rahayu@gmail.com hari ini', 'Konfirmasi dikirim ke […] hari ini'],
    ['Receipt sent to jane_doe+shop@mail.example.co.id now', 'Receipt sent to […] now'],
    // payment cards, any grouping (Luhn-valid test numbers)
    ['Bayar dengan kartu 4111 1111 1111 1111 sekarang', 'Bayar dengan kartu […] sekarang'],
    ['Pay with card 5500-0000-0000-0004 now', 'Pay with card […] now'],
    ['Pay with card 378282246310005 now', 'Pay with card […] now'],
    ['Visa **** **** **** 4242 berakhir', 'Visa […] berakhir'],
    // NIK (16 digits), plain and grouped
    ['Verifikasi NIK 3372011203900001 berhasil', 'Verifikasi NIK […] berhasil'],
    ['Verifikasi identitas 3372 0112 0390 0001 berhasil', 'Verifikasi identitas […] berhasil'],
    // labelled values, Indonesian and English
    ['Checkout · Penerima: Budi Santoso · Bayar sekarang', 'Checkout · Penerima: […] · Bayar sekarang'],
    ['Pesanan dibuat · Alamat: Jl. Slamet Riyadi No. 10, Surakarta', 'Pesanan dibuat · Alamat: […]'],
    ['Order placed · Ship to: Jane Doe, 12 Market St | Track order', 'Order placed · Ship to: […] | Track order'],
    // street addresses as Indonesian pages write them
    ['Checkout · Jl. Kaliurang KM 5 No. 12, Sleman · Bayar sekarang', 'Checkout · […] · Bayar sekarang'],
    ['Pesanan dikirim ke RT 03/RW 07 Kel. Citarum hari ini', 'Pesanan dikirim ke […] Kel. Citarum hari ini'],
  ])('%j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('drops a string that is mostly personal', () => {
    expect(redactText('0812-3456-7890')).toBe('');
    expect(redactText('siti.rahayu@gmail.com')).toBe('');
    expect(redactText('Budi 0812 3456 7890 budi@example.com')).toBe('');
    expect(redactText('Nama: Siti Rahayu')).toBe('');
  });
});

describe('redactText keeps what is not personal', () => {
  it.each([
    'Bayar sekarang',
    'Metode pembayaran',
    'Keranjang · 2',
    'Checkout (2)',
    'Rp189.000',
    'Rp 1.250.000',
    'Total Rp 12.500.000',
    'Rp189.000 Rp250.000 -24%',
    'IDR 125.000.000',
    '$12.99 $25.98',
    'iPhone 15 Pro 256GB',
    'Kaos 30s Combed',
    'Power Bank 20000mAh Fast Charging',
    'Bluetooth 5.3 Earbuds',
    'Meja 140x70 cm',
    'Dikirim 03.12.2026',
    'Order ID 578123456789',
    'Nama produk: Kemeja Batik',
    'Estimasi tiba 7-14 hari',
    'Sepatu Jalan Santai Pria',
  ])('%j', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('tells phone numbers, NIK and cards from other numbers', () => {
    expect(isPersonalNumber('4111 1111 1111 1112')).toBe(true); // 16 digits: could be a NIK
    expect(isPersonalNumber('4111 1111 1111 111')).toBe(false); // 15 digits, not Luhn-valid
    expect(isPersonalNumber('1.250.000')).toBe(false);
    expect(isPersonalNumber('021 555 1234')).toBe(true);
  });
});

describe('linkShape', () => {
  it.each([
    ['https://shopee.co.id/rumahskincare.id?utm_source=fb', 0, 'shopee.co.id/…'],
    ['https://wa.me/6285712345678?text=Halo', 'https://wa.me/6'.length, 'wa.me/…'],
    ['https://wa.me/c/6281234500000', 'https://wa.me/c/6'.length, 'wa.me/c/…'],
    ['https://www.tiktok.com/view/product/1729700000000000001?region=ID', 37, 'tiktok.com/view/product/…'],
    ['https://www.tiktok.com/shop', 'https://www.tiktok.com/shop'.length, 'tiktok.com/shop'],
    ['https://www.tokopedia.com/', 0, 'tokopedia.com'],
  ])('%s → %s', (link, matched, shape) => {
    expect(linkShape(link, matched)).toBe(shape);
  });

  it('shows no other scheme', () => {
    expect(linkShape('tel:+6281234567890')).toBe('');
    expect(linkShape('mailto:budi@example.com')).toBe('');
  });

  it('reads links written out as text', () => {
    expect(linkTextShape('https:// shopee.co.id/sneakers-kanv as-i.12345 …')).toBe('shopee.co.id/…');
    expect(linkTextShape('tokopedia.link/kopibude')).toBe('tokopedia.link/…');
    expect(linkTextShape('Kemeja Batik Tulis')).toBe('');
  });
});

describe('cleanEvidence, the last gate', () => {
  it('turns page data, links and personal data into safe evidence', () => {
    expect(cleanEvidence('…"anchors":[{"description":"","extraInfo":{}}', 'product-tag')).toBe(
      'page data: product-tag',
    );
    expect(cleanEvidence('https://wa.me/6285712345678?text=Halo%20admin', 'chat-order-link')).toBe('wa.me/…');
    expect(cleanEvidence('Checkout Budi Santoso 0812-3456-7890 budi@example.com', 'checkout')).toBe(
      'Checkout Budi Santoso […]',
    );
    expect(cleanEvidence('0812-3456-7890', 'checkout')).toBe('feature: checkout');
    expect(cleanEvidence('Bayar sekarang', 'payment')).toBe('Bayar sekarang');
    expect(cleanEvidence('', 'payment')).toBe('');
  });

  it('keeps only the product name of a title, only on offers and only when nothing in it is personal', () => {
    const base: Detection = {
      ruleId: 'tiktok.product-tag',
      platform: 'tiktok',
      feature: 'product-tag',
      category: 'offer',
      regulationIds: [],
      count: 1,
      evidence: 'Shop | Batik',
      firstSeen: 0,
      lastSeen: 0,
    };
    expect(cleanDetection({ ...base, product: 'Batik Tulis' }).product).toBe('Batik Tulis');
    expect(cleanDetection({ ...base, product: 'Shop | Batik Tulis · Rp35.000 · 4.9 ★' }).product).toBe('Batik Tulis');
    expect(cleanDetection({ ...base, product: 'TikTok Shop' })).not.toHaveProperty('product');
    expect(cleanDetection({ ...base, product: '{"name":"Batik"}' })).not.toHaveProperty('product');
    expect(cleanDetection({ ...base, product: 'Budi 0812 3456 7890' })).not.toHaveProperty('product');
    expect(
      cleanDetection({ ...base, feature: 'checkout', category: 'transaction', product: 'Batik Tulis' }),
    ).not.toHaveProperty('product');
  });
});

describe('elements that hold personal data', () => {
  const doc = new DOMParser().parseFromString(
    `<div id="panel">
      <h2>Alamat pengiriman</h2>
      <div class="recipient-block"><span>Budi Santoso</span></div>
      <p><span>No. HP</span><span>0812 3456 7890</span></p>
      <dl><dt>Alamat</dt><dd>Jl. Slamet Riyadi No. 10</dd></dl>
      <div data-e2e="buyer-name">Siti Rahayu</div>
      <input value="Jl. Merdeka 1" placeholder="Alamat lengkap">
      <textarea>Catatan untuk kurir: rumah cat biru</textarea>
      <select><option selected>Jawa Tengah</option></select>
      <div contenteditable="true">Siti, pagar hitam</div>
      <span class="css-n1-SpanName">Teflon Anti Lengket 24cm</span>
      <div class="product-name">Kemeja Batik Tulis</div>
      <button class="pay-button">Bayar sekarang</button>
    </div>`,
    'text/html',
  );
  const panel = doc.getElementById('panel')!;

  it('reads a container without its form fields and personal blocks', () => {
    const label = safeLabelOf(panel);
    for (const personal of ['Budi', 'Santoso', '0812', 'Slamet', 'Siti', 'Merdeka', 'kurir', 'Jawa Tengah', 'pagar']) {
      expect(label).not.toContain(personal);
    }
    for (const kept of ['Alamat pengiriman', 'Teflon Anti Lengket 24cm', 'Kemeja Batik Tulis', 'Bayar sekarang']) {
      expect(label).toContain(kept);
    }
  });

  it('knows when an element lies inside one', () => {
    expect(insidePersonalElement(doc.querySelector('.recipient-block span')!)).toBe(true);
    expect(insidePersonalElement(doc.querySelector('dd')!)).toBe(true);
    expect(insidePersonalElement(doc.querySelector('.pay-button')!)).toBe(false);
    expect(insidePersonalElement(doc.querySelector('.product-name')!)).toBe(false);
  });

  it('marks redactions with one neutral sign', () => {
    expect(REDACTED).toBe('[…]');
  });
});
