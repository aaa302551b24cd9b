import standalone from './standalone-acronyms.json';
import { charClass, isCased, UNSPACED, WORD } from './chars';
import { formIdentity, formWords } from './forms';

/** Candidate flag: the form counts only with context (another term of its entry or fields nearby). */
export const CAND_NEEDS_CONTEXT = 1;
/** Candidate flag: an all-capitals acronym, which means nothing inside an all-capitals headline. */
export const CAND_ACRONYM = 2;

/** Short acronyms a news reader meets in one sense only: they fire without context. */
export const STANDALONE_ACRONYMS: ReadonlySet<string> = new Set(standalone.acronyms);

const shortAcronym = /^[A-Z]{1,3}s?$/;

/**
 * Whether a form is an all-capitals acronym of three letters or fewer (AU, TB, IRA, and plurals such
 * as SMRs): these stand for many things (the African Union, a terabyte, a retirement account), so
 * by default they need context, unless listed in standalone-acronyms.json (DNA, HIV, GPU).
 */
export function isShortAcronym(form: string): boolean {
  return shortAcronym.test(form.trim());
}

/** Whether a form needs context: listed in the entry's `needsContext`, or a short acronym not known to stand alone. */
export function formNeedsContext(form: string, marked: ReadonlySet<string>): boolean {
  if (marked.has(formIdentity(form))) return true;
  const bare = form.trim();
  return isShortAcronym(bare) && !STANDALONE_ACRONYMS.has(bare.replace(/s$/, ''));
}

/** Whether a form is written in capitals only (two letters or more): WHO, NASA, COVID-19. */
export function isShoutedAcronym(form: string): boolean {
  const letters = formWords(form)
    .join('')
    .replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && /^\p{Lu}+s?$/u.test(letters);
}

/** 1 for a capital, 0 for a lower-case letter, -1 for anything else (ASCII fast, the rest by case mapping). */
function caseOf(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 65 && c <= 90) return 1;
  if (c >= 97 && c <= 122) return 0;
  if (c < 128 || !(charClass(c) & WORD) || !isCased(c)) return -1;
  return text[i] === text[i]!.toLowerCase() ? 0 : 1;
}

/** The case of the nearest letter within a few characters on the same line, or -1. */
function neighbourCase(text: string, from: number, step: number): number {
  for (let i = from, n = 0; i >= 0 && i < text.length && n < 8; i += step, n++) {
    if (text.charCodeAt(i) === 10) return -1;
    const k = caseOf(text, i);
    if (k >= 0) return k;
    if (charClass(text.charCodeAt(i)) & UNSPACED) return 0;
  }
  return -1;
}

/**
 * Whether the line around [start, end) is written in capitals (a headline shouting "WHO WILL WIN"):
 * the nearest letters beside the match are not lower case, and outside the match the line has at
 * least six capitals, four in five of its letters (Han characters count as letters that are not
 * capitals, so 用CRISPR技术和AI模型 is not shouting).
 */
export function isShoutedLine(text: string, start: number, end: number): boolean {
  // Most acronyms sit in ordinary text: a lower-case neighbour settles it without reading the line.
  if (neighbourCase(text, start - 1, -1) === 0 || neighbourCase(text, end, 1) === 0) return false;
  let upper = 0;
  let letters = 0;
  const count = (from: number, to: number, step: number) => {
    for (let i = from; i !== to && Math.abs(i - from) < 200; i += step) {
      const c = text.charCodeAt(i);
      if (c === 10) return;
      const k = caseOf(text, i);
      if (k >= 0) {
        letters++;
        upper += k;
      } else if (charClass(c) & UNSPACED) letters++;
    }
  };
  count(start - 1, -1, -1);
  count(end, text.length, 1);
  return upper >= 6 && upper >= letters * 0.8;
}
