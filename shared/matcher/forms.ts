import { charClass, foldCode, isCased, SEP, SKIP, UNSPACED, WORD } from './chars';

/** A surface form as the matcher sees it. */
export interface AnalyzedForm {
  /** The form folded for the trie: lower case, quotes straightened, each separator run as one space. */
  key: string;
  /** The form's characters without separators, in their own case; set when case must match exactly. */
  exact: string | null;
}

/**
 * Splits a form into words on separators and drops invisible characters. Words keep their case.
 */
export function formWords(form: string): string[] {
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < form.length; i++) {
    const c = form.charCodeAt(i);
    const k = charClass(c);
    if (k & SKIP) continue;
    if (k & SEP) {
      if (word) words.push(word);
      word = '';
    } else word += form[i];
  }
  if (word) words.push(word);
  return words;
}

/**
 * Whether a form must match in its own case: a word with a capital after its first letter is an
 * acronym or a symbol (DNA, mRNA, pH, COVID-19), and "ai" or "Dna" in running text is something else.
 */
export function isCaseSensitive(words: readonly string[]): boolean {
  for (const word of words) {
    for (let i = 1; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (isCased(c) && word[i] !== word[i]!.toLowerCase()) return true;
    }
  }
  return false;
}

/** Folds a run of words into a trie key. */
export function foldWords(words: readonly string[]): string {
  return words.map((w) => Array.from(w, (ch) => String.fromCharCode(foldCode(ch.charCodeAt(0)))).join('')).join(' ');
}

/** Analyzes one surface form. */
export function analyzeForm(form: string): AnalyzedForm {
  const words = formWords(form);
  return { key: foldWords(words), exact: isCaseSensitive(words) ? words.join('') : null };
}

/** The identity two forms share when the matcher cannot tell them apart (used by lint). */
export function formIdentity(form: string): string {
  const { key, exact } = analyzeForm(form);
  return exact === null ? key : `${key}\u0000${exact}`;
}

function pluralOf(word: string, acronym: boolean): string | null {
  if (acronym) return /^[A-Z0-9]*[A-Z]$/.test(word) && word.length >= 2 ? `${word}s` : null;
  if (!/[a-z]$/i.test(word) || word.length < 3) return null;
  if (/(?:ss|us|as|x|z|ch|sh)$/i.test(word)) return `${word}es`; // viruses, gases, fluxes
  if (/s$/i.test(word)) return null; // analysis, diabetes: irregular or invariant, aliases say

  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Whether a form is written in a script with spaces (so it needs word boundaries and inflects). */
export function isSpacedForm(form: string): boolean {
  for (let i = 0; i < form.length; i++) {
    const k = charClass(form.charCodeAt(i));
    if (k & UNSPACED) return false;
    if (k & WORD) return true;
  }
  return false;
}

/**
 * The variants a reader writes without thinking: a regular plural of the last word (exoplanets,
 * neurons, LLMs) and, for multiword forms, the words run together (machine learning →
 * machinelearning); hyphens and spaces already match each other in the trie.
 */
export function formVariants(form: string): string[] {
  const words = formWords(form);
  if (words.length === 0 || !isSpacedForm(form)) return [];
  const exact = isCaseSensitive(words);
  const out: string[] = [];
  const last = words[words.length - 1]!;
  const plural = pluralOf(last, exact);
  if (plural) out.push([...words.slice(0, -1), plural].join(' '));
  if (words.length > 1 && words.length <= 3) out.push(words.join(''));
  return out;
}
