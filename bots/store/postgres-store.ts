import type pg from 'pg';
import { newId } from './ids';
import { LISTED_EVERY_MS } from './queries';
import {
  createPgPool,
  inTransaction,
  migratePostgres,
  parsePgTarget,
  PG,
  pgSchemaVersion,
  redactUrl,
  toPg,
} from './postgres-sql';
import { createGlossaryState } from './glossary-state';
import { createPlatformState, type SqlRunner } from './platform-state';
import {
  rowToChannel,
  rowToDelivery,
  rowToLease,
  rowToSource,
  rowToSourceLease,
  rowToWorker,
  sourcePatchColumns,
  type Row,
} from './rows';
import { StoreError, type FetchState, type NewItem, type DeliveryStatus, type Store, type StoreStats } from './types';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** The schema to work in; overrides `?schema=` in the URL (default `public`). */
  schema?: string;
  /** Lets `scipop migrate` open a database without migrating it. */
  migrate?: boolean;
  /** Pool size (default 10). */
  poolSize?: number;
}

type Queryable = pg.Pool | pg.PoolClient;

const BATCH = 500;
const PG_INSERT_ITEMS = {
  head: 'INSERT INTO items (id, source_id, item_key, title, link, published_at, data, seen_at) VALUES',
  tail: ' ON CONFLICT (source_id, item_key) DO NOTHING',
};
const PG_INSERT_DELIVERIES = {
  head: 'INSERT INTO outbox (id, item_id, source_id, channel_id, status, message, created_at, not_before) VALUES',
  tail: ' ON CONFLICT (item_id, channel_id) DO NOTHING',
};

/** `INSERT … VALUES ($1, …), ($9, …) ON CONFLICT …` for rows of equal width. */
function multiInsert(sql: { head: string; tail: string }, rows: unknown[][], returning = ''): string {
  const width = rows[0]?.length ?? 0;
  const values = rows
    .map((_, r) => `(${Array.from({ length: width }, (__, c) => `$${r * width + c + 1}`).join(', ')})`)
    .join(', ');
  return `${sql.head} ${values}${sql.tail}${returning}`;
}

