import type { Field, Level } from '../glossary/fields';

/** What the matcher knows of an entry: enough to filter matches and to look the entry up. */
export interface MatcherEntry {
  id: string;
  lang: string;
  fields: Field[];
  level: Level;
}

/** One term found in a text: UTF-16 offsets into the text, and the entry it stands for. */
export interface Match {
  start: number;
  end: number;
  text: string;
  id: string;
  lang: string;
}

/**
 * What to report; matches of entries left out still consume their text, so "quantum" is not found
 * inside a hidden "quantum computing". The filter is computed once per options object and cached:
 * pass the same object to every call (a new object per call costs work proportional to the glossary).
 */
export interface FindOptions {
  /** Report each entry once only (per call, or across calls that share `seen`). */
  firstOnly?: boolean;
  /** Ids already reported (filled by the call when firstOnly is set). */
  seen?: Set<string>;
  /** Entry ids not to report (terms the reader knows). */
  skip?: ReadonlySet<string>;
  /** Report only entries in one of these fields. */
  fields?: ReadonlySet<Field>;
  /** Report only entries at this level or below. */
  maxLevel?: Level;
  /** Report only entries of these languages. */
  langs?: ReadonlySet<string>;
  /**
   * Report forms that need context even without it, and acronyms in lines of capitals: for a
   * reader's explicit lookup of a selection ("Explain with SciPop" on "TB"), not for scanning.
   */
  ignoreContext?: boolean;
}

/** The compiled trie and candidate tables; plain typed arrays so it serializes as it is. */
export interface MatcherData {
  /** Per node: the folded code unit on the edge into it (a space stands for any separator run). */
  labels: Uint16Array;
  /**
   * Per node, and one past the last: where its children start. Nodes are stored breadth-first, so a
   * node's children are `firstChild[n]` to `firstChild[n + 1] - 1`, sorted by label.
   */
  firstChild: Int32Array;
  /** Nodes that end a form, ascending, and where each one's candidates start in the cand arrays. */
  acceptNodes: Int32Array;
  acceptCand: Int32Array;
  /** Per candidate: the entry index (-1 for an `avoid` phrase) and its exact-case form (-1: any case). */
  candEntry: Int32Array;
  candExact: Int32Array;
  /** Per candidate: CAND_NEEDS_CONTEXT (counts only with context), CAND_ACRONYM (mute in shouted text). */
  candFlags: Uint8Array;
  exact: string[];
  entries: MatcherEntry[];
}

/** A compiled glossary: finds terms in text. */
export interface Matcher {
  readonly entries: readonly MatcherEntry[];
  /**
   * Non-overlapping matches, leftmost-longest, in text order. The text is also the context window:
   * a form that needs context (see context.ts) counts only when the same text holds another term of
   * its entry or of an entry sharing a field, so callers pass a whole paragraph (the extension: one
   * block's run of text) or a whole item (the bots: title and summary), never a sentence or a word.
   */
  find(text: string, options?: FindOptions): Match[];
  /** The compiled form, for shipping prebuilt (see loadMatcher). */
  serialize(): Uint8Array;
}

/** What compiling may add beyond the packs. */
export interface CompileOptions {
  /**
   * Phrases that belong to no entry: where one is the leftmost-longest match, it consumes its text
   * and reports nothing (the word boundaries of unspaced scripts: 天花板 hides 天花).
   */
  blockers?: readonly string[];
}
