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
import type { SqlRunner, Statement } from './platform-state';
import type { Row } from './rows';

export const GLOSSARY_SQL = {
  insert: `INSERT INTO glossary_revisions (id, lang, entry_id, seq, action, entry, status, author_platform, author_id,
    author_name, note, created_at, published_rev, decided_platform, decided_id, decided_name, decided_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  nextSeq: `SELECT COALESCE(MAX(seq), 0) AS seq, (SELECT value FROM glossary_meta WHERE name = 'revision') AS published
    FROM glossary_revisions WHERE lang = ? AND entry_id = ?`,
  supersede: `UPDATE glossary_revisions SET status = 'superseded' WHERE lang = ? AND entry_id = ? AND status = 'draft'`,
  draftGuard: `SELECT r.*, (SELECT value FROM glossary_meta WHERE name = 'revision') AS published
    FROM glossary_revisions r WHERE r.id = ?`,
  approve: `UPDATE glossary_revisions SET status = 'approved', published_rev = ?, decided_platform = ?, decided_id = ?,
    decided_name = ?, decided_at = ? WHERE id = ? AND status = 'draft'`,
  reject: `UPDATE glossary_revisions SET status = 'rejected', decided_platform = ?, decided_id = ?, decided_name = ?,
    decided_at = ? WHERE id = ? AND status = 'draft'`,
  bump: `UPDATE glossary_meta SET value = ? WHERE name = 'revision'`,
  revision: `SELECT value FROM glossary_meta WHERE name = 'revision'`,
  byId: `SELECT * FROM glossary_revisions WHERE id = ?`,
  drafts: `SELECT * FROM glossary_revisions WHERE status = 'draft' ORDER BY created_at, id`,
  history: `SELECT * FROM glossary_revisions WHERE lang = ? AND entry_id = ? ORDER BY seq`,
  published: `SELECT * FROM glossary_revisions WHERE published_rev > ? ORDER BY published_rev`,
  insertKey: `INSERT INTO glossary_meta (name, value) VALUES ('signing_key', ?) ON CONFLICT (name) DO NOTHING`,
  key: `SELECT value FROM glossary_meta WHERE name = 'signing_key'`,
  ask: `INSERT INTO glossary_wanted (lang, term_key, term, asks, updated_at) VALUES (?, ?, ?, 1, ?)
    ON CONFLICT (lang, term_key) DO UPDATE SET asks = glossary_wanted.asks + 1, updated_at = excluded.updated_at`,
  wanted: `SELECT * FROM glossary_wanted WHERE dismissed = 0 ORDER BY asks + items DESC, updated_at DESC, term_key LIMIT ?`,
  dismiss: `UPDATE glossary_wanted SET dismissed = 1 WHERE lang = ? AND term_key = ?`,
  gapsGuard: `SELECT value FROM glossary_meta WHERE name = 'gaps_run_at'`,
  clearGaps: `UPDATE glossary_wanted SET items = 0, sources = 0, examples = '[]' WHERE items > 0`,
  gap: `INSERT INTO glossary_wanted (lang, term_key, term, items, sources, examples, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (lang, term_key) DO UPDATE SET items = excluded.items, sources = excluded.sources,
    examples = excluded.examples, updated_at = excluded.updated_at`,
  gapsRunAt: `INSERT INTO glossary_meta (name, value) VALUES ('gaps_run_at', ?)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
  claim: `UPDATE glossary_wanted SET claimed_platform = ?, claimed_id = ?, claimed_name = ?, claimed_at = ?
    WHERE lang = ? AND term_key = ? AND dismissed = 0
    AND (claimed_id IS NULL OR (claimed_platform = ? AND claimed_id = ?))`,
  recentItems: `SELECT source_id, title, link, data FROM items WHERE seen_at >= ? ORDER BY seen_at DESC, id LIMIT ?`,
} as const;

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
  return [
    GLOSSARY_SQL.insert,
    [
      r.id,
      r.lang,
      r.entryId,
      r.seq,
      r.action,
      r.entry ? JSON.stringify(r.entry) : null,
      r.status,
      r.author.platform,
      r.author.id,
      r.author.name,
      r.note,
      r.createdAt,
      r.publishedRev,
      r.decidedBy?.platform ?? null,
      r.decidedBy?.id ?? null,
      r.decidedBy?.name ?? null,
      r.decidedAt,
    ],
  ];
}

