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

/**
 * Whether the line around [start, end) is written in capitals (a headline shouting "WHO WILL WIN"):
 * at least six capitals outside the match on its line, and four in five of its letters (Han
 * characters count as letters that are not capitals, so 用CRISPR技术和AI模型 is not shouting).
 */
export function isShoutedLine(text: string, start: number, end: number): boolean {
  let upper = 0;
  let letters = 0;
  const count = (from: number, to: number, step: number) => {
    for (let i = from; i !== to && Math.abs(i - from) < 200; i += step) {
      const c = text.charCodeAt(i);
      if (c === 10) return;
      const k = charClass(c);
      if (k & UNSPACED) letters++;
      else if (k & WORD && isCased(c)) {
        letters++;
        if (text[i] !== text[i]!.toLowerCase()) upper++;
      }
    }
  };
  count(start - 1, -1, -1);
  count(end, text.length, 1);
  return upper >= 6 && upper >= letters * 0.8;
}
