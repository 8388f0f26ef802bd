/**
 * Evidence describes features, never people. Checkout, cart, payment and order pages are where a
 * buyer's name, phone number, e-mail, address, NIK and card number sit, so everything that leaves
 * a page as evidence passes through here:
 *
 * - `redactText`: phone numbers, e-mail addresses, payment card numbers, NIK, street addresses
 *   ("Jl. …") and labelled values ("Penerima: …", "Alamat: …") become `[…]`; a string that would
 *   be mostly personal becomes ''.
 * - `isPersonalElement`: form fields and elements whose attributes or visible label say they hold
 *   a name, address, phone or e-mail; their text is never read for evidence.
 * - `linkShape`: a link as its host and the path words a rule matched (`shopee.co.id/…`).
 * - `cleanEvidence`: the last gate, applied where the background stores and shows (it trusts no
 *   content script; lib/detection-gate.ts): the same rules on a finished string.
 *
 * Pure: DOM elements are read, never written; no extension APIs.
 */
import type { FeatureKind } from '../rules/schema';
import { MAX_EVIDENCE_LENGTH } from '../rules/taxonomy';

/** What a redacted part becomes. */
export const REDACTED = '[…]';
/** Longest label shown whole as evidence; a longer one is a container, shown by its matched part. */
export const MAX_LABEL_EVIDENCE = 100;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * A run of digit groups (masks `*`, `•`, `x` count as digits) joined by spaces, dots, dashes or
 * brackets, not glued to a word before it. The separator and digit classes do not overlap, so the
 * run is found in linear time.
 */
