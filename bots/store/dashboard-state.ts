import type { DashboardGrant, DashboardStateStore } from './dashboard-types';
import type { SqlRunner } from './platform-state';
import type { Row } from './rows';

const DAY_MS = 86_400_000;

const SQL = {
  createSignIn: `INSERT INTO dashboard_sign_ins (token_hash, grant_json, created_at, expires_at) VALUES (?, ?, ?, ?)`,
  // One UPDATE decides who uses the link: a second worker finds used_at set and gets no row.
  redeem: `UPDATE dashboard_sign_ins SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
    RETURNING grant_json`,
  createSession: `INSERT INTO dashboard_sessions (id_hash, grant_json, created_at, expires_at) VALUES (?, ?, ?, ?)`,
  session: `SELECT grant_json, created_at, expires_at FROM dashboard_sessions WHERE id_hash = ? AND expires_at > ?`,
  endSession: `DELETE FROM dashboard_sessions WHERE id_hash = ?`,
  pruneSignIns: `DELETE FROM dashboard_sign_ins WHERE expires_at <= ?`,
  pruneSessions: `DELETE FROM dashboard_sessions WHERE expires_at <= ?`,
  dailyPosts: `SELECT channel_id, sent_at / ${DAY_MS} AS day, COUNT(*) AS n FROM outbox
    WHERE status = 'sent' AND sent_at >= ? GROUP BY channel_id, sent_at / ${DAY_MS} ORDER BY day, channel_id`,
  queueSizes: `SELECT channel_id,
    SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS held,
    SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending
    FROM outbox WHERE status IN ('held', 'pending') GROUP BY channel_id ORDER BY channel_id`,
} as const;

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

/** The dashboard methods over either store's driver (the SQL both dialects share). */
export function createDashboardState(db: SqlRunner): DashboardStateStore {
  return {
    createDashboardSignIn: async (hash, grant, now, expiresAt) => {
      await db.run(SQL.createSignIn, [hash, JSON.stringify(grant), now, expiresAt]);
    },
    redeemDashboardSignIn: async (hash, now) => {
      const row: Row | undefined = (await db.all(SQL.redeem, [now, hash, now]))[0];
      return row ? grantOf(row.grant_json) : undefined;
    },
    createDashboardSession: async (hash, grant, now, expiresAt) => {
      await db.run(SQL.createSession, [hash, JSON.stringify(grant), now, expiresAt]);
    },
    dashboardSession: async (hash, now) => {
      const row = (await db.all(SQL.session, [hash, now]))[0];
      const grant = row ? grantOf(row.grant_json) : undefined;
      return row && grant ? { grant, createdAt: num(row.created_at), expiresAt: num(row.expires_at) } : undefined;
    },
    endDashboardSession: async (hash) => (await db.run(SQL.endSession, [hash])) > 0,
    pruneDashboard: async (now) => (await db.run(SQL.pruneSignIns, [now])) + (await db.run(SQL.pruneSessions, [now])),
    dailyPosts: async (since) =>
      (await db.all(SQL.dailyPosts, [since])).map((r) => ({
        channelId: String(r.channel_id),
        day: num(r.day),
        posts: num(r.n),
      })),
    queueSizes: async () =>
      (await db.all(SQL.queueSizes, [])).map((r) => ({
        channelId: String(r.channel_id),
        held: num(r.held),
        pending: num(r.pending),
      })),
  };
}
