/**
 * The buyers' personal data that the `*-personal-data*` fixture pages show (names, phones,
 * e-mails, addresses, NIK, card numbers). None of it may appear in anything the extension outputs.
 */
const WORDS = [
  'Siti Nurhaliza',
  'Rahmawati',
  'Bambang Hartono',
  'Dewi Lestari',
  'Agus Setiawan',
  'Rina Kartika',
  'Joko Susilo',
  'siti.rahmawati@gmail.com',
  'bambang.hartono@yahoo.co.id',
  'dewi.lestari.putri@outlook.com',
  'agus.setiawan88@gmail.com',
  'rina.kartika@example.co.id',
  'joko.susilo@gmail.com',
  'Kaliurang',
  'Griya Asri',
  'Diponegoro',
  'Gajah Mada',
  'Sudirman',
  'Ahmad Yani',
  'satpam',
  'pagar',
];
/** Phone numbers (without the leading 0 or +62), NIK, card numbers and postcodes, as digits. */
const NUMBERS = [
  '81234567890',
  '85711223344',
  '81398765432',
  '87812345678',
  '81122334455',
  '82155667788',
  '3404071205880003',
  '3174055505920002',
  '3578010101900005',
  '4111111111111111',
  '5500000000000004',
  '55281',
  '17121',
  '40115',
  '50134',
  '12190',
  '60234',
];

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

const YEAR_MS = 365 * 86_400_000;
/**
 * A run of 13 digits within a year of now is a time in milliseconds that the extension wrote
 * itself (firstSeen, lastSeen, updatedAt), not page data: none of the numbers above is one, and
 * looking inside such times made the checks fail whenever the clock read …17121… or …50134….
 */
const isClockTime = (digits: string) => digits.length === 13 && Math.abs(Number(digits) - Date.now()) < YEAR_MS;

/** The personal data of the fixtures that `text` contains (compared without spaces; numbers as digits). */
export function personalDataIn(text: string): string[] {
  const flat = squash(text);
  // Digit runs of the text, each on its own, so separate numbers never join into a false match.
  const runs = (text.match(/\d[\d\s.\-()*]*\d/g) ?? []).map((r) => r.replace(/\D/g, '')).filter((r) => !isClockTime(r));
  return [...WORDS.filter((w) => flat.includes(squash(w))), ...NUMBERS.filter((n) => runs.some((r) => r.includes(n)))];
}
