// The published community glossary: what `scipop run` serves under /glossary/v1/ and
// `scipop glossary publish DIR` writes, and what the extension's subscriptions read. The bots write
// these files and the extension rebuilds them from diffs, so both serialize packs with the one
// canonical function here: a rebuilt pack hashes to the index's sha256 only if it is byte for byte
// what the server wrote.
//
//   index.json       PublishedIndex (signed: index.json.sig is the base64 Ed25519 signature of
//                    its exact bytes, by the key `scipop glossary key` prints)
//   packs/<lang>.json  one pack per language in the bundled pack format, canonical bytes
//   diffs/<from>-<to>.json  PublishedDiff from an earlier revision to the index's revision
import { z } from 'zod';
import {
  EntryIdSchema,
  GlossaryEntrySchema,
  LangSchema,
  PACK_FORMAT,
  type GlossaryEntry,
  type GlossaryPack,
} from './schema';

/** The version of the published layout; a client refuses an index of another format. */
export const PUBLISHED_FORMAT = 1;

/** Where the published glossary lives under the network's HTTP server. */
export const PUBLISHED_BASE_PATH = '/glossary/v1/';

/** A path relative to the index: plain segments, no `..`, no leading slash, no scheme. */
export const PublishedPathSchema = z
  .string()
  .regex(/^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, 'must be a relative path');

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const RevisionSchema = z.number().int().min(1);

/** One published pack file, as the index lists it. */
export const PublishedFileSchema = z.object({
  path: PublishedPathSchema,
  sha256: Sha256Schema,
  bytes: z.number().int().min(0),
  lang: LangSchema,
  entries: z.number().int().min(0),
});
export type PublishedFile = z.infer<typeof PublishedFileSchema>;

/** A diff the index offers: from an earlier revision to the index's own. */
export const PublishedDiffRefSchema = z.object({
  from: RevisionSchema,
  path: PublishedPathSchema,
  sha256: Sha256Schema,
  bytes: z.number().int().min(0),
});
export type PublishedDiffRef = z.infer<typeof PublishedDiffRefSchema>;

/** The signed index.json of a published glossary. */
export const PublishedIndexSchema = z.object({
  format: z.literal(PUBLISHED_FORMAT),
  /** The community's name, which the tooltip shows as the explanation's origin. */
  name: z.string().trim().min(1).max(80),
  /** Grows with every published change. */
  revision: RevisionSchema,
  /** When this revision was published (ISO 8601). */
  published: z.iso.datetime({ offset: true }),
  /** How long a client waits before it checks again. */
  checkAfterSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400),
  /** The license of the community's entries. */
  license: z.string().trim().min(1),
  files: z.array(PublishedFileSchema),
  /** Bundled entries the community retired, by language: a subscribed reader no longer sees them. */
  retired: z.record(LangSchema, z.array(EntryIdSchema)).default({}),
  diffs: z.array(PublishedDiffRefSchema).default([]),
  /** Where readers may ask for a term (POST `{ text, lang }`), relative to the index; absent when turned off. */
  ask: PublishedPathSchema.optional(),
});
export type PublishedIndex = z.infer<typeof PublishedIndexSchema>;

/** One change of a diff: an entry added or replaced, or one removed, in one language. */
export const PublishedChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), lang: LangSchema, entry: GlossaryEntrySchema }),
  z.object({ op: z.literal('delete'), lang: LangSchema, id: EntryIdSchema }),
]);
export type PublishedChange = z.infer<typeof PublishedChangeSchema>;

/** diffs/<from>-<to>.json: what moves the packs of revision `from` to revision `to`. */
export const PublishedDiffSchema = z.object({
  format: z.literal(PUBLISHED_FORMAT),
  from: RevisionSchema,
  to: RevisionSchema,
  changes: z.array(PublishedChangeSchema),
});
export type PublishedDiff = z.infer<typeof PublishedDiffSchema>;

/** What a published pack's header is made of: the index's name and license, a language, a revision. */
export interface PublishedPackMeta {
  name: string;
  license: string;
  lang: string;
  revision: number;
}

