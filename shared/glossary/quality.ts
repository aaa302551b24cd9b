import { compileMatcher } from '../matcher/index';
import { formWords, isCaseSensitive, isSpacedForm } from '../matcher/forms';
import commonWords from './common-words.json';
import everydayZh from './everyday-zh.json';
import { formIdentity } from '../matcher/forms';
import { surfaceForms, type CheckOptions } from './lint';
import type { LoadedPack } from './load';
import type { Problem } from './problems';
import { isUnspacedLang, type GlossaryEntry } from './schema';

/** Readability limits: calibrated on the bundled packs so that plain text passes and dense text does not. */
export const READABILITY = {
  enShortWordsPerSentence: 25,
  enLongWordsPerSentence: 28,
  enShortLongWordShare: 0.4,
  zhShortSentenceChars: 50,
  zhLongSentenceChars: 70,
} as const;

/** Ordinary English words never matched as a single-word form (see common-words.json for the policy). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(commonWords.en);

/** The most frequent Chinese words of news (from jieba's dictionary): as a form, each needs context. */
export const EVERYDAY_ZH: ReadonlySet<string> = new Set(everydayZh.words);

/** Everyday Chinese words the gap finder never proposes. */
export const COMMON_WORDS_ZH: readonly string[] = commonWords['zh-Hans'];

const wordsOf = (text: string) => text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
const sentencesEn = (text: string) => text.split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/).filter((s) => wordsOf(s).length > 0);
const sentencesZh = (text: string) =>
  text
    .split(/[。！？；]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Syllables in an English word, estimated from vowel groups (enough to spot long words). */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  let n = (w.match(/[aeiouy]+/g) ?? []).length;
  if (n > 1 && w.endsWith('e') && !w.endsWith('le')) n--;
  return Math.max(1, n);
}

function readability(entry: GlossaryEntry, lang: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (isUnspacedLang(lang)) {
    const check = (key: 'short' | 'long', max: number) => {
      const longest = Math.max(...sentencesZh(entry[key]).map((s) => [...s].length));
      if (longest > max)
        out.push({
          path: key,
          message: `a sentence of ${longest} characters is hard to read (keep each under ${max})`,
        });
    };
    check('short', READABILITY.zhShortSentenceChars);
    check('long', READABILITY.zhLongSentenceChars);
    return out;
  }
  const avg = (text: string) => {
    const s = sentencesEn(text);
    return s.length === 0 ? 0 : wordsOf(text).length / s.length;
  };
  const shortAvg = avg(entry.short);
  if (shortAvg > READABILITY.enShortWordsPerSentence)
    out.push({
      path: 'short',
      message: `sentences average ${shortAvg.toFixed(0)} words (keep under ${READABILITY.enShortWordsPerSentence})`,
    });
  const longAvg = avg(entry.long);
  if (longAvg > READABILITY.enLongWordsPerSentence)
    out.push({
      path: 'long',
      message: `sentences average ${longAvg.toFixed(0)} words (keep under ${READABILITY.enLongWordsPerSentence})`,
    });
  const words = wordsOf(entry.short);
  const share = words.filter((w) => syllables(w) >= 3).length / Math.max(1, words.length);
  if (words.length >= 6 && share > READABILITY.enShortLongWordShare) {
    out.push({
      path: 'short',
      message: `${Math.round(share * 100)}% of its words have three or more syllables (keep under ${READABILITY.enShortLongWordShare * 100}%): use plainer words`,
    });
  }
  return out;
}

const normalized = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();

/**
 * The quality rules of the glossary, beyond its shape: readability, explanations that start by
 * repeating the term, duplicated explanations, everyday words as forms (English: never; Chinese:
 * only with context), and a `short` that leans on a
 * more specialist glossary term without linking it in `related`.
 */
export function qualityProblems(packs: readonly LoadedPack[], options: CheckOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const langs = [...new Set(packs.map((p) => p.pack.lang))];
  for (const lang of langs) {
    const inLang = packs.filter((p) => p.pack.lang === lang);
    const matcher = options.matchers?.get(lang) ?? compileMatcher(inLang.map((p) => p.pack));
    const levelOf = new Map(inLang.flatMap((p) => p.pack.entries.map((e) => [e.id, e.level] as const)));
    const seenShort = new Map<string, string>();
    const seenLong = new Map<string, string>();
    for (const { file, pack } of inLang) {
      const checked = !options.only || options.only(file);
      pack.entries.forEach((entry, index) => {
        if (!checked) {
          // Context only: its texts are what a checked entry must not repeat.
          for (const [key, seen] of [
            ['short', seenShort],
            ['long', seenLong],
          ] as const)
            if (!seen.has(normalized(entry[key]))) seen.set(normalized(entry[key]), entry.id);
          return;
        }
        const at = (key: string, message: string) => problems.push({ file, path: ['entries', index, key], message });
        for (const r of readability(entry, lang)) at(r.path, r.message);
        const [first] = matcher.find(entry.long);
        if (first?.id === entry.id && /^(?:(?:an?|the)\s+)?$/i.test(entry.long.slice(0, first.start))) {
          at('long', `starts by repeating "${first.text}": start with what it does or why it matters`);
        }
        const withContext = new Set((entry.needsContext ?? []).map(formIdentity));
        surfaceForms(entry).forEach((form, i) => {
          if (EVERYDAY_ZH.has(form.trim()) && !withContext.has(formIdentity(form))) {
            problems.push({
              file,
              path: ['entries', index, ...(i === 0 ? ['term'] : ['aliases', i - 1])],
              message: `"${form}" is an everyday Chinese word (everyday-zh.json) with senses outside science: list it in needsContext, or use the specific longer term`,
            });
          }
          const words = formWords(form);
          if (
            words.length === 1 &&
            isSpacedForm(form) &&
            !isCaseSensitive(words) &&
            COMMON_WORDS.has(words[0]!.toLowerCase())
          ) {
            problems.push({
              file,
              path: ['entries', index, ...(i === 0 ? ['term'] : ['aliases', i - 1])],
              message: `"${form}" is an everyday word and would be matched in its everyday sense: use the specific multiword term`,
            });
          }
        });
        for (const [key, seen] of [
          ['short', seenShort],
          ['long', seenLong],
        ] as const) {
          const text = normalized(entry[key]);
          const first = seen.get(text);
          if (first) at(key, `same explanation as "${first}"`);
          else seen.set(text, entry.id);
        }
        for (const m of matcher.find(entry.short, { langs: new Set([lang]) })) {
          const level = levelOf.get(m.id);
          if (m.id !== entry.id && level !== undefined && level > entry.level && !entry.related.includes(m.id)) {
            at(
              'short',
              `uses "${m.text}" (level ${level}, above this entry's ${entry.level}) without linking "${m.id}" in related`,
            );
          }
        }
      });
    }
  }
  return problems;
}
