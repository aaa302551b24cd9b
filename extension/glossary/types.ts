import type { Field, Level } from '../../shared/glossary/schema';
import type { FindOptions } from '../../shared/matcher';

/** One term occurrence found in a text (UTF-16 offsets), as the shared matcher reports it. */
export interface TermMatch {
  start: number;
  end: number;
  id: string;
  lang: string;
}

/** Filters for a search: the shared matcher's options. */
export type { FindOptions } from '../../shared/matcher';

/** What the page code needs from a matcher; the shared Matcher fits it. */
export interface TermFinder {
  find(text: string, options?: FindOptions): TermMatch[];
}

/** What a tooltip, the popup and the options page show of an entry. */
export interface EntryInfo {
  id: string;
  lang: string;
  term: string;
  short: string;
  long: string;
  fields: Field[];
  level: Level;
  related: string[];
  source?: { title: string; url: string };
  /** Who wrote it: a subscribed community's name, or an imported pack's title; absent for SciPop's editors. */
  origin?: string;
}

/**
 * The bundled glossary as it ships inside the extension. Entries stay JSON strings until a tooltip
 * needs one: parsing all of them would cost every page tens of milliseconds for a few terms.
 */
export interface GlossaryBundle {
  /** `Matcher.serialize()`, base64. */
  matcher: string;
  /** `lang<TAB>id` of each entry, one per line, in the order of `entries`. */
  keys: string;
  /** Each entry's {@link EntryInfo} as JSON. */
  entries: string[];
  packs: { id: string; lang: string; revision: number; title: string }[];
}

/**
 * What a page needs to find terms: the serialized matchers (`Matcher.serialize()`, base64; one for
 * the subscribed community glossaries when there are any, which win a tie, then the bundled one,
 * then one for the reader's imported packs when there are any) and the
 * languages they cover. No entry texts: those come one at a time, for a tooltip.
 */
export interface MatcherPayload {
  matchers: string[];
  langs: string[];
  /**
   * Per matcher, the `lang<TAB>id` keys it must not report: bundled entries a subscribed community
   * replaced or retired. Absent when there are none.
   */
  hidden?: string[][];
}

/** A related term as a tooltip lists it. */
export interface RelatedTerm {
  id: string;
  lang: string;
  term: string;
}

/** An entry as a tooltip shows it: the entry and the names of its related terms. */
export interface EntryView {
  entry: EntryInfo;
  related: RelatedTerm[];
}

/** Every entry by language and id, parsed on demand (the background, the popup, the options page). */
export interface EntryIndex {
  entry(lang: string, id: string): EntryInfo | undefined;
  /** The entry with its related terms' names. */
  view(lang: string, id: string): EntryView | undefined;
  /** The languages of the loaded entries. */
  langs: readonly string[];
  /** Every entry (parses them all). */
  all(): EntryInfo[];
}

/**
 * The glossary as a page has it: one finder over every pack; explanations come from the
 * background on demand, so a page never parses thousands of entries to show one.
 */
export interface Glossary {
  finder: TermFinder;
  /** The languages of the loaded entries. */
  langs: readonly string[];
  view(lang: string, id: string): Promise<EntryView | undefined>;
}