/** The glossary methods of a Store, over its runner; every write is one locked transaction. */
export function createGlossaryState(db: SqlRunner): GlossaryStateStore {
  const S = GLOSSARY_SQL;
  const LOCK = 'glossary_revisions';
  return {
    glossaryRevisionNumber: async () => Number((await db.all(S.revision, []))[0]?.value ?? 1),

    saveGlossaryDraft: (change, now) =>
      db.guarded(LOCK, [S.nextSeq, [change.lang, change.entryId]], (row) => {
        const revision = revisionOf(change, Number(row.seq ?? 0) + 1, now, null);
        return {
          writes: [[S.supersede, [change.lang, change.entryId]], insertOf(revision)],
          result: revision,
        };
      }),

    getGlossaryRevision: async (id) => {
      const row = (await db.all(S.byId, [id]))[0];
      return row ? toRevision(row) : undefined;
    },
    glossaryDrafts: async () => (await db.all(S.drafts, [])).map(toRevision),
    glossaryHistory: async (lang, entryId) => (await db.all(S.history, [lang, entryId])).map(toRevision),

    approveGlossaryDraft: (id, by, now) =>
      db.guarded(LOCK, [S.draftGuard, [id]], (row) => {
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
          writes: [
            [S.approve, [rev, by.platform, by.id, by.name, now, id]],
            [S.bump, [String(rev)]],
          ],
          result: approved,
        };
      }),

    rejectGlossaryDraft: (id, by, now) =>
      db.guarded(LOCK, [S.draftGuard, [id]], (row) => {
        if (row.id === undefined || String(row.status) !== 'draft') return { writes: [], result: false };
        return { writes: [[S.reject, [by.platform, by.id, by.name, now, id]]], result: true };
      }),

    publishGlossaryChange: (change, now) =>
      db.guarded(LOCK, [S.nextSeq, [change.lang, change.entryId]], (row) => {
        const rev = Number(row.published ?? 1) + 1;
        const revision = revisionOf(change, Number(row.seq ?? 0) + 1, now, { rev, by: change.author });
        return { writes: [insertOf(revision), [S.bump, [String(rev)]]], result: revision };
      }),

    publishedGlossaryRevisions: async (after = 0) => (await db.all(S.published, [after])).map(toRevision),

    askGlossaryTerm: async (lang, term, now) => void (await db.run(S.ask, [lang, wantedKey(term), term.trim(), now])),
    glossaryWanted: async (limit) =>
      (await db.all(S.wanted, [limit])).map((r) => ({
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
    dismissGlossaryWanted: async (lang, term) => (await db.run(S.dismiss, [lang, wantedKey(term)])) > 0,
    recordGlossaryGaps: (found, now) =>
      db.guarded('glossary_wanted', [S.gapsGuard, []], () => ({
        writes: [
          [S.clearGaps, []],
          ...found.map((g): Statement => [
            S.gap,
            [g.lang, wantedKey(g.term), g.term.trim(), g.items, g.sources, JSON.stringify(g.examples), now],
          ]),
          [S.gapsRunAt, [String(now)]],
        ],
        result: undefined,
      })),
    glossaryGapsRunAt: async () => {
      const row = (await db.all(S.gapsGuard, []))[0];
      return row ? Number(row.value) : null;
    },
    claimGlossaryWanted: async (lang, term, by, now) =>
      (await db.run(S.claim, [by.platform, by.id, by.name, now, lang, wantedKey(term), by.platform, by.id])) > 0,
    recentItemTexts: async (since, limit) =>
      (await db.all(S.recentItems, [since, limit])).map((r) => {
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
      await db.run(S.insertKey, [created]);
      return String((await db.all(S.key, []))[0]!.value);
    },
  };
}
