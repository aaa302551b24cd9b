import type { DashboardGrant, DashboardStateStore } from './dashboard-types';
import { query } from './named';
import { namedRunner, type SqlRunner } from './platform-state';
import type { Row } from './rows';

const DAY_MS = 86_400_000;

export const DASHBOARD_SQL = {
  createSignIn: query<{ hash: string; grant: string; now: number; expiresAt: number }>(
    `INSERT INTO dashboard_sign_ins (token_hash, grant_json, created_at, expires_at) VALUES (:hash, :grant, :now, :expiresAt)`,
  ),
  // One UPDATE decides who uses the link: a second worker finds used_at set and gets no row.
  redeem: query<{
    now: number;
    hash: string;
  }>(`UPDATE dashboard_sign_ins SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
    RETURNING grant_json`),
  createSession: query<{ hash: string; grant: string; now: number; expiresAt: number }>(
    `INSERT INTO dashboard_sessions (id_hash, grant_json, created_at, expires_at) VALUES (:hash, :grant, :now, :expiresAt)`,
  ),
  session: query<{ hash: string; now: number }>(
    `SELECT grant_json, created_at, expires_at FROM dashboard_sessions WHERE id_hash = :hash AND expires_at > :now`,
  ),
  endSession: query<{ hash: string }>(`DELETE FROM dashboard_sessions WHERE id_hash = :hash`),
  pruneSignIns: query<{ now: number }>(`DELETE FROM dashboard_sign_ins WHERE expires_at <= :now`),
  pruneSessions: query<{ now: number }>(`DELETE FROM dashboard_sessions WHERE expires_at <= :now`),
  dailyPosts: query<{ since: number }>(`SELECT channel_id, sent_at / ${DAY_MS} AS day, COUNT(*) AS n FROM outbox
    WHERE status = 'sent' AND sent_at >= :since GROUP BY channel_id, sent_at / ${DAY_MS} ORDER BY day, channel_id`),
  queueSizes: query(`SELECT channel_id,
    SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS held,
    SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending
    FROM outbox WHERE status IN ('held', 'pending') GROUP BY channel_id ORDER BY channel_id`),
} as const;

/**
 * A channel's latest items: `where` narrows them (every source when empty). It varies with what
 * is asked (a channel's subscriptions, or a list of sources of any length), so it is built here
 * with positional arguments (`where`'s, then the limit).
 */
const recentItemsSql = (where: string) =>
  `SELECT id, source_id, title, link, published_at, seen_at, data FROM items ${where}
    ORDER BY seen_at DESC, COALESCE(published_at, 0) DESC, id DESC LIMIT ?`;
const ofChannelSql = `WHERE source_id IN (SELECT source_id FROM subscriptions WHERE channel_id = ? AND paused_reason IS NULL)`;

/** The tables of migration 10 (not copied by `scipop store copy`: sessions end with the old store). */
export const DASHBOARD_TABLES = ['dashboard_sign_ins', 'dashboard_sessions'] as const;

/** A stored grant, read back defensively: a row that does not parse grants nothing. */
function grantOf(text: unknown): DashboardGrant | undefined {
  try {
    const g = JSON.parse(String(text)) as Partial<DashboardGrant>;
    if (typeof g.platform !== 'string' || typeof g.userId !== 'string' || !Array.isArray(g.channelIds))
      return undefined;
    return {
      platform: g.platform,
      userId: g.userId,
      name: typeof g.name === 'string' ? g.name : g.userId,
      operator: g.operator === true,
      channelIds: g.channelIds.map(String),
    };
  } catch {
    return undefined;
  }
}

const num = (v: unknown) => Number(v ?? 0);

function jsonOf(text: unknown): unknown {
  try {
    return JSON.parse(String(text)) as unknown;
  } catch {
    return null;
  }
}

/** The dashboard methods over either store's driver (the SQL both dialects share). */
export function createDashboardState(runner: SqlRunner): DashboardStateStore {
  const db = namedRunner(runner);
  return {
    createDashboardSignIn: async (hash, grant, now, expiresAt) => {
      await db.run(DASHBOARD_SQL.createSignIn, { hash, grant: JSON.stringify(grant), now, expiresAt });
    },
    redeemDashboardSignIn: async (hash, now) => {
      const row: Row | undefined = await db.first(DASHBOARD_SQL.redeem, { now, hash });
      return row ? grantOf(row.grant_json) : undefined;
    },
    createDashboardSession: async (hash, grant, now, expiresAt) => {
      await db.run(DASHBOARD_SQL.createSession, { hash, grant: JSON.stringify(grant), now, expiresAt });
    },
    dashboardSession: async (hash, now) => {
      const row = await db.first(DASHBOARD_SQL.session, { hash, now });
      const grant = row ? grantOf(row.grant_json) : undefined;
      return row && grant ? { grant, createdAt: num(row.created_at), expiresAt: num(row.expires_at) } : undefined;
    },
    endDashboardSession: async (hash) => (await db.run(DASHBOARD_SQL.endSession, { hash })) > 0,
    pruneDashboard: async (now) =>
      (await db.run(DASHBOARD_SQL.pruneSignIns, { now })) + (await db.run(DASHBOARD_SQL.pruneSessions, { now })),
    dailyPosts: async (since) =>
      (await db.all(DASHBOARD_SQL.dailyPosts, { since })).map((r) => ({
        channelId: String(r.channel_id),
        day: num(r.day),
        posts: num(r.n),
      })),
    queueSizes: async () =>
      (await db.all(DASHBOARD_SQL.queueSizes, {})).map((r) => ({
        channelId: String(r.channel_id),
        held: num(r.held),
        pending: num(r.pending),
      })),
    recentItems: async (of, limit) => {
      let where = '';
      let args: unknown[] = [];
      if (of && 'channelId' in of) [where, args] = [ofChannelSql, [of.channelId]];
      else if (of) {
        if (of.sourceIds.length === 0) return [];
        [where, args] = [`WHERE source_id IN (${of.sourceIds.map(() => '?').join(', ')})`, [...of.sourceIds]];
      }
      const rows = await runner.all(recentItemsSql(where), [...args, limit]);
      return rows.map((r) => ({
        id: String(r.id),
        sourceId: String(r.source_id),
        title: String(r.title),
        link: r.link === null || r.link === undefined ? null : String(r.link),
        publishedAt: r.published_at === null || r.published_at === undefined ? null : num(r.published_at),
        seenAt: num(r.seen_at),
        data: jsonOf(r.data),
      }));
    },
  };
}