const NUMBER_RUN = /(?<![\p{L}\p{N}])\+?\(?[\d*•][\d*•xX]*(?:[ .\-()]{1,3}[\d*•xX]+)*/gu;
/** A currency just before a number makes it a price, which stays. */
const CURRENCY_BEFORE = /(?:rp|idr|usd|us\$|sgd|myr|rm|\$|€|£|¥)\.?\s?\(?$/i;

/**
 * "Label: value" where the label names personal data (Indonesian and English); the value runs to
 * the next separator (· | •) or the end.
 */
const LABELLED =
  /(?<![\p{L}])((?:nama(?: (?:lengkap|penerima|pembeli|pemesan|pemilik kartu))?|penerima|pembeli|pemesan|alamat(?: (?:pengiriman|lengkap|penagihan|rumah|email|surel))?|dikirim ke|kirim ke|(?:no(?:mor)?\.? ?)?(?:hp|telp|telepon|ponsel|handphone|wa|whatsapp)|surel|e-?mail|nik|no\.? ?ktp|(?:no(?:mor)?\.? )?kartu|(?:full |first |last )?name|recipient|receiver|ship(?:ping)? to|deliver(?:y)? to|(?:shipping |billing |delivery |home )?address|phone(?: number)?|mobile(?: number)?|tel|contact|card(?: number)?|card ?holder|buyer|customer)\s*[:：]\s*)[^·|•]+/giu;

/** A street address as Indonesian pages write it: "Jl. …", "Jln …", "Gg. …", up to the next separator. */
const STREET = /(?<![\p{L}])(?:Jln?|JL|Gg)\.?\s[^·|•]+/gu;
/** "RT 03/RW 07": the neighbourhood unit of an address. */
const RT_RW = /(?<![\p{L}])RT\.?\s?\d{1,3}\s?\/\s?RW\.?\s?\d{1,3}/giu;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether a run of digits found by NUMBER_RUN is a phone number, a NIK or a card number. */
export function isPersonalNumber(run: string): boolean {
  const digits = run.replace(/[^\d*•xX]/g, '');
  const n = digits.length;
  const masked = /[*•xX]/.test(digits);
  if (masked) return n >= 8 && /\d/.test(digits); // "0812****789", "**** **** **** 4242"
  if (n === 16) return true; // NIK (and most cards)
  if (n >= 13 && n <= 19 && luhn(digits)) return true; // payment card
  const start = run.replace(/^[(\s]+/, '');
  if (start.startsWith('+')) return n >= 8 && n <= 15; // international form: +62 812…, +1 415…
  if (/^62[1-9]/.test(digits)) return n >= 10 && n <= 15; // 62812…
  if (/^0[1-9]/.test(digits)) return n >= 9 && n <= 15; // 0812…, (021) 555…
  return false;
}

/** Fewer letters than this left after redaction, and the string says nothing but "someone". */
const MIN_KEPT_LETTERS = 6;

function letterCount(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * `text` with phone numbers, e-mail addresses, card numbers, NIK and labelled personal values
 * replaced by `[…]`; '' when most of it was personal (or nothing readable is left).
 */
export function redactText(text: string): string {
  if (!text) return '';
  // Cheap exits for the common case: no digits, no @ and no colon means nothing to look for.
  if (!/[\d@:：]|J[lL]n?\.?\s|Gg\.?\s/.test(text)) return text;
  let out = text.replace(EMAIL, REDACTED).replace(STREET, `${REDACTED} `).replace(RT_RW, REDACTED);
  out = out.replace(NUMBER_RUN, (run: string, offset: number, whole: string) => {
    if (!isPersonalNumber(run)) return run;
    if (CURRENCY_BEFORE.test(whole.slice(Math.max(0, offset - 5), offset))) return run;
    return REDACTED;
  });
  out = out.replace(LABELLED, (_m, label: string) => `${label}${REDACTED} `).trimEnd();
  if (out === text) return text;
  out = out.replace(/(?:\[…\][\s,;.\-/·•|]*){2,}/g, `${REDACTED} `).trim();
  // Mostly personal: too few letters left to say anything, or far more taken out than kept.
  const kept = letterCount(out);
  if (kept < MIN_KEPT_LETTERS || text.length - out.length > 3 * kept) return '';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Elements that hold personal data
// ---------------------------------------------------------------------------------------------

const FORM_FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'DATALIST', 'OUTPUT']);

/** Attribute words that say an element holds a person's details (any language the platforms use). */
const PERSONAL_WORDS = new Set(
  `alamat address addr street jalan penerima recipient receiver consignee buyer pembeli pemesan customer
   pelanggan telepon telp phone tel msisdn hp ponsel handphone email mail surel nik ktp kartu cc postal
   postcode zip kodepos kecamatan kelurahan username fullname firstname lastname nickname`
    .split(/\s+/)
    .filter(Boolean),
);
/** "name"/"nama" is personal unless it names a thing (a product's or a shop's name). */
const NAME_WORDS = new Set(['name', 'nama']);
const THING_WORDS = new Set(
  `product produk item barang goods shop toko store seller penjual merchant brand merek title judul sku
   variant varian category kategori file class tag page channel app host domain font icon group grup ecom
   anchor card listing offer deal video music sound playlist hashtag event campaign collection catalog
   katalog menu tab nav button btn`
    .split(/\s+/)
    .filter(Boolean),
);
/**
 * Most characters of such an attribute that are split into words. Ids, classes and test ids that
 * name a field say so near their start; a page can set megabytes, and splitting 1 MB took about
 * 100 ms in one task (the hostile suite).
 */
const MAX_NAMING_ATTRIBUTE_CHARS = 4096;
const ATTRIBUTES = ['id', 'name', 'class', 'for', 'aria-label', 'data-e2e', 'data-testid', 'data-test-id', 'itemprop'];

/** A short visible label that announces personal data in the element after it ("Alamat", "No. HP"). */
const PERSONAL_LABEL =
  /^(?:nama(?: (?:lengkap|penerima|pembeli|pemesan))?|penerima|pembeli|alamat(?: \p{L}+)?|dikirim ke|kirim ke|(?:no(?:mor)?\.? ?)?(?:hp|telp|telepon|ponsel|wa|whatsapp)|surel|e-?mail|nik|no\.? ?ktp|nomor kartu|(?:full )?name|recipient|ship(?:ping)? to|(?:shipping |billing |delivery )?address|phone(?: number)?|mobile|contact|card number)\s*[:：]?$/iu;

function words(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * True when the words of an attribute value say it holds a person's details. A bare "name" counts
 * only where `names` is set: hashed class names ("SpanName") and microdata (`itemprop="name"`)
 * use it for products too.
 */
export function personalWords(value: string, names = true): boolean {
  const list = words(value);
  let name = false;
  let thing = false;
  for (const w of list) {
    if (PERSONAL_WORDS.has(w)) return true;
    if (NAME_WORDS.has(w)) name = true;
    else if (THING_WORDS.has(w)) thing = true;
  }
  return names && name && !thing;
}

/**
 * The text of a small label element (a text node or two), '' for anything bigger and for a label
 * around its own form field (it labels that field, not what follows).
 */
function ownShortText(el: Element): string {
  if (el.childElementCount > 1) return '';
  if (el.firstElementChild && FORM_FIELDS.has(el.firstElementChild.tagName)) return '';
  const text = el.textContent ?? '';
  return text.length > 40 ? '' : text.replace(/\s+/g, ' ').trim();
}

/**
 * True for a form field, an editable element, an element whose id, class, name, aria-label or
 * test ids say name, address, phone, e-mail, NIK or card, and an element right after a visible
 * label that says so (`<dt>Alamat</dt><dd>…</dd>`).
 */
export function isPersonalElement(el: Element): boolean {
  if (FORM_FIELDS.has(el.tagName)) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  if (el.getAttribute('autocomplete')) return true;
  for (const name of ATTRIBUTES) {
    const value = el.getAttribute(name)?.slice(0, MAX_NAMING_ATTRIBUTE_CHARS);
    if (value && personalWords(value, name !== 'class' && name !== 'itemprop')) return true;
  }
  const before = el.previousElementSibling;
  return before !== null && PERSONAL_LABEL.test(ownShortText(before));
}

/** True when `el` or an element around it holds personal data. */
export function insidePersonalElement(el: Element): boolean {
  for (let node: Element | null = el; node && node.tagName !== 'BODY'; node = node.parentElement) {
    if (isPersonalElement(node)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Links and the last gate
// ---------------------------------------------------------------------------------------------

/** A path word a link shape may keep: letters, `-` and `_`, no digits (ids, phones, codes go). */
const PATH_WORD = /^[a-z][a-z_-]{0,23}$/i;

/**
 * A link as its host and path shape: the host, the path words that `matchedLength` characters of a
 * rule's match covered up to their last `/`, then `…` for whatever follows (a shop name, a
 * product id, a phone number, a query string). `https://shopee.co.id/toko?x=1` → `shopee.co.id/…`;
 * with a match of `https://www.tiktok.com/view/product/1` → `tiktok.com/view/product/…`.
 */
export function linkShape(link: string, matchedLength = 0): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '';
  const host = url.hostname.replace(/^www\./, '');
  const hostEnd = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(link)?.[0].length ?? link.length;
  const covered = link.slice(hostEnd, Math.max(hostEnd, matchedLength));
  // Words the match covered whole: up to its last '/', or to its end when the link's path word
  // ends there too.
  const next = link.charAt(hostEnd + covered.length);
  const whole =
    next === '' || next === '/' || next === '?' || next === '#'
      ? covered
      : covered.slice(0, covered.lastIndexOf('/') + 1);
  const kept: string[] = [];
  for (const word of whole.split(/[?#]/)[0].split('/').slice(1)) {
    if (!PATH_WORD.test(word)) break;
    kept.push(word);
  }
  const shown = kept.length ? `/${kept.join('/')}` : '';
  const rest = (url.pathname + url.search + url.hash).slice(shown.length);
  return rest && rest !== '/' ? `${host}${shown}/…` : `${host}${shown}`;
}

/**
 * The shape of a link written out as text ("https:// shopee.co.id/toko …", "tokopedia.link/abc"),
 * or '' when `text` is not one.
 */
export function linkTextShape(text: string): string {
  const m = /^(?:https?:\/\/\s?)?((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(\/\S*)?(?:\s|$)/i.exec(text);
  if (!m || (!m[2] && !/^https?:/i.test(text))) return '';
  return linkShape(`https://${m[1]}${m[2] ?? '/'}`) || '';
}

/** Evidence for a feature when nothing safe is left to show: the feature's own id. */
export function featureEvidence(feature: FeatureKind): string {
  return `feature: ${feature}`;
}

/** Text that is page data (JSON) rather than a label. */
export function looksLikeData(text: string): boolean {
  return /[{[]\s*"|"\s*:\s*["{[\d tfn]|\\"/.test(text);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return (space > max * 0.6 ? head.slice(0, space) : head) + '…';
}

/**
 * The last gate for evidence, wherever it comes from (a content script, an old record, an
 * imported file): page data becomes a fixed description, a full link its shape, personal data
 * is redacted, and what is left is at most 120 characters; '' stays ''.
 */
export function cleanEvidence(evidence: string, feature: FeatureKind): string {
  const text = evidence.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  if (looksLikeData(text)) return `page data: ${feature}`;
  if (/^https?:\/\//i.test(text)) return linkShape(text) || linkTextShape(text) || featureEvidence(feature);
  return cut(redactText(text), MAX_EVIDENCE_LENGTH) || featureEvidence(feature);
}

/**
 * Evidence kept before evidence was made of labels (research log version 1): the last gate, and a
 * long excerpt, which was a container's whole text, becomes the feature's id.
 */
export function legacyEvidence(evidence: string, feature: FeatureKind): string {
  const clean = cleanEvidence(evidence, feature);
  return clean.length > MAX_LABEL_EVIDENCE ? featureEvidence(feature) : clean;
}
