import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, productQuery } from '@/lib/product-query';

describe('productQuery', () => {
  it.each([
    ['Shop | Batik Tulis Pekalongan', 'Batik Tulis Pekalongan'],
    ['Batik Tulis Pekalongan | Shop', 'Batik Tulis Pekalongan'],
    ['Kaos Polos Cotton Combed · Rp35.000', 'Kaos Polos Cotton Combed'],
    ['Sepatu Lari Pria - Rp 250.000 - 1,2rb terjual', 'Sepatu Lari Pria'],
    ['Produk: Madu Hutan Sumbawa 500 ml', 'Madu Hutan Sumbawa 500 ml'],
    ['“Tas Rotan Bali” (120)', 'Tas Rotan Bali'],
    ['T-Shirt Anak Motif Dino', 'T-Shirt Anak Motif Dino'],
    ['Kopi Gayo Arabika', 'Kopi Gayo Arabika'],
  ])('finds the product in %j', (evidence, expected) => {
    expect(productQuery(evidence)).toBe(expected);
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
  ])('finds no product in %j', (evidence) => {
    expect(productQuery(evidence)).toBeNull();
  });

  it('keeps the longest named part when several are left', () => {
    expect(productQuery('Batik | Kemeja Batik Lengan Panjang')).toBe('Kemeja Batik Lengan Panjang');
  });

  it('cuts long names at a word boundary', () => {
    const long = `Shop | ${'Kain Tenun Ikat Sumba '.repeat(8).trim()}`;
    const q = productQuery(long)!;
    expect(q.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(long).toContain(q);
    expect(q.endsWith(' ')).toBe(false);
    expect(long.slice(long.indexOf(q) + q.length).startsWith(' ')).toBe(true);
  });
});
