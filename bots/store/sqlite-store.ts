import { commitDigestPlan, digestCandidatesPlan, lastDigestPlan } from './digests';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { newId } from './ids';
import { bind, type Query } from './named';
import { runPlanSync, type Plan } from './plan';
import { LATEST_VERSION, MIGRATIONS, MIGRATIONS_TABLE } from './migrations';
import { createDashboardState } from './dashboard-state';
import { createDeliveryLogState } from './delivery-log';
import { createGlossaryState } from './glossary-state';
import { createPlatformState, type SqlRunner } from './platform-state';
import { LISTED_EVERY_MS, Q, SQL } from './queries';
import {
  addSourcePlan,
  pauseSubscriptionPlan,
  removeChannelPlan,
  subscribePlan,
  SUBSCRIPTION_LISTS,
  unsubscribePlan,
  upsertChannelPlan,
} from './subscriptions';
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
import { StoreError, type DeliveryStatus, type Store, type StoreStats } from './types';
import { fsFault, guardWrites, nearlyFull, sqliteWriteFault } from './sqlite-faults';
import { errorMessage } from '../../shared/errors';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** Lets tests and `scipop migrate` open a database without migrating it. */
  migrate?: boolean;
  /**
   * Called when writes start failing for a reason outside the data (a full disk, a read-only
   * file: the problem in plain words), and with null once a write goes through again.
   */
  onWriteProblem?(problem: string | null): void;
}

/** Applies every migration newer than the database, each step in its own transaction. */
export function migrateSqlite(db: Database.Database, now = Date.now()): number {
  db.exec(MIGRATIONS_TABLE);
  const current = Number((db.prepare(SQL.schemaVersion).get() as Row).v);
  if (current > LATEST_VERSION) {
    throw new StoreError(
      'migration',
      `database schema is version ${current}, newer than this SciPop (${LATEST_VERSION}); upgrade SciPop`,
    );
  }
  for (const step of MIGRATIONS) {
    if (step.version <= current) continue;
    db.transaction(() => {
      for (const statement of step.statements) db.exec(statement);
      if (step.seed) {
        const rows = Object.fromEntries(
          Object.entries(step.seed.reads).map(([k, sql]) => [k, db.prepare(sql).all() as Row[]]),
        );
        for (const [sql, args] of step.seed.writes(rows, now)) db.prepare(sql).run(...args);
      }
      const [record, args] = bind(Q.recordMigration, { version: step.version, name: step.name, now });
      db.prepare(record).run(...args);
    })();
  }
  return Math.max(current, LATEST_VERSION);
}

