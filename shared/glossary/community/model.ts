// The community glossary's content model: a layer of reviewed changes over the bundled packs.
// Every change is a revision (who, when, why, and the whole entry after it); a revision is a draft
// until an editor approves it, and only approved revisions are published and used by the bots.
import { z } from 'zod';
import { charLength } from '../problems';
import { EntryIdSchema, GlossaryEntrySchema, LangSchema, type GlossaryEntry } from '../schema';

/** Who made or decided a change: the platform (`telegram`, `discord`, `cli`), its user id, a display name. */
export interface GlossaryActor {
  platform: string;
  id: string;
  name: string;
}

/** What a revision does to its entry: gives its whole new text (`edit`) or takes it out of use (`retire`). */
export type GlossaryAction = 'edit' | 'retire';

/** Where a revision stands: waiting, published, turned down, or replaced by a newer draft of the same entry. */
export type GlossaryRevisionStatus = 'draft' | 'approved' | 'rejected' | 'superseded';

/** One revision of one community entry, as the store keeps it. */
export interface GlossaryRevision {
  id: string;
  lang: string;
  entryId: string;
  /** 1, 2, 3… per entry: what `/term history` lists and `/term revert TERM REV` names. */
  seq: number;
  action: GlossaryAction;
  /** The whole entry after the change (null for `retire`). */
  entry: GlossaryEntry | null;
  status: GlossaryRevisionStatus;
  author: GlossaryActor;
  /** Why: a short note from the author. */
  note: string;
  createdAt: number;
  /** The published revision of the glossary this change went live in (null until approved). */
  publishedRev: number | null;
  decidedBy: GlossaryActor | null;
  decidedAt: number | null;
}

/** The longest note (why) a change may carry. */
export const MAX_NOTE_CHARS = 280;
/** The longest any one text field of an entry may be before it is refused outright (lint limits are lower). */
export const MAX_FIELD_CHARS = 2000;
/** The most aliases, sources, related ids or avoid phrases one entry may list. */
export const MAX_LIST_ITEMS = 20;

/** A short, plain reason a change was refused, for the person who asked. */
export class GlossaryInputError extends Error {
  override readonly name: string = 'GlossaryInputError';
}

const MARKUP = /<\/?[a-z!][^>]*>|\[[^\]]*\]\([^)]*\)|```|&#?[a-z0-9]+;/i;
// Control characters other than ordinary whitespace: never part of an explanation.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

function checkText(label: string, value: string): void {
  if (charLength(value) > MAX_FIELD_CHARS)
    throw new GlossaryInputError(`${label} is too long (${charLength(value)} characters, at most ${MAX_FIELD_CHARS})`);
  if (MARKUP.test(value)) throw new GlossaryInputError(`${label} contains markup; write plain text only`);
  if (CONTROL.test(value)) throw new GlossaryInputError(`${label} contains control characters`);
}

const FIELD_LABEL: Record<string, string> = {
  term: 'the term',
  aliases: 'an alias',
  avoid: 'an avoided phrase',
  short: 'the short explanation',
  long: 'the longer explanation',
  related: 'a related id',
  sources: 'a source',
  needsContext: 'a context-only form',
};

/**
 * Parses a proposed entry (from a file, a chat form or an API) into a GlossaryEntry. Refuses what
 * must never be stored: a shape the schema rejects, oversized fields, markup, control characters.
 * Problems a draft may still be saved with (lengths, readability…) are {@link draftProblems}' job.
 */
export function parseProposedEntry(input: unknown): GlossaryEntry {
  const parsed = GlossaryEntrySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the entry';
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    throw new GlossaryInputError(`${where}: ${missing ? 'is missing' : issue.message}`);
  }
  const entry = parsed.data;
  for (const key of ['term', 'short', 'long'] as const) checkText(FIELD_LABEL[key]!, entry[key]);
  for (const key of ['aliases', 'avoid', 'related', 'needsContext'] as const) {
    const list = entry[key] ?? [];
    if (list.length > MAX_LIST_ITEMS)
      throw new GlossaryInputError(`too many ${key} (${list.length}, at most ${MAX_LIST_ITEMS})`);
    for (const value of list) checkText(FIELD_LABEL[key]!, value);
  }
  if (entry.sources.length > MAX_LIST_ITEMS)
    throw new GlossaryInputError(`too many sources (${entry.sources.length}, at most ${MAX_LIST_ITEMS})`);
  for (const s of entry.sources) {
    checkText('a source title', s.title);
    checkText('a source URL', s.url);
  }
  return entry;
}

/** Checks a language tag and an entry id given apart from an entry (`/term retire`, `--lang`). */
export function parseEntryKey(lang: string, entryId: string): { lang: string; entryId: string } {
  if (!LangSchema.safeParse(lang).success)
    throw new GlossaryInputError(`"${lang}" is not a language tag such as en or zh-Hans`);
  if (!EntryIdSchema.safeParse(entryId).success)
    throw new GlossaryInputError(`"${entryId}" is not an entry id (lowercase letters, digits and single hyphens)`);
  return { lang, entryId };
}

/** Checks the note (why) of a change: short plain text. */
export function parseNote(note: string | undefined): string {
  const text = (note ?? '').trim();
  if (charLength(text) > MAX_NOTE_CHARS)
    throw new GlossaryInputError(`the note is too long (${charLength(text)} characters, at most ${MAX_NOTE_CHARS})`);
  if (text !== '') checkText('the note', text);
  return text;
}

/** Checks who acts: a platform name and user id are required, the name is trimmed and capped. */
export const GlossaryActorSchema = z.object({
  platform: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a platform name such as telegram'),
  id: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(80),
});
