import { commitDigestPlan, digestCandidatesPlan, lastDigestPlan } from './digests';
import type pg from 'pg';
import { newId } from './ids';
import { bind, type Query } from './named';
import { runPlanAsync, type Plan } from './plan';
import {
  addSourcePlan,
  pauseSubscriptionPlan,
  removeChannelPlan,
  subscribePlan,
  SUBSCRIPTION_LISTS,
  unsubscribePlan,
  upsertChannelPlan,
} from './subscriptions';
import { LISTED_EVERY_MS, Q } from './queries';
import {
  createPgPool,
  inTransaction,
  migratePostgres,
  parsePgTarget,
  PG,
  PG_Q,
  pgSchemaVersion,
  redactUrl,
  toPg,
} from './postgres-sql';
import { createDashboardState } from './dashboard-state';
import { createDeliveryLogState } from './delivery-log';
import { createGlossaryState } from './glossary-state';
import { createPlatformState, type SqlRunner } from './platform-state';
import {
  rowToChannel,
  rowToDelivery,
  rowToLease,
  rowToSource,
  rowToSourceLease,
  rowToSubscription,
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
const PG_INSERT_VERDICTS = {
  head: 'INSERT INTO item_verdicts (item_id, source_id, channel_id, outcome, reason, created_at) VALUES',
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
  // Queries with parameters (queries.ts `Q`), bound by name and numbered for PostgreSQL once.
  const pgSql = new Map<string, string>();
  const numbered = (sql: string) => pgSql.get(sql) ?? pgSql.set(sql, toPg(sql)).get(sql)!;
  const allQ = <P extends object>(q: Query<P>, params: NoInfer<P>, on: Queryable = pool) => {
    const [sql, args] = bind(q, params);
    return all(numbered(sql), args, on);
  };
  const runQ = <P extends object>(q: Query<P>, params: NoInfer<P>, on: Queryable = pool) => {
    const [sql, args] = bind(q, params);
    return run(numbered(sql), args, on);
  };
  const oneQ = async <P extends object>(q: Query<P>, params: NoInfer<P>, on: Queryable = pool) =>
    (await allQ(q, params, on))[0];

  const getSource = async (idOrUrl: string) => {
    const row = (await oneQ(Q.sourceById, { id: idOrUrl })) ?? (await oneQ(Q.sourceByUrl, { url: idOrUrl }));
    return row ? rowToSource(row) : undefined;
  };

  const saveState = async (sourceId: string, s: FetchState, q: Queryable = pool) => {
    await runQ(
      Q.saveFetchState,
      {
        id: sourceId,
        url: s.url ?? null,
        etag: s.etag,
        lastModified: s.lastModified,
        nextFetchAt: s.nextFetchAt,
        lastFetchAt: s.lastFetchAt,
        lastSuccessAt: s.lastSuccessAt,
        failures: s.failures,
        lastError: s.lastError,
      },
      q,
    );
    if (s.pausedReason) await runQ(Q.pauseIfReason, { id: sourceId, reason: s.pausedReason, now: s.lastFetchAt }, q);
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
        await runQ(PG_Q.markListed, { now, sourceId, keys: [...listed], before: now - LISTED_EVERY_MS }, client);
      }
      await runQ(Q.markParsed, { sourceId, now }, client);
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
      const verdicts = items.flatMap((item, i) =>
        inserted.has(ids[i]!)
          ? (item.verdicts ?? []).map((v) => [ids[i], sourceId, v.channelId, v.outcome, v.reason.slice(0, 500), now])
          : [],
      );
      for (const chunk of chunks(verdicts, BATCH))
        await run(multiInsert(PG_INSERT_VERDICTS, chunk), chunk.flat(), client);
      await saveState(sourceId, state, client);
      return { insertedItems: inserted.size, insertedDeliveries };
    });

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

  // A multi-statement operation of subscriptions.ts, in one transaction.
  const plan = <T>(p: Plan<T>): Promise<T> =>
    inTransaction(pool, (client) =>
      runPlanAsync(p, (step) =>
        step.kind === 'all' ? all(numbered(step.sql), step.args, client) : run(numbered(step.sql), step.args, client),
      ),
    );

  return {
    ...createPlatformState(runner),
    ...createGlossaryState(runner),
    ...createDashboardState(runner),
    ...createDeliveryLogState(runner),
    kind: 'postgres',
    schemaVersion: () => pgSchemaVersion(pool),
    close: async () => {
      if (!pool.ended) await pool.end();
      if (control && !control.ended) await control.end();
    },

    addSource: async (input, now, subscriber) => {
      const id = await plan(addSourcePlan(input, now, subscriber));
      if (id === null) throw new StoreError('duplicate', `a source with the URL ${input.url} already exists`);
      return rowToSource((await oneQ(Q.sourceById, { id }))!);
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
      const row = await oneQ(Q.sourceById, { id });
      return row ? rowToSource(row) : undefined;
    },
    removeSource: async (id) => (await runQ(Q.deleteSource, { id })) > 0,
    dueSources: async (now, limit) => (await allQ(Q.dueSources, { now, limit })).map(rowToSource),
    leaseDueSources: async (owner, now, until, limit) =>
      (await allQ(Q.leaseDueSources, { owner, until, now, limit }))
        .map(rowToSource)
        .sort((a, b) => a.nextFetchAt - b.nextFetchAt || (a.id < b.id ? -1 : 1)),
    pauseSource: async (id, reason, now) => (await runQ(Q.pauseSource, { id, reason, now })) > 0,
    resumeSource: async (id, now) => (await runQ(Q.resumeSource, { id, now })) > 0,

    unseenKeys: async (sourceId, keys) => {
      const unseen = new Set(keys);
      if (keys.length === 0) return unseen;
      const rows = await allQ(PG_Q.seenKeys, { sourceId, keys: [...keys] });
      for (const row of rows) unseen.delete(String(row.item_key));
      return unseen;
    },
    commitFetch: commit,
    pruneItems: async (before, limit) => runQ(Q.pruneItems, { before, limit }),
    saveFetchState: (sourceId, state) => saveState(sourceId, state),

    upsertChannel: (c, now) => plan(upsertChannelPlan(c, now)),
    listChannels: async () => (await all(PG.listChannels)).map(rowToChannel),
    removeChannel: (id, now = Date.now()) => plan(removeChannelPlan(id, now)),

    listSubscriptions: async (filter = {}) => {
      const [sql, args] =
        filter.channelId !== undefined
          ? bind(SUBSCRIPTION_LISTS.ofChannel, { channelId: filter.channelId })
          : filter.sourceId !== undefined
            ? bind(SUBSCRIPTION_LISTS.ofSource, { sourceId: filter.sourceId })
            : bind(SUBSCRIPTION_LISTS.all, {});
      return (await all(numbered(sql), args))
        .map(rowToSubscription)
        .filter((s) => filter.sourceId === undefined || s.sourceId === filter.sourceId);
    },
    subscribe: (channelId, sourceId, now) => plan(subscribePlan(channelId, sourceId, now)),
    unsubscribe: (channelId, sourceId, now) => plan(unsubscribePlan(channelId, sourceId, now)),
    pauseSubscription: (channelId, sourceId, reason, now) =>
      plan(pauseSubscriptionPlan(channelId, sourceId, reason, now)),

    pendingDeliveries: async (now, limit, owner) =>
      (owner === undefined
        ? await allQ(Q.pendingDeliveries, { now, limit })
        : await allQ(Q.pendingOwned, { now, owner, limit })
      ).map(rowToDelivery),
    inDoubtDeliveries: async (aliveSince) =>
      (aliveSince === undefined ? await all(PG.inDoubt) : await allQ(Q.inDoubtDead, { aliveSince })).map(rowToDelivery),
    resolveInDoubt: async (id, claimedBy, outcome, note, now) =>
      (await runQ(outcome === 'resend' ? Q.resolveResend : Q.resolveSkip, {
        id,
        claimedBy: claimedBy ?? '',
        note,
        now,
      })) === 1,
    claimDelivery: async (id, now, owner) =>
      (await (owner === undefined ? runQ(Q.claim, { id, now }) : runQ(Q.claimOwned, { id, owner, now }))) === 1,
    markSent: async (id, now, remoteId) => void (await runQ(Q.markSent, { id, now, remoteId })),
    markFailed: async (id, error, retryAt) =>
      void (await (retryAt === null ? runQ(Q.markFailed, { id, error }) : runQ(Q.markRetry, { id, error, retryAt }))),
    deferDelivery: async (id, notBefore, note) => void (await runQ(Q.defer, { id, notBefore, note: note ?? null })),
    getDelivery: async (id) => {
      const row = await oneQ(Q.deliveryById, { id });
      return row ? rowToDelivery(row) : undefined;
    },
    heldDeliveries: async (channelId, limit) =>
      (channelId === null ? await allQ(Q.heldAll, { limit }) : await allQ(Q.heldForChannel, { channelId, limit })).map(
        rowToDelivery,
      ),
    decideDelivery: async (id, decision, by, now) =>
      (await runQ(Q.decide, { id, status: decision === 'approve' ? 'pending' : 'rejected', by, now })) === 1,
    digestCandidates: async (channelId, since, until, limit) =>
      plan(digestCandidatesPlan(channelId, since, until, limit)),
    lastDigest: async (channelId) => plan(lastDigestPlan(channelId)),
    commitDigest: async (digest, now) => plan(commitDigestPlan(digest, now)),
    countSentSince: async (channelId, since) => Number((await oneQ(Q.countSentSince, { channelId, since }))?.n ?? 0),
    recentSends: async (channelId, since) => (await allQ(Q.recentSends, { channelId, since })).map((r) => Number(r.t)),
    stats: async (): Promise<StoreStats> => {
      const [s, items, byStatus] = await Promise.all([one(PG.countSources), one(PG.countItems), all(PG.countByStatus)]);
      const deliveries: Record<DeliveryStatus, number> = {
        held: 0,
        pending: 0,
        sending: 0,
        sent: 0,
        rejected: 0,
        failed: 0,
        digest: 0,
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
        const { id, host, pid, version, startedAt } = w;
        await runQ(Q.upsertWorker, { id, host, pid, version, startedAt, now }, client);
        await runQ(Q.renewLeases, { owner: id, until }, client);
        await runQ(Q.renewSourceLeases, { owner: id, until }, client);
      }),
    retireWorker: (id) =>
      inTransaction(ctl(), async (client) => {
        await runQ(Q.deleteWorker, { id }, client);
        await runQ(Q.dropLeases, { owner: id }, client);
        await runQ(Q.dropSourceLeases, { owner: id }, client);
      }),
    listWorkers: async () => (await all(PG.listWorkers, [], ctl())).map(rowToWorker),
    tryLease: async (kind, key, owner, now, until) =>
      (await runQ(Q.tryLease, { kind, key, owner, until, now }, ctl())) === 1,
    releaseLease: async (kind, key, owner) => (await runQ(Q.releaseLease, { kind, key, owner }, ctl())) === 1,
    listLeases: async (kind) =>
      (kind === undefined ? await all(PG.listLeases, [], ctl()) : await allQ(Q.listLeasesOfKind, { kind }, ctl())).map(
        rowToLease,
      ),
    sourceLeases: async (now) => (await allQ(Q.sourceLeases, { now })).map(rowToSourceLease),
  };
}
