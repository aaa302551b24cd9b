import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedPack } from '../../shared/glossary/load';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { isHanOnly, segmentationBlockers, type SegmentationDictionary } from '../../shared/matcher/blockers';
import { compileMatcher, type CompileOptions, type Matcher } from '../../shared/matcher';

/** One word of jieba's dictionary and its frequency in jieba's corpus. */
export interface DictionaryWord {
  word: string;
  freq: number;
}

/**
 * Dictionary words rarer than this do not compete with forms: jieba's dictionary lists some
 * 350,000 words, most of them rare compounds whose blockers would cost more matcher than they save.
 */
export const BLOCKER_MIN_FREQ = Number(process.env.SCIPOP_BLOCKER_MIN_FREQ ?? 100);

let cached: DictionaryWord[] | null = null;

/** The segmentation dictionary that jieba ships (read from the @node-rs/jieba package; build time only). */
export function jiebaDictionary(): DictionaryWord[] {
  if (cached) return cached;
  const file = dictFile();
  const words: DictionaryWord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [word, freq] = line.split(' ');
    if (word && freq) words.push({ word, freq: Number(freq) });
  }
  cached = words;
  return words;
}

const dictFile = () => createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/scipop/', import.meta.url));

/**
 * The blockers for the unspaced-script forms of these packs (see segmentationBlockers). Computing
 * them reads jieba's 5 MB dictionary and takes seconds, so the result is kept in
 * node_modules/.cache/scipop, keyed by the forms, the dictionary and the threshold: a bot restart
 * or a second build with the same glossary reads it back in milliseconds.
 */
export function zhBlockers(packs: readonly GlossaryPack[]): string[] {
  // Only the Han-only forms decide the blockers (segmentationBlockers ignores the rest), so the
  // key holds just them: a glossary change in English (every approval of an English term, in the
  // bots' community layer) reuses the cached result, and packs without such forms need none.
  const forms = [
    ...new Set(
      packs
        .flatMap((p) => p.entries.flatMap((e) => [e.term, ...e.aliases]))
        .filter((f) => f.length >= 2 && isHanOnly(f)),
    ),
  ].sort();
  if (forms.length === 0) return [];
  const dict = statSync(dictFile());
  const key = createHash('sha256')
    .update(JSON.stringify([BLOCKER_VERSION, BLOCKER_MIN_FREQ, dict.size, dict.mtimeMs, forms]))
    .digest('hex')
    .slice(0, 24);
  const file = join(CACHE_DIR, `zh-blockers-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as string[];
  } catch {
    // Not computed yet for this glossary: compute and keep it.
  }
  const blockers = segmentationBlockers(forms, segmentationDictionary(), BLOCKER_MIN_FREQ);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(blockers));
    renameSync(tmp, file);
  } catch {
    // A read-only tree only loses the cache.
  }
  return blockers;
}

/** Bumped when segmentationBlockers changes what it computes, so cached results are not reused. */
const BLOCKER_VERSION = 1;

let dictCache: SegmentationDictionary | null = null;

/** jieba's dictionary as frequencies. */
export function segmentationDictionary(): SegmentationDictionary {
  if (dictCache) return dictCache;
  const freq = new Map<string, number>();
  let total = 0;
  for (const { word, freq: f } of jiebaDictionary()) {
    total += f;
    if (f >= 3) freq.set(word, Math.max(f, freq.get(word) ?? 0));
  }
  dictCache = { freq, total };
  return dictCache;
}

/** What compiling the bundled glossary adds to its packs: the Chinese word-boundary blockers. */
export function bundledCompileOptions(packs: readonly GlossaryPack[]): CompileOptions {
  return { blockers: zhBlockers(packs) };
}

/** Compiles packs as the bots and the extension ship them: with the word-boundary blockers. */
export function compileGlossaryMatcher(packs: readonly (GlossaryPack | LoadedPack)[]): Matcher {
  const plain = packs.map((p) => ('pack' in p ? p.pack : p));
  return compileMatcher(plain, bundledCompileOptions(plain));
}

/** How many of jieba's most frequent words count as everyday Chinese (see everyday-zh.json). */
export const EVERYDAY_ZH_COUNT = 3000;

/**
 * The most frequent words of two Han characters or more in jieba's dictionary, most frequent
 * first: the everyday vocabulary of Chinese news, written to shared/glossary/everyday-zh.json.
 */
export function everydayChineseWords(count: number = EVERYDAY_ZH_COUNT): string[] {
  const best = new Map<string, number>();
  for (const { word, freq } of jiebaDictionary()) {
    if (word.length >= 2 && /^\p{Script=Han}+$/u.test(word)) best.set(word, Math.max(freq, best.get(word) ?? 0));
  }
  return [...best]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([word]) => word);
}
