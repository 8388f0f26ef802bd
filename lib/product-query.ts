/**
 * A product name to search for on a marketplace, read only from product data: the `product` a
 * detection of an offer feature carries (a product card's or anchor's title, a product page's
 * JSON-LD or og:title, read by the engine where a rule says so). Never from evidence, and never
 * from a checkout, payment or cart feature: those pages show the buyer's name and address.
 *
 * A title is cleaned of prices, discounts, ratings, sold counts and shop words ("Shop | Batik
 * Tulis Pekalongan", "Kaos Polos · Rp35.000 · 4.9 ★"); the name is the longest part left. A title
 * with no name, a link, or anything personal gives `null`: the marketplace links then open each
 * marketplace's home page instead of a search.
 */
import type { Detection } from '../rules/schema';
import { categoryOf } from '../rules/taxonomy';
import { cutAtWord } from './engine/text';
import { redactText } from './redact';

/** Longest query we build; marketplace search boxes cut long queries anyway. */
export const MAX_QUERY_LENGTH = 80;

/** Separators between parts of a label: bars and bullets anywhere, dashes only between spaces. */
const SEPARATOR = /\s*[|·•»›]\s*|\s+[-–—]\s+|:\s+/;

const PRICE = /(?:\b(?:rp|idr|usd|us\$)\s?\.?\s?|\$\s?)\d[\d.,]*(?:\s?(?:rb|ribu|jt|juta|k))?\b/gi;
const SOLD = /\b\d[\d.,]*\s?(?:rb|ribu|k|jt)?\+?\s?(?:terjual|sold|ulasan|reviews?|rating)\b/gi;
const BRACKETED_NUMBER = /[([]\s*\d[\d.,]*\s*(?:rb|ribu|k|jt)?\+?\s*[)\]]/gi;
const DISCOUNT = /(?<![\p{L}\p{N}])-?\d{1,2}\s?%(?:\s?(?:off|diskon))?/giu;
const RATING = /★\s?[0-5](?:[.,]\d)?|(?<![\p{N}.,])[0-5][.,]\d\s?(?=★|\()|★+/gu;

/** Words that name a shop feature, a platform or an action, never a product (id and en). */
const GENERIC = new Set(
  `shop shops toko tiktok tokopedia shopee lazada blibli zalora youtube instagram facebook whatsapp wa
   pinterest x beli buy sekarang now checkout keranjang cart add to tambah tambahkan ke lihat view see
   produk product products detail details pesan order orders via chat bayar pay payment pembayaran live
   shopping belanja link tautan di on in at the a an dan and katalog catalog catalogue etalase storefront
   kunjungi visit klik click tap here sini disini official store mall more selengkapnya gratis ongkir free
   shipping diskon discount promo voucher harga price mulai from dari item items barang sale flash
   message messages kirim send chat business bisnis semua all`
    .split(/\s+/)
    .filter(Boolean),
);

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^www\./i.test(text) || /^[^\s]+\.[a-z]{2,}\/\S*$/i.test(text);
}

function clean(part: string): string {
  return part
    .replace(PRICE, ' ')
    .replace(DISCOUNT, ' ')
    .replace(RATING, ' ')
    .replace(SOLD, ' ')
    .replace(BRACKETED_NUMBER, ' ')
    .replace(/^["'“”‘’«»\s]+|["'“”‘’«»\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function isGeneric(part: string): boolean {
  const words = part.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = part.match(/\p{L}/gu)?.length ?? 0;
  return letters < 3 || words.every((w) => GENERIC.has(w) || /^\d+$/.test(w));
}

/** The product name in a product title, or null when it holds none (or holds personal data). */
export function productName(title: string): string | null {
  const text = title.replace(/\s+/g, ' ').trim();
  if (!text || looksLikeUrl(text) || redactText(text) !== text) return null;
  let best = '';
  for (const raw of text.split(SEPARATOR)) {
    const part = clean(raw);
    if (!isGeneric(part) && part.length > best.length) best = part;
  }
  return best ? cutAtWord(best, MAX_QUERY_LENGTH) : null;
}

/** The search term a detection offers: its product name, for offer features only. */
export function productQuery(detection: Pick<Detection, 'feature' | 'product'>): string | null {
  if (!detection.product || categoryOf(detection.feature) !== 'offer') return null;
  return productName(detection.product);
}
