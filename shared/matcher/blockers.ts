const han = /^\p{Script=Han}+$/u;

/** Whether a string is written in Han characters only (the forms and words segmentation is about). */
export function isHanOnly(text: string): boolean {
  return han.test(text);
}

function affixes(forms: ReadonlySet<string>, prefix: boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const form of forms) {
    for (let k = 1; k < form.length; k++) {
      const part = prefix ? form.slice(0, k) : form.slice(k);
      const list = out.get(part);
      if (list) list.push(form);
      else out.set(part, [form]);
    }
  }
  return out;
}

/** Frequencies of a segmentation dictionary (jieba's: word → count in its corpus) and their total. */
export interface SegmentationDictionary {
  freq: ReadonlyMap<string, number>;
  total: number;
}

/**
 * How often a form counts as seen when the dictionary does not know it, or knows it as rarer: as a
 * word a reader recognises, though not a common one (jieba does the same for user dictionaries).
 */
export const FORM_FREQ = 100;

/**
 * Overlapping words longer than this are left out: a four-character idiom running into a form
 * (一个劲地震) is rare in text, and each costs the matcher as much as a common word does.
 */
const MAX_OVERLAP_WORD = 3;

/**
 * Whether jieba's unigram model (the most probable split into dictionary words and single
 * characters) cuts `text` so that the form at [start, end) is not one of its words.
 */
function splitsAcross(
  text: string,
  start: number,
  end: number,
  dict: SegmentationDictionary,
  forms: ReadonlySet<string>,
): boolean {
  const n = text.length;
  const best = new Float64Array(n + 1).fill(-Infinity);
  const cut = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    const base = best[i]!;
    for (let j = i + 1; j <= n; j++) {
      if (j - i > MAX_PIECE && !(i === start && j === end)) continue;
      const piece = j === i + 1 ? text[i]! : text.slice(i, j);
      let f = dict.freq.get(piece) ?? 0;
      if (f < FORM_FREQ && forms.has(piece)) f = FORM_FREQ;
      if (f === 0 && j > i + 1) continue;
      // log(f / total), with the total left out: every split of the text pays it once per piece.
      const score = base + Math.log(f || 1) - logTotalOf(dict);
      if (score > best[j]!) {
        best[j] = score;
        cut[j] = i;
      }
    }
  }
  for (let j = n; j > 0; j = cut[j]!) if (j === end && cut[j] === start) return false;
  return true;
}

const MAX_PIECE = 8;
const logTotals = new WeakMap<SegmentationDictionary, number>();
function logTotalOf(dict: SegmentationDictionary): number {
  let v = logTotals.get(dict);
  if (v === undefined) logTotals.set(dict, (v = Math.log(dict.total)));
  return v;
}

/**
 * The word-boundary blockers of an unspaced script: the phrases where a reader (and jieba) sees a
 * dictionary word that a form would cut. Candidates are every dictionary word that contains a form
 * (原子弹 ⊃ 原子), and every form joined to a dictionary word that overlaps its start (定位 + 位错 →
 * 定位错) or its end (与门 + 门卫 → 与门卫); a candidate is kept when jieba's unigram model splits it
 * without the form as a word. In the matcher a kept phrase starts at or before the form and runs
 * longer, so it wins under leftmost-longest and hides the form. Only words seen `minWordFreq` times
 * or more compete (rarer ones would cost more matcher than they save). Han-only; sorted, no duplicates.
 */
export function segmentationBlockers(forms: Iterable<string>, dict: SegmentationDictionary, minWordFreq = 0): string[] {
  const formSet = new Set([...forms].filter((f) => f.length >= 2 && isHanOnly(f)));
  const prefixes = affixes(formSet, true);
  const suffixes = affixes(formSet, false);
  const out = new Set<string>();
  const consider = (text: string, start: number, form: string) => {
    if (!formSet.has(text) && !out.has(text) && splitsAcross(text, start, start + form.length, dict, formSet))
      out.add(text);
  };
  for (const [word, freq] of dict.freq) {
    if (freq < minWordFreq || word.length < 2 || formSet.has(word) || !isHanOnly(word)) continue;
    for (let a = 0; a < word.length; a++) {
      // Contains a form: any substring of two characters or more, shorter than the word.
      for (let b = a + 2; b <= word.length; b++) {
        const inner = word.slice(a, b);
        if (b - a < word.length && formSet.has(inner)) consider(word, a, inner);
      }
      // Overlaps a form's start: the word's tail from a is the form's head.
      if (a > 0 && word.length <= MAX_OVERLAP_WORD)
        for (const form of prefixes.get(word.slice(a)) ?? []) consider(word.slice(0, a) + form, a, form);
    }
    // Overlaps a form's end: the word's head of k characters is the form's tail.
    for (let k = 1; k < word.length && word.length <= MAX_OVERLAP_WORD; k++) {
      for (const form of suffixes.get(word.slice(0, k)) ?? []) consider(form.slice(0, form.length - k) + word, 0, form);
    }
  }
  return [...out].sort();
}
