import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, productName, productQuery } from '@/lib/product-query';
import { productOf, productTitle } from '@/lib/engine/product';
import type { RuleInfo } from '@/lib/engine/signals';
import { MAX_PRODUCT_LENGTH } from '@/rules/taxonomy';

describe('productName', () => {
  it.each([
    ['Shop | Batik Tulis Pekalongan', 'Batik Tulis Pekalongan'],
    ['Batik Tulis Pekalongan | Shop', 'Batik Tulis Pekalongan'],
    ['Kaos Polos Cotton Combed · Rp35.000', 'Kaos Polos Cotton Combed'],
    ['Sepatu Lari Pria - Rp 250.000 - 1,2rb terjual', 'Sepatu Lari Pria'],
    ['Produk: Madu Hutan Sumbawa 500 ml', 'Madu Hutan Sumbawa 500 ml'],
    ['“Tas Rotan Bali” (120)', 'Tas Rotan Bali'],
    ['T-Shirt Anak Motif Dino', 'T-Shirt Anak Motif Dino'],
    ['Kopi Gayo Arabika', 'Kopi Gayo Arabika'],
    ['Kemeja Batik Tulis Parang Rp189.000 Rp250.000 -24% 4.9 (1,2 rb)', 'Kemeja Batik Tulis Parang'],
    ['iPhone 15 Pro 256GB · 4,8 ★ · 3rb+ terjual', 'iPhone 15 Pro 256GB'],
    ['Kaos 30s Combed ★★★★★', 'Kaos 30s Combed'],
    ['Power Bank 20000mAh -15%', 'Power Bank 20000mAh'],
  ])('finds the product in %j', (evidence, expected) => {
    expect(productName(evidence)).toBe(expected);
  });

  it.each([
    'Shop',
    'Shop | Tokopedia',
    'Beli sekarang',
    'Add to cart',
    'Checkout',
    'Tambah ke keranjang',
    'Pesan via WhatsApp',
    'Rp 150.000',
    '',
    '   ',
    'https://shopee.co.id/product/123/456?utm_source=tiktok',
    'www.tokopedia.com/toko/batik',
    'tokopedia.link/AbCdEf',
    'Kirim pesan',
    'Budi Santoso 0812-3456-7890',
    'Kado untuk budi@example.co.id',
  ])('finds no product in %j', (evidence) => {
    expect(productName(evidence)).toBeNull();
  });

  it('keeps the longest named part when several are left', () => {
    expect(productName('Batik | Kemeja Batik Lengan Panjang')).toBe('Kemeja Batik Lengan Panjang');
  });

  it('cuts long names at a word boundary', () => {
    const long = `Shop | ${'Kain Tenun Ikat Sumba '.repeat(8).trim()}`;
    const q = productName(long)!;
    expect(q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(long).toContain(q);
    expect(q.endsWith(' ')).toBe(false);
    expect(long.slice(long.indexOf(q) + q.length).startsWith(' ')).toBe(true);
  });
});

describe('productTitle, the page side', () => {
  it('gives the title as one line, cut at a word, and nothing with personal data in it', () => {
    expect(productTitle(' Kemeja  Batik\n Parang · Rp189.000 ')).toBe('Kemeja Batik Parang · Rp189.000');
    const long = `Kemeja ${'batik '.repeat(20)}`;
    const title = productTitle(long)!;
    expect(title.length).toBeLessThanOrEqual(MAX_PRODUCT_LENGTH);
    expect(long.startsWith(`${title} `)).toBe(true);
    expect(productTitle('Pesanan Budi 0812-3456-7890')).toBeNull();
    expect(productTitle('  ')).toBeNull();
  });

  it("takes a product page's name from the first part of its og:title, not the site after it", () => {
    const doc = new DOMParser().parseFromString(
      '<head><meta property="og:title" content="Kemeja Batik Tulis Parang - Rumah Batik Solo | TikTok Shop"></head><a>x</a>',
      'text/html',
    );
    const rule = { id: 'p', platform: 'tiktok', feature: 'product-page', product: { metadata: true } } as RuleInfo;
    expect(productOf({ rule, category: 'offer' }, doc.querySelector('a')!)).toBe('Kemeja Batik Tulis Parang');
  });
});

describe('productQuery', () => {
  it('searches only for the product name an offer carries', () => {
    expect(productQuery({ feature: 'product-tag', product: 'Shop | Batik Tulis' })).toBe('Batik Tulis');
    expect(productQuery({ feature: 'product-page', product: 'Tas Rotan Bali Rp185.000' })).toBe('Tas Rotan Bali');
    expect(productQuery({ feature: 'product-tag' })).toBeNull();
  });

  it.each(['checkout', 'payment', 'cart', 'buy-button'] as const)('never searches from a %s feature', (feature) => {
    expect(productQuery({ feature, product: 'Batik Tulis Pekalongan' })).toBeNull();
  });
});