function* chunks<T>(list: T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/** PostgreSQL's unique_violation. */
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * The shared store: the same tables, migrations and SQL as the SQLite store, over a `pg` pool.
 * Each call is one statement or one transaction, so a worker killed mid-call leaves nothing half
 * written. BIGINT columns come back as strings and rows.ts turns them into numbers.
 */
export async function createPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const target = parsePgTarget(url, options.schema);
  const pool = createPgPool(target, options.poolSize);
  // An idle client's error (the server restarted) must not crash the process; the pool drops it.
  pool.on('error', () => undefined);
  try {
    if (options.migrate !== false) await migratePostgres(pool, target.schema);
  } catch (error) {
    await pool.end();
    if (error instanceof StoreError) throw error;
    // Say where: a refused connection alone does not tell an operator which SCIPOP_DB was used.
    const e = error as Error & { code?: string };
    throw new Error(
      `PostgreSQL at ${redactUrl(target.url)} (schema ${target.schema}): ${e.message || e.code || String(error)}`,
      { cause: error },
    );
  }

  // Heartbeats and leases get connections of their own, so 32 polls queueing for the main pool
  // never make a live worker miss its beats (and look dead to the others).
  let control: pg.Pool | null = null;
  const ctl = () => {
    if (!control) {
      control = createPgPool(target, 2);
      control.on('error', () => undefined);
    }
    return control;
  };

  const all = async (sql: string, args: unknown[] = [], q: Queryable = pool) =>
    (await q.query(sql, args)).rows as Row[];
  const one = async (sql: string, args: unknown[] = [], q: Queryable = pool) => (await all(sql, args, q))[0];
  const run = async (sql: string, args: unknown[] = [], q: Queryable = pool) =>
    (await q.query(sql, args)).rowCount ?? 0;

  const getSource = async (idOrUrl: string) => {
    const row = (await one(PG.sourceById, [idOrUrl])) ?? (await one(PG.sourceByUrl, [idOrUrl]));
    return row ? rowToSource(row) : undefined;
  };

  const saveState = async (sourceId: string, s: FetchState, q: Queryable = pool) => {
    await run(
      PG.saveFetchState,
      [
        s.url ?? null,
        s.etag,
        s.lastModified,
        s.nextFetchAt,
        s.lastFetchAt,
        s.lastSuccessAt,
        s.failures,
        s.lastError,
        sourceId,
      ],
      q,
    );
    if (s.pausedReason) await run(PG.pauseIfReason, [s.pausedReason, s.lastFetchAt, sourceId], q);
  };

  // Items and their outbox rows go in as multi-row INSERTs (a first fetch of a big feed is one
  // round trip, not hundreds); RETURNING names the items that were really new.
  const commit = (
    sourceId: string,
    state: FetchState,
    items: readonly NewItem[],
    now: number,
    listed: readonly string[] = [],
  ) =>
    inTransaction(pool, async (client) => {
      if (listed.length > 0) {
        await run(
          'UPDATE items SET last_listed_at = $1 WHERE source_id = $2 AND item_key = ANY($3::text[]) AND COALESCE(last_listed_at, seen_at) < $4',
          [now, sourceId, [...listed], now - LISTED_EVERY_MS],
          client,
        );
      }
      await run(PG.markParsed, [now, sourceId], client);
      const ids = items.map(() => newId(now));
      const rows = items.map((item, i) => [
        ids[i],
        sourceId,
        item.key,
        item.title,
        item.link,
        item.publishedAt,
        JSON.stringify(item.data ?? null),
        now,
      ]);
      const inserted = new Set<string>();
      for (const chunk of chunks(rows, BATCH)) {
        for (const row of await all(multiInsert(PG_INSERT_ITEMS, chunk, ' RETURNING id'), chunk.flat(), client))
          inserted.add(String(row.id));
      }
      const deliveries = items.flatMap((item, i) =>
        inserted.has(ids[i]!)
          ? item.deliveries.map((d) => [
              newId(now),
              ids[i],
              sourceId,
              d.channelId,
              d.status,
              JSON.stringify(d.message),
              now,
              now,
            ])
          : [],
      );
      let insertedDeliveries = 0;
      for (const chunk of chunks(deliveries, BATCH))
        insertedDeliveries += await run(multiInsert(PG_INSERT_DELIVERIES, chunk), chunk.flat(), client);
      await saveState(sourceId, state, client);
      return { insertedItems: inserted.size, insertedDeliveries };
    });

  const pgSql = new Map<string, string>();
  const numbered = (sql: string) => pgSql.get(sql) ?? pgSql.set(sql, toPg(sql)).get(sql)!;
  const runner: SqlRunner = {
    all: (sql, args) => all(numbered(sql), args),
    run: (sql, args) => run(numbered(sql), args),
    guarded: (lock, [sql, args], plan) =>
      inTransaction(pool, async (client) => {
        await client.query(`LOCK TABLE ${lock} IN EXCLUSIVE MODE`);
        const { writes, result } = plan((await one(numbered(sql), args, client)) ?? {});
        for (const [w, a] of writes) await run(numbered(w), a, client);
        return result;
      }),
  };

  return {
    ...createPlatformState(runner),
    ...createGlossaryState(runner),
    kind: 'postgres',
    schemaVersion: () => pgSchemaVersion(pool),
    close: async () => {
      if (!pool.ended) await pool.end();
      if (control && !control.ended) await control.end();
    },

    addSource: async (input, now) => {
      const id = newId(now);
      const args = [
        id,
        input.url,
        input.title,
        input.siteUrl ?? null,
        JSON.stringify(input.tags ?? []),
        input.lang ?? null,
        input.intervalSec ?? null,
        input.trusted === false ? 0 : 1,
        now,
        now,
      ];
      if ((await run(PG.insertSource, args)) === 0)
        throw new StoreError('duplicate', `a source with the URL ${input.url} already exists`);
      return rowToSource((await one(PG.sourceById, [id]))!);
    },
    getSource,
    listSources: async () => (await all(PG.listSources)).map(rowToSource),
    updateSource: async (id, patch) => {
      const columns = sourcePatchColumns(patch);
      if (columns.length > 0) {
        const sets = columns.map(([c], i) => `${c} = $${i + 1}`).join(', ');
        try {
          await run(`UPDATE sources SET ${sets} WHERE id = $${columns.length + 1}`, [...columns.map(([, v]) => v), id]);
        } catch (error) {
          if (isUniqueViolation(error))
            throw new StoreError('duplicate', `a source with the URL ${String(patch.url)} already exists`);
          throw error;
        }
      }
      const row = await one(PG.sourceById, [id]);
      return row ? rowToSource(row) : undefined;
    },
    removeSource: async (id) => (await run(PG.deleteSource, [id])) > 0,
    dueSources: async (now, limit) => (await all(PG.dueSources, [now, limit])).map(rowToSource),
    leaseDueSources: async (owner, now, until, limit) =>
      (await all(PG.leaseDueSources, [owner, until, now, now, now, limit]))
        .map(rowToSource)
        .sort((a, b) => a.nextFetchAt - b.nextFetchAt || (a.id < b.id ? -1 : 1)),
    pauseSource: async (id, reason, now) => (await run(PG.pauseSource, [reason, now, id])) > 0,
    resumeSource: async (id, now) => (await run(PG.resumeSource, [now, id])) > 0,

    unseenKeys: async (sourceId, keys) => {
      const unseen = new Set(keys);
      if (keys.length === 0) return unseen;
      const rows = await all('SELECT item_key FROM items WHERE source_id = $1 AND item_key = ANY($2::text[])', [
        sourceId,
        [...keys],
      ]);
      for (const row of rows) unseen.delete(String(row.item_key));
      return unseen;
    },
    commitFetch: commit,
    pruneItems: async (before, limit) => run(PG.pruneItems, [before, before, limit]),
    saveFetchState: (sourceId, state) => saveState(sourceId, state),

    upsertChannel: async (c, now) =>
      void (await run(PG.upsertChannel, [
        c.id,
        c.sink,
        c.target,
        c.title,
        JSON.stringify(c.rules ?? {}),
        c.origin ?? 'config',
        c.configRules ?? null,
        now,
      ])),
    listChannels: async () => (await all(PG.listChannels)).map(rowToChannel),
    removeChannel: async (id) => (await run(PG.deleteChannel, [id])) > 0,

    pendingDeliveries: async (now, limit, owner) =>
      (owner === undefined
        ? await all(PG.pendingDeliveries, [now, now, limit])
        : await all(PG.pendingOwned, [now, owner, now, now, limit])
      ).map(rowToDelivery),
    inDoubtDeliveries: async (aliveSince) =>
      (aliveSince === undefined ? await all(PG.inDoubt) : await all(PG.inDoubtDead, [aliveSince])).map(rowToDelivery),
    resolveInDoubt: async (id, claimedBy, outcome, note, now) =>
      (await run(outcome === 'resend' ? PG.resolveResend : PG.resolveSkip, [note, now, id, claimedBy ?? ''])) === 1,
    claimDelivery: async (id, now, owner) =>
      (await (owner === undefined ? run(PG.claim, [now, id]) : run(PG.claimOwned, [now, owner, id, owner, now]))) === 1,
    markSent: async (id, now, remoteId) => void (await run(PG.markSent, [now, remoteId, id])),
    markFailed: async (id, error, retryAt) =>
      void (await (retryAt === null ? run(PG.markFailed, [error, id]) : run(PG.markRetry, [error, retryAt, id]))),
    deferDelivery: async (id, notBefore) => void (await run(PG.defer, [notBefore, id])),
    getDelivery: async (id) => {
      const row = await one(PG.deliveryById, [id]);
      return row ? rowToDelivery(row) : undefined;
    },
    heldDeliveries: async (channelId, limit) =>
      (channelId === null ? await all(PG.heldAll, [limit]) : await all(PG.heldForChannel, [channelId, limit])).map(
        rowToDelivery,
      ),
    decideDelivery: async (id, decision, by, now) =>
      (await run(PG.decide, [decision === 'approve' ? 'pending' : 'rejected', by, now, id])) === 1,
    countSentSince: async (channelId, since) => Number((await one(PG.countSentSince, [channelId, since]))?.n ?? 0),
    recentSends: async (channelId, since) =>
      (await all(PG.recentSends, [channelId, since, channelId, since])).map((r) => Number(r.t)),
    stats: async (): Promise<StoreStats> => {
      const [s, items, byStatus] = await Promise.all([one(PG.countSources), one(PG.countItems), all(PG.countByStatus)]);
      const deliveries: Record<DeliveryStatus, number> = {
        held: 0,
        pending: 0,
        sending: 0,
        sent: 0,
        rejected: 0,
        failed: 0,
      };
      for (const row of byStatus) deliveries[String(row.status) as DeliveryStatus] = Number(row.n);
      const sources = Number(s?.n ?? 0);
      const activeSources = Number(s?.active ?? 0);
      return {
        sources,
        activeSources,
        pausedSources: sources - activeSources,
        items: Number(items?.n ?? 0),
        deliveries,
      };
    },

    heartbeat: (w, now, until) =>
      inTransaction(ctl(), async (client) => {
        await run(PG.upsertWorker, [w.id, w.host, w.pid, w.version, w.startedAt, now], client);
        await run(PG.renewLeases, [until, w.id], client);
        await run(PG.renewSourceLeases, [until, w.id], client);
      }),
    retireWorker: (id) =>
      inTransaction(ctl(), async (client) => {
        await run(PG.deleteWorker, [id], client);
        await run(PG.dropLeases, [id], client);
        await run(PG.dropSourceLeases, [id], client);
      }),
    listWorkers: async () => (await all(PG.listWorkers, [], ctl())).map(rowToWorker),
    tryLease: async (kind, key, owner, now, until) =>
      (await run(PG.tryLease, [kind, key, owner, until, now, now], ctl())) === 1,
    releaseLease: async (kind, key, owner) => (await run(PG.releaseLease, [kind, key, owner], ctl())) === 1,
    listLeases: async (kind) =>
      (kind === undefined ? await all(PG.listLeases, [], ctl()) : await all(PG.listLeasesOfKind, [kind], ctl())).map(
        rowToLease,
      ),
    sourceLeases: async (now) => (await all(PG.sourceLeases, [now])).map(rowToSourceLease),
  };
}
