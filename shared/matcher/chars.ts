/** Character classes the matcher and the lint rules agree on. One byte per UTF-16 unit, as bit flags. */
export const WORD = 1; // a letter, digit or mark of a script written with spaces (Latin, Greek, Cyrillic…)
export const UNSPACED = 2; // a letter of a script written without spaces (Han, kana, Thai…)
export const SEP = 4; // white space or a hyphen: forms match across any run of these
export const SKIP = 8; // soft hyphen and zero-width characters: invisible, ignored everywhere
export const UNKNOWN = 128;

const unspacedScript =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\u3005\u30fc]/u;
const wordChar = /[\p{L}\p{N}\p{M}]/u;
const sepChar = /[\s\u2010\u2011-]/u;

// Filled lazily: a page in English touches a few hundred distinct units, so the 64 KiB table is
// mostly never computed, and loading a matcher costs nothing here.
const classTable = new Uint8Array(65536).fill(UNKNOWN);
const foldTable = new Uint16Array(65536);

function classify(c: number): number {
  if (c === 0xad || c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff) return SKIP;
  if (c >= 0xd800 && c <= 0xdfff) return 0; // astral characters (emoji, mostly) end words
  const ch = String.fromCharCode(c);
  if (sepChar.test(ch)) return SEP;
  if (unspacedScript.test(ch)) return UNSPACED;
  if (wordChar.test(ch)) return WORD;
  return 0;
}

function foldOf(c: number): number {
  if (c === 0x2018 || c === 0x2019 || c === 0x02bc || c === 0x2032) return 0x27; // curly quotes → '
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

// ASCII and the invisible characters are known up front: the scanner tests for SKIP without a lookup.
for (const c of [...Array(128).keys(), 0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) {
  classTable[c] = classify(c);
  foldTable[c] = foldOf(c);
}

/** The class flags of a UTF-16 code unit. */
export function charClass(c: number): number {
  let k = classTable[c]!;
  if (k === UNKNOWN) {
    k = classify(c);
    classTable[c] = k;
    foldTable[c] = foldOf(c);
  }
  return k;
}

/** A code unit with case and quote variants folded away (call charClass first, or use foldCode). */
export function foldCode(c: number): number {
  if (classTable[c] === UNKNOWN) charClass(c);
  return foldTable[c]!;
}

/** Whether a code unit is a letter that has an upper and a lower case. */
export function isCased(c: number): boolean {
  const ch = String.fromCharCode(c);
  return ch.toLowerCase() !== ch.toUpperCase();
}

/** The shared tables, for the scanner's hot loop (read through charClass first). */
export const tables = { classTable, foldTable } as const;