/** The pack id of a language's published file (`community-en`, `community-zh-hans`). */
export function publishedPackId(lang: string): string {
  return `community-${lang.toLowerCase()}`;
}

/** The path of a language's pack relative to the index. */
export function publishedPackPath(lang: string): string {
  return `packs/${lang}.json`;
}

/** The path of the diff from `from` to `to` relative to the index. */
export function publishedDiffPath(from: number, to: number): string {
  return `diffs/${from}-${to}.json`;
}

/** Builds the pack a language's published file holds: entries sorted by id. */
export function buildPublishedPack(meta: PublishedPackMeta, entries: readonly GlossaryEntry[]): GlossaryPack {
  return {
    format: PACK_FORMAT,
    id: publishedPackId(meta.lang),
    title: `${meta.name} (${meta.lang})`,
    lang: meta.lang,
    revision: meta.revision,
    license: meta.license,
    entries: [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(canonicalEntry),
  };
}

const ENTRY_KEYS = [
  'id',
  'term',
  'aliases',
  'avoid',
  'fields',
  'level',
  'short',
  'long',
  'related',
  'sources',
  'reviewed',
  'volatile',
  'needsContext',
] as const satisfies readonly (keyof GlossaryEntry)[];

/** An entry with its keys in schema order, defaults filled and absent optionals left out. */
export function canonicalEntry(entry: GlossaryEntry): GlossaryEntry {
  const out: Record<string, unknown> = {};
  for (const key of ENTRY_KEYS) {
    const value = key === 'aliases' || key === 'avoid' || key === 'related' ? (entry[key] ?? []) : entry[key];
    if (value !== undefined)
      out[key] = key === 'sources' ? entry.sources.map((s) => ({ title: s.title, url: s.url })) : value;
  }
  return out as GlossaryEntry;
}

/** The exact text of a published pack file; its UTF-8 bytes are what the index's sha256 covers. */
export function serializePublishedPack(pack: GlossaryPack): string {
  const { format, id, title, lang, revision, license } = pack;
  return JSON.stringify({ format, id, title, lang, revision, license, entries: pack.entries.map(canonicalEntry) });
}

/**
 * Applies a diff to the entries of one revision (by language), giving those of the next. Pure:
 * the input is not changed. A `put` replaces the entry with its id or adds it; a `delete` of an
 * id that is not there is a no-op (the result is then checked against the index's hash anyway).
 */
export function applyPublishedDiff(
  entries: ReadonlyMap<string, readonly GlossaryEntry[]>,
  diff: PublishedDiff,
): Map<string, GlossaryEntry[]> {
  const byLang = new Map<string, Map<string, GlossaryEntry>>();
  for (const [lang, list] of entries) byLang.set(lang, new Map(list.map((e) => [e.id, e])));
  for (const change of diff.changes) {
    let list = byLang.get(change.lang);
    if (!list) byLang.set(change.lang, (list = new Map()));
    if (change.op === 'put') list.set(change.entry.id, change.entry);
    else list.delete(change.id);
  }
  return new Map([...byLang].map(([lang, list]) => [lang, [...list.values()]]));
}

/** The changes that move `before` to `after` (both by language), for the diff files. */
export function diffPublishedEntries(
  before: ReadonlyMap<string, readonly GlossaryEntry[]>,
  after: ReadonlyMap<string, readonly GlossaryEntry[]>,
): PublishedChange[] {
  const changes: PublishedChange[] = [];
  const langs = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const lang of langs) {
    const old = new Map((before.get(lang) ?? []).map((e) => [e.id, JSON.stringify(canonicalEntry(e))]));
    const now = new Map((after.get(lang) ?? []).map((e) => [e.id, e]));
    for (const [id, entry] of [...now].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (old.get(id) !== JSON.stringify(canonicalEntry(entry))) changes.push({ op: 'put', lang, entry });
    }
    for (const id of [...old.keys()].sort()) if (!now.has(id)) changes.push({ op: 'delete', lang, id });
  }
  return changes;
}
