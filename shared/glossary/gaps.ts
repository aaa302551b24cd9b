import type { Matcher } from '../matcher/index';

/** A phrase that appears in the texts, looks technical, and has no glossary entry. */
export interface GapCandidate {
  text: string;
  kind: 'acronym' | 'name' | 'phrase' | 'word' | 'zh';
  /** Occurrences over all texts. */
  count: number;
  /** How many texts it occurs in: a term across many sources matters more than one repeated. */
  docs: number;
  score: number;
}

/** What the gap finder needs beyond the texts. */
export interface GapOptions {
  /** The compiled glossary: candidates it already explains are left out. */
  matcher: Pick<Matcher, 'find'>;
  /** Ordinary English words (lower case): never a candidate on their own, nor inside an n-gram. */
  commonWords: ReadonlySet<string>;
  /** Everyday Chinese words: an n-gram containing one is not a candidate. */
  commonZh?: readonly string[];
  /** How many candidates to return (default 50). */
  limit?: number;
  /** Fewest occurrences for an n-gram to count (default 2). */
  minCount?: number;
}

// Characters so frequent in Chinese that an n-gram containing one is rarely a term on its own.
const ZH_FUNCTION_CHARS = new Set(
  '的了是在和有我你他她它这那中为上下个们以要到时来用地就也而与及等被将对从把让给向于之其所此已都很更最并还又或但如若因由没不会能可说年月日第一二三四五六七八九十多少大小前后里外再只该些种样么吗呢吧啊着过得今本新'.split(
    '',
  ),
);
const ACRONYM_STOP = new Set([
  'I',
  'II',
  'III',
  'IV',
  'VI',
  'VII',
  'VIII',
  'IX',
  'XI',
  'XII',
  'US',
  'UK',
  'EU',
  'UN',
  'TV',
  'AM',
  'PM',
  'OK',
  'CEO',
  'BBC',
  'CNN',
  'THE',
  'AND',
]);
const NAME_JOINERS = new Set(['of', 'de', 'for', 'the', 'and']);

interface Tally {
  kind: GapCandidate['kind'];
  count: number;
  docs: Set<number>;
}

function addTo(tallies: Map<string, Tally>, text: string, kind: GapCandidate['kind'], doc: number): void {
  let t = tallies.get(text);
  if (!t) tallies.set(text, (t = { kind, count: 0, docs: new Set() }));
  t.count++;
  t.docs.add(doc);
}

/** Whether a word is an ordinary one once a plural or verb ending is taken off (problems, released, developers). */
function isCommon(word: string, common: ReadonlySet<string>): boolean {
  if (common.has(word)) return true;
  const stems = [
    word.replace(/ies$/, 'y'),
    word.replace(/e?s$/, ''),
    word.replace(/s$/, ''),
    word.replace(/e?d$/, ''),
    word.replace(/d$/, ''),
    word.replace(/ing$/, ''),
    word.replace(/ing$/, 'e'),
    word.replace(/ers?$/, ''),
    word.replace(/ers?$/, 'e'),
    word.replace(/ly$/, ''),
    word.replace(/ally$/, ''),
    word.replace(/ment$/, ''),
  ];
  return stems.some((s) => s !== word && s.length >= 3 && common.has(s));
}

function englishCandidates(text: string, doc: number, common: ReadonlySet<string>, tallies: Map<string, Tally>): void {
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])[A-Z][A-Z0-9]{1,6}(?![\p{L}\p{N}])/gu)) {
    if (!ACRONYM_STOP.has(m[0]) && /[A-Z].*[A-Z]/.test(m[0])) addTo(tallies, m[0], 'acronym', doc);
  }
  for (const sentence of text.split(/(?<=[.!?:;])\s+|\n+/)) {
    const words = sentence.match(/[\p{L}][\p{L}\p{N}'’-]*/gu) ?? [];
    // Capitalized runs not at the start of the sentence: names of missions, instruments, diseases.
    let run: string[] = [];
    const flush = () => {
      while (run.length > 0 && NAME_JOINERS.has(run[run.length - 1]!)) run.pop();
      if (run.length >= 2 && run.length <= 5) addTo(tallies, run.join(' '), 'name', doc);
      run = [];
    };
    words.forEach((w, i) => {
      if (i > 0 && /^\p{Lu}\p{Ll}/u.test(w)) run.push(w);
      else if (run.length > 0 && NAME_JOINERS.has(w)) run.push(w);
      else flush();
    });
    flush();
    // Runs of uncommon lower-case words: one to three words long.
    const lower = words.map((w) => (/^\p{Ll}[\p{Ll}-]*$/u.test(w) && w.length >= 4 && !isCommon(w, common) ? w : null));
    for (let i = 0; i < lower.length; i++) {
      if (!lower[i]) continue;
      if (lower[i]!.length >= 8) addTo(tallies, lower[i]!, 'word', doc);
      if (lower[i + 1]) addTo(tallies, `${lower[i]} ${lower[i + 1]}`, 'phrase', doc);
      if (lower[i + 1] && lower[i + 2]) addTo(tallies, `${lower[i]} ${lower[i + 1]} ${lower[i + 2]}`, 'phrase', doc);
    }
  }
}

function chineseCandidates(text: string, doc: number, common: readonly string[], tallies: Map<string, Tally>): void {
  for (const m of text.matchAll(/\p{Script=Han}{2,}/gu)) {
    const run = m[0];
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= run.length; i++) {
        const gram = run.slice(i, i + n);
        if (![...gram].some((ch) => ZH_FUNCTION_CHARS.has(ch)) && !common.some((w) => gram.includes(w)))
          addTo(tallies, gram, 'zh', doc);
      }
    }
  }
}

function explained(matcher: Pick<Matcher, 'find'>, text: string): boolean {
  const found = matcher.find(text);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === text.length;
}

/**
 * Candidate technical terms in a set of texts that the glossary does not explain, ranked by how
 * often and how widely they occur: acronyms, capitalized multiword names and runs of uncommon words
 * in English; frequent n-grams without common function characters in Chinese, keeping the longest
 * of overlapping ones. This is how moderators keep the glossary current with the news.
 */
export function findGaps(docs: readonly string[], options: GapOptions): GapCandidate[] {
  const { matcher, commonWords, limit = 50, minCount = 2 } = options;
  const tallies = new Map<string, Tally>();
  docs.forEach((text, doc) => {
    englishCandidates(text, doc, commonWords, tallies);
    chineseCandidates(text, doc, options.commonZh ?? [], tallies);
  });
  const kept = [...tallies].filter(
    ([text, t]) => t.count >= minCount && (t.kind !== 'zh' || t.count >= minCount + 1) && !explained(matcher, text),
  );
  // A Chinese n-gram that almost always occurs inside one longer kept n-gram is a fragment of it.
  const zh = new Map(kept.filter(([, t]) => t.kind === 'zh'));
  const fragment = (text: string, t: Tally) =>
    t.kind === 'zh' &&
    [...zh].some(([other, o]) => other.length > text.length && other.includes(text) && o.count >= t.count * 0.7);
  return kept
    .filter(([text, t]) => !fragment(text, t))
    .map(([text, t]) => ({
      text,
      kind: t.kind,
      count: t.count,
      docs: t.docs.size,
      score: Math.round(t.count * (1 + Math.log2(t.docs.size)) * 10) / 10,
    }))
    .sort((a, b) => b.score - a.score || b.docs - a.docs || a.text.localeCompare(b.text))
    .slice(0, limit);
}
