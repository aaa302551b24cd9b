import { LOG_OUTCOMES, type DeliveryLogEntry, type DeliveryLogStore, type LogOutcome } from './delivery-log-types';
import type { SqlRunner } from './platform-state';
import type { Row } from './rows';

const COLUMNS = `id, item_id, source_id, channel_id, outcome, reason, note, decided_by, remote_id, attempts, created_at, sent_at, title, link`;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
const contains = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => Number(v ?? 0);

function entryOf(r: Row): DeliveryLogEntry {
  return {
    id: String(r.id),
    itemId: String(r.item_id),
    sourceId: String(r.source_id),
    channelId: String(r.channel_id),
    title: String(r.title ?? ''),
    link: str(r.link),
    outcome: String(r.outcome) as LogOutcome,
    reason: str(r.reason),
    note: str(r.note),
    decidedBy: str(r.decided_by),
    remoteId: str(r.remote_id),
    attempts: num(r.attempts),
    createdAt: num(r.created_at),
    sentAt: r.sent_at === null || r.sent_at === undefined ? null : num(r.sent_at),
  };
}

/**
 * The delivery log over either store's driver: the outbox rows of items (a digest's parts are not
 * an item's fate) and the item verdicts, in one list, newest first. Each half is narrowed to the
 * channels before the union, so a moderator's page reads only their channels' rows (indexed by
 * channel and time).
 */
export function createDeliveryLogState(db: SqlRunner): DeliveryLogStore {
  return {
    deliveryLog: async (q) => {
      if (q.channelIds !== null && q.channelIds.length === 0) return [];
      const outcomes = (q.outcomes ?? []).filter((o) => LOG_OUTCOMES.includes(o));
      const search = q.search?.trim() ? contains(q.search.trim()) : null;
      const args: unknown[] = [];
      // Each half is narrowed and cut to the rows the page can need before the union, newest
      // first: with its (channel, time) or (time) index, neither half reads the whole table.
      const where = (alias: string, outcome: string) => {
        let sql = '';
        if (q.channelIds !== null) {
          sql += ` AND ${alias}.channel_id IN (${placeholders(q.channelIds.length)})`;
          args.push(...q.channelIds);
        }
        if (outcomes.length > 0) {
          sql += ` AND ${outcome} IN (${placeholders(outcomes.length)})`;
          args.push(...outcomes);
        }
        if (search) {
          sql += ` AND (LOWER(i.title) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(i.link, '')) LIKE ? ESCAPE '\\')`;
          args.push(search, search);
        }
        return sql;
      };
      const upTo = q.offset + q.limit;
      const outbox = `SELECT o.id AS id, o.item_id AS item_id, o.source_id AS source_id, o.channel_id AS channel_id,
        o.status AS outcome, o.last_error AS reason, o.note AS note, o.decided_by AS decided_by, o.remote_id AS remote_id,
        o.attempts AS attempts, o.created_at AS created_at, o.sent_at AS sent_at, i.title AS title, i.link AS link
        FROM outbox o JOIN items i ON i.id = o.item_id WHERE o.item_id IS NOT NULL${where('o', 'o.status')}
        ORDER BY o.created_at DESC, o.id DESC LIMIT ?`;
      args.push(upTo);
      const verdicts = `SELECT v.item_id || '/' || v.channel_id AS id, v.item_id AS item_id, v.source_id AS source_id,
        v.channel_id AS channel_id, v.outcome AS outcome, v.reason AS reason, CAST(NULL AS TEXT) AS note, CAST(NULL AS TEXT) AS decided_by,
        CAST(NULL AS TEXT) AS remote_id, CAST(0 AS BIGINT) AS attempts, v.created_at AS created_at, CAST(NULL AS BIGINT) AS sent_at, i.title AS title, i.link AS link
        FROM item_verdicts v JOIN items i ON i.id = v.item_id WHERE 1 = 1${where('v', 'v.outcome')}
        ORDER BY v.created_at DESC, v.item_id DESC, v.channel_id DESC LIMIT ?`;
      args.push(upTo);
      args.push(q.limit, q.offset);
      const sql = `SELECT ${COLUMNS} FROM (SELECT * FROM (${outbox}) AS o UNION ALL SELECT * FROM (${verdicts}) AS v) AS log
        ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`;
      return (await db.all(sql, args)).map(entryOf);
    },
  };
}
