/**
 * The community glossary's part of the Store: revisions of entries (drafts, approved, rejected,
 * superseded), the published revision number, and the key that signs the published index. The
 * rules (who may, what a draft must pass) live in bots/glossary/community.ts; this only keeps rows,
 * each change in one transaction, so two workers (or the CLI beside `scipop run`) never publish
 * the same revision number twice.
 */
import type { GlossaryEntry } from '../../shared/glossary/schema';
import type { GlossaryAction, GlossaryActor, GlossaryRevision } from '../../shared/glossary/community/model';

export type { GlossaryAction, GlossaryActor, GlossaryRevision };

/** A change to write: an entry's whole new text, or its retirement. */
export interface NewGlossaryChange {
  lang: string;
  entryId: string;
  action: GlossaryAction;
  entry: GlossaryEntry | null;
  author: GlossaryActor;
  note: string;
}

/** The glossary part of the Store. All times are epoch milliseconds. */
export interface GlossaryStateStore {
  /** The published revision: 1 before anything is published, +1 with every published change. */
  glossaryRevisionNumber(): Promise<number>;
  /** Saves a draft (its seq is the entry's next); an older draft of the same entry still waiting becomes `superseded`. */
  saveGlossaryDraft(change: NewGlossaryChange, now: number): Promise<GlossaryRevision>;
  getGlossaryRevision(id: string): Promise<GlossaryRevision | undefined>;
  /** The drafts waiting for a decision, oldest first. */
  glossaryDrafts(): Promise<GlossaryRevision[]>;
  /** Every revision of one entry, by seq. */
  glossaryHistory(lang: string, entryId: string): Promise<GlossaryRevision[]>;
  /** draft → approved, published as the next revision; null if it is not a draft (any more). */
  approveGlossaryDraft(id: string, by: GlossaryActor, now: number): Promise<GlossaryRevision | null>;
  /** draft → rejected; false if it is not a draft (any more). */
  rejectGlossaryDraft(id: string, by: GlossaryActor, now: number): Promise<boolean>;
  /** Writes and publishes a change at once (an editor's retire or revert): it is its own approval. */
  publishGlossaryChange(change: NewGlossaryChange, now: number): Promise<GlossaryRevision>;
  /** The published (approved) revisions, by published revision: all, or those published after `after`. */
  publishedGlossaryRevisions(after?: number): Promise<GlossaryRevision[]>;
  /** The signing key (PKCS#8, base64): the stored one, or `created` stored first if there was none. */
  glossarySigningKey(created: string): Promise<string>;
  /**
   * Takes one of the network's `perDay` AI drafts of `day` (a UTC date, `2026-12-07`), counted in
   * the store so that every worker and a restarted one share the allowance; false when they are used up.
   */
  takeAiDraft(day: string, perDay: number): Promise<boolean>;
  /** Counts a reader's request for a term on the wanted list (a dismissed term stays dismissed). */
  askGlossaryTerm(lang: string, term: string, now: number): Promise<void>;
  /** The wanted terms not dismissed, most asked first. */
  glossaryWanted(limit: number): Promise<WantedTerm[]>;
  /** Dismisses a wanted term for good; false when it is not on the list. */
  dismissGlossaryWanted(lang: string, term: string): Promise<boolean>;
  /**
   * Records what the gap finder found in the news: each term's items, sources and examples replace
   * those of the last run (a term no longer found keeps only its readers' asks); readers' asks,
   * dismissals and claims are kept. Also records when it ran (`glossaryGapsRunAt`).
   */
  recordGlossaryGaps(found: readonly FoundGap[], now: number): Promise<void>;
  /** When the gap finder last recorded its findings, or null if never. */
  glossaryGapsRunAt(): Promise<number | null>;
  /**
   * Claims a wanted term for `by` to write: true when it is now theirs (or already was); false when
   * someone else holds it (see `claimedBy`) or the term is not on the list.
   */
  claimGlossaryWanted(lang: string, term: string, by: GlossaryActor, now: number): Promise<boolean>;
  /** Items seen since `since` (newest first, at most `limit`), as text for the gap finder. */
  recentItemTexts(since: number, limit: number): Promise<ItemText[]>;
}

/** A term the gap finder found in the network's news. */
export interface FoundGap {
  lang: string;
  term: string;
  items: number;
  sources: number;
  examples: { text: string; link: string | null }[];
}

/** An item's words for the gap finder: its title and summary, with where it came from. */
export interface ItemText {
  sourceId: string;
  title: string;
  summary: string;
  link: string | null;
  lang: string | null;
}

/** A term the network's readers (or its news) want explained. */
export interface WantedTerm {
  lang: string;
  term: string;
  asks: number;
  items: number;
  sources: number;
  examples: { text: string; link: string | null }[];
  updatedAt: number;
  /** Who said they are writing it, and when. */
  claimedBy: GlossaryActor | null;
  claimedAt: number | null;
}

/** The key a wanted term is counted under: case and spacing folded. */
export const wantedKey = (term: string): string => term.trim().toLowerCase().replace(/\s+/g, ' ');

/** The tables of migration 7 with rows of their own, for `scipop store copy` (glossary_meta is upserted apart). */
export const GLOSSARY_TABLES = ['glossary_revisions', 'glossary_wanted'] as const;
