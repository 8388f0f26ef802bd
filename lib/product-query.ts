/**
 * A product name to search for on a marketplace, read from a detection's evidence.
 *
 * Evidence is a short excerpt of a label or a link ("Shop | Batik Tulis Pekalongan",
 * "Kaos Polos · Rp35.000", "Beli sekarang", "https://…"). The name is the longest part that is not
 * a generic shop word, a price or a sales count. Links and labels with no name give `null`: a
 * search for "Beli sekarang" helps nobody, and a URL may carry tracking parameters.
 */

/** Longest query we build; marketplace search boxes cut long queries anyway. */
export const MAX_QUERY_LENGTH = 80;

/** Separators between parts of a label: bars and bullets anywhere, dashes only between spaces. */
const SEPARATOR = /\s*[|·•»›]\s*|\s+[-–—]\s+|:\s+/;

const PRICE = /(?:\b(?:rp|idr|usd|us\$)\s?\.?\s?|\$\s?)\d[\d.,]*(?:\s?(?:rb|ribu|jt|juta|k))?\b/gi;
const SOLD = /\b\d[\d.,]*\s?(?:rb|ribu|k|jt)?\+?\s?(?:terjual|sold|ulasan|reviews?|rating)\b/gi;
const BRACKETED_NUMBER = /[([]\s*\d[\d.,]*\s*[)\]]/g;

/** Words that name a shop feature, a platform or an action, never a product (id and en). */
const GENERIC = new Set(
  `shop shops toko tiktok tokopedia shopee lazada blibli zalora youtube instagram facebook whatsapp wa
   pinterest x beli buy sekarang now checkout keranjang cart add to tambah tambahkan ke lihat view see
   produk product products detail details pesan order orders via chat bayar pay payment pembayaran live
   shopping belanja link tautan di on in at the a an dan and katalog catalog catalogue etalase storefront
   kunjungi visit klik click tap here sini disini official store mall more selengkapnya gratis ongkir free
   shipping diskon discount promo voucher harga price mulai from dari item items barang sale flash`
    .split(/\s+/)
    .filter(Boolean),
);

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^www\./i.test(text) || /^[^\s]+\.[a-z]{2,}\/\S*$/i.test(text);
}

function clean(part: string): string {
  return part
    .replace(PRICE, ' ')
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

function truncate(text: string): string {
  if (text.length <= MAX_QUERY_LENGTH) return text;
  const cut = text.slice(0, MAX_QUERY_LENGTH + 1);
  const space = cut.lastIndexOf(' ');
  return (space > MAX_QUERY_LENGTH / 2 ? cut.slice(0, space) : cut.slice(0, MAX_QUERY_LENGTH)).trim();
}

/** The product name in `evidence`, or null when it holds none. */
export function productQuery(evidence: string): string | null {
  const text = evidence.replace(/\s+/g, ' ').trim();
  if (!text || looksLikeUrl(text)) return null;
  let best = '';
  for (const raw of text.split(SEPARATOR)) {
    const part = clean(raw);
    if (!isGeneric(part) && part.length > best.length) best = part;
  }
  return best ? truncate(best) : null;
}