/**
 * The embedded store: one SQLite file in WAL mode. Writes commit before the call returns, so a
 * process killed right after a call loses nothing it returned from (WAL with synchronous=NORMAL
 * survives a process crash; only an OS crash may lose the last commits).
 */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(file, options);
  let problem: string | null = null;
  // Told once when writes start failing and once when they work again (the wording of later
  // failures, e.g. SQLITE_FULL or SQLITE_IOERR on one full disk, only updates the problem).
  const setProblem = (next: string | null) => {
    const changed = (next === null) !== (problem === null);
    problem = next;
    if (changed) options.onWriteProblem?.(next);
  };

  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // A write that goes through ends a write problem (a heartbeat every few seconds is one), unless
  // the disk is still all but full: small writes can fit in the last free block and fail again.
  const wrote = (s: Database.Statement) => {
    if (problem !== null && !s.readonly && !nearlyFull(file)) setProblem(null);
  };
  const one = (sql: string, ...args: unknown[]) => {
    const s = stmt(sql);
    const row = s.get(...args) as Row | undefined;
    wrote(s);
    return row;
  };
  const all = (sql: string, ...args: unknown[]) => {
    const s = stmt(sql);
    const rows = s.all(...args) as Row[];
    wrote(s);
    return rows;
  };
  const run = (sql: string, ...args: unknown[]) => {
    const s = stmt(sql);
    const changes = s.run(...args).changes;
    wrote(s);
    return changes;
  };
  // Queries with parameters (queries.ts `Q`), bound by name.
  const allQ = <P extends object>(q: Query<P>, params: NoInfer<P>) => {
    const [sql, args] = bind(q, params);
    return all(sql, ...args);
  };
  const runQ = <P extends object>(q: Query<P>, params: NoInfer<P>) => {
    const [sql, args] = bind(q, params);
    return run(sql, ...args);
  };
  const oneQ = <P extends object>(q: Query<P>, params: NoInfer<P>) => {
    const [sql, args] = bind(q, params);
    return one(sql, ...args);
  };

  // A multi-statement operation of subscriptions.ts, as one synchronous transaction.
  const plan = <T>(p: Plan<T>): T =>
    db.transaction(() =>
      runPlanSync(p, (step) => (step.kind === 'all' ? all(step.sql, ...step.args) : run(step.sql, ...step.args))),
    )();

  const getSource = (idOrUrl: string) => {
    const row = oneQ(Q.sourceById, { id: idOrUrl }) ?? oneQ(Q.sourceByUrl, { url: idOrUrl });
    return row ? rowToSource(row) : undefined;
  };

  const saveState = (sourceId: string, s: Parameters<Store['saveFetchState']>[1]) => {
    runQ(Q.saveFetchState, {
      id: sourceId,
      url: s.url ?? null,
      etag: s.etag,
      lastModified: s.lastModified,
      nextFetchAt: s.nextFetchAt,
      lastFetchAt: s.lastFetchAt,
      lastSuccessAt: s.lastSuccessAt,
      failures: s.failures,
      lastError: s.lastError,
    });
    if (s.pausedReason) runQ(Q.pauseIfReason, { id: sourceId, reason: s.pausedReason, now: s.lastFetchAt });
  };

  const commit = db.transaction(
    (
      sourceId: string,
      state: Parameters<Store['commitFetch']>[1],
      items: Parameters<Store['commitFetch']>[2],
      now: number,
      listed: readonly string[],
    ) => {
      for (let i = 0; i < listed.length; i += 500) {
        const chunk = listed.slice(i, i + 500);
        const sql = `UPDATE items SET last_listed_at = ? WHERE source_id = ? AND item_key IN (${chunk.map(() => '?').join(', ')}) AND COALESCE(last_listed_at, seen_at) < ?`;
        stmt(sql).run(now, sourceId, ...chunk, now - LISTED_EVERY_MS);
      }
      runQ(Q.markParsed, { sourceId, now });
      let insertedItems = 0;
      let insertedDeliveries = 0;
      for (const item of items) {
        const itemId = newId(now);
        const added = runQ(Q.insertItem, {
          id: itemId,
          sourceId,
          key: item.key,
          title: item.title,
          link: item.link,
          publishedAt: item.publishedAt,
          data: JSON.stringify(item.data ?? null),
          now,
        });
        if (added === 0) continue;
        insertedItems++;
        for (const d of item.deliveries) {
          insertedDeliveries += runQ(Q.insertDelivery, {
            id: newId(now),
            itemId,
            sourceId,
            channelId: d.channelId,
            status: d.status,
            message: JSON.stringify(d.message),
            now,
          });
        }
        for (const v of item.verdicts ?? [])
          runQ(Q.insertVerdict, {
            itemId,
            sourceId,
            channelId: v.channelId,
            outcome: v.outcome,
            reason: v.reason.slice(0, 500),
            now,
          });
      }
      saveState(sourceId, state);
      return { insertedItems, insertedDeliveries };
    },
  );

  const beat = db.transaction((w: Parameters<Store['heartbeat']>[0], now: number, until: number) => {
    runQ(Q.upsertWorker, { id: w.id, host: w.host, pid: w.pid, version: w.version, startedAt: w.startedAt, now });
    runQ(Q.renewLeases, { owner: w.id, until });
    runQ(Q.renewSourceLeases, { owner: w.id, until });
  });
  const retire = db.transaction((id: string) => {
    runQ(Q.deleteWorker, { id });
    runQ(Q.dropLeases, { owner: id });
    runQ(Q.dropSourceLeases, { owner: id });
  });

  // Calls are synchronous under the promises, so a guarded batch is one synchronous transaction.
  const runner: SqlRunner = {
    all: async (sql, args) => all(sql, ...args),
    run: async (sql, args) => run(sql, ...args),
    guarded: async (_lock, [sql, args], plan) =>
      db.transaction(() => {
        const { writes, result } = plan(one(sql, ...args) ?? {});
        for (const [w, a] of writes) run(w, ...a);
        return result;
      })(),
  };

  const store: Store = {
    ...createPlatformState(runner),
    ...createGlossaryState(runner),
    ...createDashboardState(runner),
    ...createDeliveryLogState(runner),
    kind: 'sqlite',
    schemaVersion: async () => Number(one(SQL.schemaVersion)?.v ?? 0),
    close: async () => {
      if (db.open) db.close();
    },

    addSource: async (input, now, subscriber) => {
      const id = plan(addSourcePlan(input, now, subscriber));
      if (id === null) throw new StoreError('duplicate', `a source with the URL ${input.url} already exists`);
      return rowToSource(oneQ(Q.sourceById, { id })!);
    },
    getSource: async (idOrUrl) => getSource(idOrUrl),
    listSources: async () => all(SQL.listSources).map(rowToSource),
    updateSource: async (id, patch) => {
      const columns = sourcePatchColumns(patch);
      if (columns.length > 0) {
        const sets = columns.map(([c]) => `${c} = ?`).join(', ');
        try {
          db.prepare(`UPDATE sources SET ${sets} WHERE id = ?`).run(...columns.map(([, v]) => v), id);
        } catch (error) {
          if (errorMessage(error).includes('UNIQUE'))
            throw new StoreError('duplicate', `a source with the URL ${String(patch.url)} already exists`);
          throw error;
        }
      }
      const row = oneQ(Q.sourceById, { id });
      return row ? rowToSource(row) : undefined;
    },
    removeSource: async (id) => runQ(Q.deleteSource, { id }) > 0,
    dueSources: async (now, limit) => allQ(Q.dueSources, { now, limit }).map(rowToSource),
    leaseDueSources: async (owner, now, until, limit) =>
      allQ(Q.leaseDueSources, { owner, until, now, limit })
        .map(rowToSource)
        .sort((a, b) => a.nextFetchAt - b.nextFetchAt || (a.id < b.id ? -1 : 1)),
    pauseSource: async (id, reason, now) => runQ(Q.pauseSource, { id, reason, now }) > 0,
    resumeSource: async (id, now) => runQ(Q.resumeSource, { id, now }) > 0,

    unseenKeys: async (sourceId, keys) => {
      const unseen = new Set(keys);
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const sql = `SELECT item_key FROM items WHERE source_id = ? AND item_key IN (${chunk.map(() => '?').join(', ')})`;
        for (const row of stmt(sql).all(sourceId, ...chunk) as Row[]) unseen.delete(String(row.item_key));
      }
      return unseen;
    },
    commitFetch: async (sourceId, state, items, now, listed = []) => commit(sourceId, state, items, now, listed),
    pruneItems: async (before, limit) => runQ(Q.pruneItems, { before, limit }),
    saveFetchState: async (sourceId, state) => saveState(sourceId, state),

    upsertChannel: async (c, now) => plan(upsertChannelPlan(c, now)),
    listChannels: async () => all(SQL.listChannels).map(rowToChannel),
    removeChannel: async (id, now = Date.now()) => plan(removeChannelPlan(id, now)),

    listSubscriptions: async (filter = {}) => {
      const [sql, args] =
        filter.channelId !== undefined
          ? bind(SUBSCRIPTION_LISTS.ofChannel, { channelId: filter.channelId })
          : filter.sourceId !== undefined
            ? bind(SUBSCRIPTION_LISTS.ofSource, { sourceId: filter.sourceId })
            : bind(SUBSCRIPTION_LISTS.all, {});
      return all(sql, ...args)
        .map(rowToSubscription)
        .filter((s) => filter.sourceId === undefined || s.sourceId === filter.sourceId);
    },
    subscribe: async (channelId, sourceId, now) => plan(subscribePlan(channelId, sourceId, now)),
    unsubscribe: async (channelId, sourceId, now) => plan(unsubscribePlan(channelId, sourceId, now)),
    pauseSubscription: async (channelId, sourceId, reason, now) =>
      plan(pauseSubscriptionPlan(channelId, sourceId, reason, now)),

    pendingDeliveries: async (now, limit, owner) =>
      (owner === undefined
        ? allQ(Q.pendingDeliveries, { now, limit })
        : allQ(Q.pendingOwned, { now, owner, limit })
      ).map(rowToDelivery),
    inDoubtDeliveries: async (aliveSince) =>
      (aliveSince === undefined ? all(SQL.inDoubt) : allQ(Q.inDoubtDead, { aliveSince })).map(rowToDelivery),
    resolveInDoubt: async (id, claimedBy, outcome, note, now) =>
      (outcome === 'resend'
        ? runQ(Q.resolveResend, { id, claimedBy: claimedBy ?? '', note, now })
        : runQ(Q.resolveSkip, { id, claimedBy: claimedBy ?? '', note, now })) === 1,
    claimDelivery: async (id, now, owner) =>
      (owner === undefined ? runQ(Q.claim, { id, now }) : runQ(Q.claimOwned, { id, owner, now })) === 1,
    markSent: async (id, now, remoteId) => void runQ(Q.markSent, { id, now, remoteId }),
    markFailed: async (id, error, retryAt) =>
      void (retryAt === null ? runQ(Q.markFailed, { id, error }) : runQ(Q.markRetry, { id, error, retryAt })),
    deferDelivery: async (id, notBefore, note) => void runQ(Q.defer, { id, notBefore, note: note ?? null }),
    getDelivery: async (id) => {
      const row = oneQ(Q.deliveryById, { id });
      return row ? rowToDelivery(row) : undefined;
    },
    heldDeliveries: async (channelId, limit) =>
      (channelId === null ? allQ(Q.heldAll, { limit }) : allQ(Q.heldForChannel, { channelId, limit })).map(
        rowToDelivery,
      ),
    decideDelivery: async (id, decision, by, now) =>
      runQ(Q.decide, { id, status: decision === 'approve' ? 'pending' : 'rejected', by, now }) === 1,
    digestCandidates: async (channelId, since, until, limit) =>
      plan(digestCandidatesPlan(channelId, since, until, limit)),
    lastDigest: async (channelId) => plan(lastDigestPlan(channelId)),
    commitDigest: async (digest, now) => plan(commitDigestPlan(digest, now)),
    countSentSince: async (channelId, since) => Number(oneQ(Q.countSentSince, { channelId, since })?.n ?? 0),
    recentSends: async (channelId, since) => allQ(Q.recentSends, { channelId, since }).map((r) => Number(r.t)),
    stats: async (): Promise<StoreStats> => {
      const s = one(SQL.countSources)!;
      const deliveries: Record<DeliveryStatus, number> = {
        held: 0,
        pending: 0,
        sending: 0,
        sent: 0,
        rejected: 0,
        failed: 0,
        digest: 0,
      };
      for (const row of all(SQL.countByStatus)) deliveries[String(row.status) as DeliveryStatus] = Number(row.n);
      const sources = Number(s.n);
      const activeSources = Number(s.active);
      return {
        sources,
        activeSources,
        pausedSources: sources - activeSources,
        items: Number(one(SQL.countItems)!.n),
        deliveries,
      };
    },

    heartbeat: async (worker, now, until) => beat(worker, now, until),
    retireWorker: async (id) => retire(id),
    listWorkers: async () => all(SQL.listWorkers).map(rowToWorker),
    tryLease: async (kind, key, owner, now, until) => runQ(Q.tryLease, { kind, key, owner, until, now }) === 1,
    releaseLease: async (kind, key, owner) => runQ(Q.releaseLease, { kind, key, owner }) === 1,
    listLeases: async (kind) =>
      (kind === undefined ? all(SQL.listLeases) : allQ(Q.listLeasesOfKind, { kind })).map(rowToLease),
    sourceLeases: async (now) => allQ(Q.sourceLeases, { now }).map(rowToSourceLease),
    writeProblem: () => problem,
  };
  return guardWrites(store, file, (fault) => setProblem(fault.message));
}

/** Opens, tunes and migrates the file; a disk or permission failure comes out as a clear `unwritable` error. */
function openDatabase(file: string, options: SqliteStoreOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.migrate !== false) migrateSqlite(db);
    return db;
  } catch (error) {
    if (db?.open) db.close();
    throw sqliteWriteFault(error, file) ?? fsFault(error, file) ?? error;
  }
}
