import type { GlossaryEntry } from '../../shared/glossary/schema';
import {
  wantedKey,
  type GlossaryActor,
  type GlossaryRevision,
  type GlossaryStateStore,
  type NewGlossaryChange,
  type WantedTerm,
} from './glossary-types';
import { newId } from './ids';
import { bind, query } from './named';
import { namedRunner, type SqlRunner, type Statement } from './platform-state';
import type { Row } from './rows';

export const GLOSSARY_SQL = {
  insert: query<{
    id: string;
    lang: string;
    entryId: string;
    seq: number;
    action: GlossaryRevision['action'];
    entry: string | null;
    status: GlossaryRevision['status'];
    authorPlatform: string;
    authorId: string;
    authorName: string;
    note: string;
    createdAt: number;
    publishedRev: number | null;
    decidedPlatform: string | null;
    decidedId: string | null;
    decidedName: string | null;
    decidedAt: number | null;
  }>(`INSERT INTO glossary_revisions (id, lang, entry_id, seq, action, entry, status, author_platform, author_id,
    author_name, note, created_at, published_rev, decided_platform, decided_id, decided_name, decided_at)
    VALUES (:id, :lang, :entryId, :seq, :action, :entry, :status, :authorPlatform, :authorId, :authorName, :note, :createdAt, :publishedRev, :decidedPlatform, :decidedId, :decidedName, :decidedAt)`),
  nextSeq: query<{
    lang: string;
    entryId: string;
  }>(`SELECT COALESCE(MAX(seq), 0) AS seq, (SELECT value FROM glossary_meta WHERE name = 'revision') AS published
    FROM glossary_revisions WHERE lang = :lang AND entry_id = :entryId`),
  supersede: query<{ lang: string; entryId: string }>(
    `UPDATE glossary_revisions SET status = 'superseded' WHERE lang = :lang AND entry_id = :entryId AND status = 'draft'`,
  ),
  draftGuard: query<{ id: string }>(`SELECT r.*, (SELECT value FROM glossary_meta WHERE name = 'revision') AS published
    FROM glossary_revisions r WHERE r.id = :id`),
  approve: query<{
    rev: number;
    platform: string;
    userId: string;
    name: string;
    now: number;
    id: string;
  }>(`UPDATE glossary_revisions SET status = 'approved', published_rev = :rev, decided_platform = :platform, decided_id = :userId,
    decided_name = :name, decided_at = :now WHERE id = :id AND status = 'draft'`),
  reject: query<{
    platform: string;
    userId: string;
    name: string;
    now: number;
    id: string;
  }>(`UPDATE glossary_revisions SET status = 'rejected', decided_platform = :platform, decided_id = :userId, decided_name = :name,
    decided_at = :now WHERE id = :id AND status = 'draft'`),
  bump: query<{ value: string }>(`UPDATE glossary_meta SET value = :value WHERE name = 'revision'`),
  revision: query(`SELECT value FROM glossary_meta WHERE name = 'revision'`),
  byId: query<{ id: string }>(`SELECT * FROM glossary_revisions WHERE id = :id`),
  drafts: query(`SELECT * FROM glossary_revisions WHERE status = 'draft' ORDER BY created_at, id`),
  history: query<{ lang: string; entryId: string }>(
    `SELECT * FROM glossary_revisions WHERE lang = :lang AND entry_id = :entryId ORDER BY seq`,
  ),
  published: query<{ after: number }>(
    `SELECT * FROM glossary_revisions WHERE published_rev > :after ORDER BY published_rev`,
  ),
  insertKey: query<{ key: string }>(
    `INSERT INTO glossary_meta (name, value) VALUES ('signing_key', :key) ON CONFLICT (name) DO NOTHING`,
  ),
  key: query(`SELECT value FROM glossary_meta WHERE name = 'signing_key'`),
  ask: query<{
    lang: string;
    key: string;
    term: string;
    now: number;
  }>(`INSERT INTO glossary_wanted (lang, term_key, term, asks, updated_at) VALUES (:lang, :key, :term, 1, :now)
    ON CONFLICT (lang, term_key) DO UPDATE SET asks = glossary_wanted.asks + 1, updated_at = excluded.updated_at`),
  wanted: query<{ limit: number }>(
    `SELECT * FROM glossary_wanted WHERE dismissed = 0 ORDER BY asks + items DESC, updated_at DESC, term_key LIMIT :limit`,
  ),
  dismiss: query<{ lang: string; key: string }>(
    `UPDATE glossary_wanted SET dismissed = 1 WHERE lang = :lang AND term_key = :key`,
  ),
  gapsGuard: query(`SELECT value FROM glossary_meta WHERE name = 'gaps_run_at'`),
  clearGaps: query(`UPDATE glossary_wanted SET items = 0, sources = 0, examples = '[]' WHERE items > 0`),
  gap: query<{
    lang: string;
    key: string;
    term: string;
    items: number;
    sources: number;
    examples: string;
    now: number;
  }>(`INSERT INTO glossary_wanted (lang, term_key, term, items, sources, examples, updated_at) VALUES (:lang, :key, :term, :items, :sources, :examples, :now)
    ON CONFLICT (lang, term_key) DO UPDATE SET items = excluded.items, sources = excluded.sources,
    examples = excluded.examples, updated_at = excluded.updated_at`),
  gapsRunAt: query<{ value: string }>(`INSERT INTO glossary_meta (name, value) VALUES ('gaps_run_at', :value)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
  claim: query<{
    platform: string;
    userId: string;
    name: string;
    now: number;
    lang: string;
    key: string;
  }>(`UPDATE glossary_wanted SET claimed_platform = :platform, claimed_id = :userId, claimed_name = :name, claimed_at = :now
    WHERE lang = :lang AND term_key = :key AND dismissed = 0
    AND (claimed_id IS NULL OR (claimed_platform = :platform AND claimed_id = :userId))`),
  // One row per day in glossary_meta; the update takes a draft only while the count is under the limit.
  takeAiDraft: query<{ name: string; perDay: number }>(`INSERT INTO glossary_meta (name, value) VALUES (:name, '1')
    ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(glossary_meta.value AS INTEGER) + 1 AS TEXT)
    WHERE CAST(glossary_meta.value AS INTEGER) < :perDay RETURNING value`),
  recentItems: query<{ since: number; limit: number }>(
    `SELECT source_id, title, link, data FROM items WHERE seen_at >= :since ORDER BY seen_at DESC, id LIMIT :limit`,
  ),
} as const;

/** A member as the queries name them (who decides or claims). */
const decider = (by: GlossaryActor) => ({ platform: by.platform, userId: by.id, name: by.name });

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRevision(r: Row): GlossaryRevision {
  const decided = strOrNull(r.decided_platform);
  return {
    id: String(r.id),
    lang: String(r.lang),
    entryId: String(r.entry_id),
    seq: Number(r.seq),
    action: String(r.action) === 'retire' ? 'retire' : 'edit',
    entry: typeof r.entry === 'string' ? (JSON.parse(r.entry) as GlossaryEntry) : null,
    status: String(r.status) as GlossaryRevision['status'],
    author: { platform: String(r.author_platform), id: String(r.author_id), name: String(r.author_name) },
    note: String(r.note),
    createdAt: Number(r.created_at),
    publishedRev: r.published_rev === null || r.published_rev === undefined ? null : Number(r.published_rev),
    decidedBy: decided ? { platform: decided, id: String(r.decided_id), name: String(r.decided_name) } : null,
    decidedAt: r.decided_at === null || r.decided_at === undefined ? null : Number(r.decided_at),
  };
}

/** The row a change becomes, as a revision (what the insert writes). */
function revisionOf(
  change: NewGlossaryChange,
  seq: number,
  now: number,
  published: { rev: number; by: GlossaryActor } | null,
): GlossaryRevision {
  return {
    id: newId(now),
    lang: change.lang,
    entryId: change.entryId,
    seq,
    action: change.action,
    entry: change.action === 'edit' ? change.entry : null,
    status: published ? 'approved' : 'draft',
    author: change.author,
    note: change.note,
    createdAt: now,
    publishedRev: published?.rev ?? null,
    decidedBy: published?.by ?? null,
    decidedAt: published ? now : null,
  };
}

function insertOf(r: GlossaryRevision): Statement {
  return bind(GLOSSARY_SQL.insert, {
    id: r.id,
    lang: r.lang,
    entryId: r.entryId,
    seq: r.seq,
    action: r.action,
    entry: r.entry ? JSON.stringify(r.entry) : null,
    status: r.status,
    authorPlatform: r.author.platform,
    authorId: r.author.id,
    authorName: r.author.name,
    note: r.note,
    createdAt: r.createdAt,
    publishedRev: r.publishedRev,
    decidedPlatform: r.decidedBy?.platform ?? null,
    decidedId: r.decidedBy?.id ?? null,
    decidedName: r.decidedBy?.name ?? null,
    decidedAt: r.decidedAt,
  });
}

/** The glossary methods of a Store, over its runner; every write is one locked transaction. */
export function createGlossaryState(runner: SqlRunner): GlossaryStateStore {
  const S = GLOSSARY_SQL;
  const db = namedRunner(runner);
  const LOCK = 'glossary_revisions';
  return {
    glossaryRevisionNumber: async () => Number((await db.first(S.revision, {}))?.value ?? 1),

    saveGlossaryDraft: (change, now) =>
      runner.guarded(LOCK, bind(S.nextSeq, change), (row) => {
        const revision = revisionOf(change, Number(row.seq ?? 0) + 1, now, null);
        return {
          writes: [bind(S.supersede, change), insertOf(revision)],
          result: revision,
        };
      }),

    getGlossaryRevision: async (id) => {
      const row = await db.first(S.byId, { id });
      return row ? toRevision(row) : undefined;
    },
    glossaryDrafts: async () => (await db.all(S.drafts, {})).map(toRevision),
    glossaryHistory: async (lang, entryId) => (await db.all(S.history, { lang, entryId })).map(toRevision),

    approveGlossaryDraft: (id, by, now) =>
      runner.guarded(LOCK, bind(S.draftGuard, { id }), (row) => {
        if (row.id === undefined || String(row.status) !== 'draft') return { writes: [], result: null };
        const rev = Number(row.published ?? 1) + 1;
        const approved: GlossaryRevision = {
          ...toRevision(row),
          status: 'approved',
          publishedRev: rev,
          decidedBy: by,
          decidedAt: now,
        };
        return {
          writes: [bind(S.approve, { rev, ...decider(by), now, id }), bind(S.bump, { value: String(rev) })],
          result: approved,
        };
      }),

    rejectGlossaryDraft: (id, by, now) =>
      runner.guarded(LOCK, bind(S.draftGuard, { id }), (row) => {
        if (row.id === undefined || String(row.status) !== 'draft') return { writes: [], result: false };
        return { writes: [bind(S.reject, { ...decider(by), now, id })], result: true };
      }),

    publishGlossaryChange: (change, now) =>
      runner.guarded(LOCK, bind(S.nextSeq, change), (row) => {
        const rev = Number(row.published ?? 1) + 1;
        const revision = revisionOf(change, Number(row.seq ?? 0) + 1, now, { rev, by: change.author });
        return { writes: [insertOf(revision), bind(S.bump, { value: String(rev) })], result: revision };
      }),

    publishedGlossaryRevisions: async (after = 0) => (await db.all(S.published, { after })).map(toRevision),

    takeAiDraft: async (day, perDay) =>
      perDay > 0 && (await db.all(S.takeAiDraft, { name: `ai_drafts:${day}`, perDay })).length > 0,
    askGlossaryTerm: async (lang, term, now) =>
      void (await db.run(S.ask, { lang, key: wantedKey(term), term: term.trim(), now })),
    glossaryWanted: async (limit) =>
      (await db.all(S.wanted, { limit })).map((r) => ({
        lang: String(r.lang),
        term: String(r.term),
        asks: Number(r.asks),
        items: Number(r.items),
        sources: Number(r.sources),
        examples: JSON.parse(String(r.examples)) as WantedTerm['examples'],
        updatedAt: Number(r.updated_at),
        claimedBy:
          r.claimed_id === null || r.claimed_id === undefined
            ? null
            : { platform: String(r.claimed_platform), id: String(r.claimed_id), name: String(r.claimed_name) },
        claimedAt: r.claimed_at === null || r.claimed_at === undefined ? null : Number(r.claimed_at),
      })),
    dismissGlossaryWanted: async (lang, term) => (await db.run(S.dismiss, { lang, key: wantedKey(term) })) > 0,
    recordGlossaryGaps: (found, now) =>
      runner.guarded('glossary_wanted', bind(S.gapsGuard, {}), () => ({
        writes: [
          bind(S.clearGaps, {}),
          ...found.map((g) =>
            bind(S.gap, {
              lang: g.lang,
              key: wantedKey(g.term),
              term: g.term.trim(),
              items: g.items,
              sources: g.sources,
              examples: JSON.stringify(g.examples),
              now,
            }),
          ),
          bind(S.gapsRunAt, { value: String(now) }),
        ],
        result: undefined,
      })),
    glossaryGapsRunAt: async () => {
      const row = await db.first(S.gapsGuard, {});
      return row ? Number(row.value) : null;
    },
    claimGlossaryWanted: async (lang, term, by, now) =>
      (await db.run(S.claim, { ...decider(by), now, lang, key: wantedKey(term) })) > 0,
    recentItemTexts: async (since, limit) =>
      (await db.all(S.recentItems, { since, limit })).map((r) => {
        const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as {
          summary?: unknown;
          lang?: unknown;
        } | null;
        return {
          sourceId: String(r.source_id),
          title: String(r.title),
          summary: typeof data?.summary === 'string' ? data.summary : '',
          link: strOrNull(r.link),
          lang: typeof data?.lang === 'string' ? data.lang : null,
        };
      }),

    glossarySigningKey: async (created) => {
      await db.run(S.insertKey, { key: created });
      return String((await db.first(S.key, {}))!.value);
    },
  };
}
