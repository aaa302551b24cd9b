import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isUnwritable, type Store, type WorkerInfo } from '../store/types';
import type { Clock, EngineLogger } from './ports';
import { errorMessage } from '../../shared/errors';

/** Who this `scipop run` process is, as other workers and `scipop workers` see it. */
export type WorkerIdentity = Omit<WorkerInfo, 'heartbeatAt'>;

/** A fresh identity: host, pid and a random suffix, so a restarted process is a new worker. */
export function newWorkerIdentity(version: string, now: number, id?: string): WorkerIdentity {
  const host = hostname();
  return {
    id: id ?? `${host}:${process.pid}:${randomBytes(3).toString('hex')}`,
    host,
    pid: process.pid,
    version,
    startedAt: now,
  };
}

/** Called when this worker takes a role (`onGain`) and when it loses or gives it back (`onLose`). */
export interface RoleHandlers {
  onGain(): Promise<void>;
  onLose(): Promise<void>;
}

/** What one round found, for the engine (in-doubt recovery) and the logs. */
export interface RoundReport {
  liveWorkers: number;
  /** Heartbeats older than this are dead workers'; their rows left in `sending` are in doubt. */
  aliveSince: number;
}

/**
 * Work sharing between `scipop run` processes on one store. Each round (every quarter of a lease
 * period, and before the engine's first cycle) the worker beats, which extends every lease it
 * holds; takes its fair share of the destinations — ceil(channels / live workers), free or lapsed
 * ones first, giving back any above its share so a new worker gets some — and takes or keeps the
 * roles only one worker may play. A worker that dies stops beating: its leases lapse and the
 * others take them, all within one lease period ({@link leaseHoldMs}).
 *
 * Destinations are owned, not rate-limited through the database: the owner's in-process limiter
 * and the platform's own answers (429 with retry_after) govern each destination with no round trip
 * per post, and one owner keeps the destination's posts in order. A new owner starts its limiter
 * from the channel's recent posts (Store.recentSends).
 */
export interface Coordinator {
  readonly worker: WorkerIdentity;
  readonly leaseMs: number;
  /** How long each lease runs past a heartbeat ({@link leaseHoldMs}). */
  readonly holdMs: number;
  /** True when this is the only process the store may have (SQLite): other workers are dead by definition. */
  readonly single: boolean;
  /** Live workers at the last round, this one included (at least 1). */
  liveWorkers(): number;
  /** How many destinations it holds (as of the last round). */
  ownedChannels(): number;
  /** Asks for a role; the handlers run as it is gained and lost. */
  holdRole(name: string, handlers: RoleHandlers): void;
  /** Listens to changes in the number of live workers (a shared budget is split by it). */
  onLiveWorkers(listener: (live: number) => void): void;
  /** The destinations to share from now on (the engine sets them as channels change). */
  setChannels(ids: readonly string[]): void;
  /** Runs after each round (the engine resolves dead workers' in-doubt rows here). */
  onRound(listener: (report: RoundReport) => Promise<void>): void;
  /** One round now (rounds never overlap). */
  round(): Promise<RoundReport>;
  /** Runs rounds every third of a lease period until stop(). */
  start(): void;
  /** Stops the rounds, gives up the roles and retires the worker (its leases go back at once). */
  stop(): Promise<void>;
}

export interface CoordinatorOptions {
  store: Store;
  clock: Clock;
  log: EngineLogger;
  worker: WorkerIdentity;
  leaseMs: number;
}

/**
 * `workers.leaseSeconds` is the longest a dead worker's work waits for another worker. So each
 * beat extends the leases by three quarters of it and beats come every quarter: a worker may miss
 * two beats (a slow database) without losing anything, and a dead one's leases lapse at most ¾ of
 * the period after its death, the others' next round (¼) taking them over.
 */
export const leaseHoldMs = (leaseMs: number): number => Math.round((leaseMs * 3) / 4);

/** How long a dead worker stays listed by `scipop workers`. */
export const FORGET_AFTER_MS = 3_600_000;

/** A stable spread of starting points, so workers do not all race for the same free channel first. */
function rotation(id: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return n === 0 ? 0 : (h >>> 0) % n;
}

export function createCoordinator(options: CoordinatorOptions): Coordinator {
  const { store, clock, log, worker, leaseMs } = options;
  const holdMs = leaseHoldMs(leaseMs);
  const single = store.kind === 'sqlite';
  const roles = new Map<string, RoleHandlers & { held: boolean }>();
  const liveListeners: ((live: number) => void)[] = [];
  const roundListeners: ((report: RoundReport) => Promise<void>)[] = [];
  let channelIds: readonly string[] = [];
  let owned = 0;
  let live = 1;
  let first = true;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const switchRole = async (name: string, role: RoleHandlers & { held: boolean }, held: boolean) => {
    if (role.held === held) return;
    role.held = held;
    try {
      await (held ? role.onGain() : role.onLose());
      log.info({ worker: worker.id, role: name }, held ? 'took the role' : 'gave up the role');
    } catch (error) {
      log.error(
        { worker: worker.id, role: name, err: errorMessage(error) },
        held ? 'could not start the role; giving it back to be tried again' : 'could not stop the role',
      );
      if (held) {
        // Not playing it: let the next round (this worker's or another's) try again.
        role.held = false;
        await store.releaseLease('role', name, worker.id);
      }
    }
  };

  const doRound = async (): Promise<RoundReport> => {
    const now = clock.now().getTime();
    const until = now + holdMs;
    await store.heartbeat(worker, now, until);
    const aliveSince = now - holdMs;
    const workers = await store.listWorkers();
    if (first && single) {
      // One process per SQLite file: whoever ran before us is gone; take everything back at once.
      for (const w of workers) if (w.id !== worker.id) await store.retireWorker(w.id);
    }
    // Workers dead for an hour leave `scipop workers` (their rows still in doubt stay in doubt).
    for (const w of workers)
      if (w.heartbeatAt < now - FORGET_AFTER_MS && w.id !== worker.id) await store.retireWorker(w.id);
    first = false;
    const liveNow = single
      ? 1
      : Math.max(1, workers.filter((w) => w.heartbeatAt >= aliveSince || w.id === worker.id).length);
    if (liveNow !== live) {
      live = liveNow;
      for (const l of liveListeners) l(live);
    }

    const ids = channelIds;
    const wanted = new Set(ids);
    const leases = (await store.listLeases('channel')).filter((l) => l.until > now);
    const mine = leases.filter((l) => l.owner === worker.id).map((l) => l.key);
    const taken = new Set(leases.map((l) => l.key));
    const released: string[] = [];
    const share = Math.ceil(ids.length / live);
    // Gone from the network, or above this worker's share: give back (newest taken last, so keep the oldest).
    const keep: string[] = [];
    for (const key of mine) {
      if (!wanted.has(key) || keep.length >= share) {
        if (await store.releaseLease('channel', key, worker.id)) released.push(key);
      } else keep.push(key);
    }
    const gained: string[] = [];
    const start = rotation(worker.id, ids.length);
    for (let i = 0; i < ids.length && keep.length < share; i++) {
      const key = ids[(start + i) % ids.length]!;
      if (taken.has(key)) continue;
      if (await store.tryLease('channel', key, worker.id, now, until)) {
        keep.push(key);
        gained.push(key);
      }
    }
    owned = keep.length;

    for (const [name, role] of roles) {
      const held = !stopped && (await store.tryLease('role', name, worker.id, now, until));
      await switchRole(name, role, held);
    }
    if (gained.length > 0 || released.length > 0)
      log.info(
        { worker: worker.id, live, channels: owned, gained: gained.length, released: released.length },
        'destinations rebalanced',
      );
    const report: RoundReport = { liveWorkers: live, aliveSince };
    for (const listener of roundListeners) await listener(report);
    return report;
  };

  const round = () => {
    const next = chain.then(doRound);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    worker,
    leaseMs,
    holdMs,
    single,
    liveWorkers: () => live,
    ownedChannels: () => owned,
    holdRole(name, handlers) {
      roles.set(name, { ...handlers, held: false });
    },
    onLiveWorkers(listener) {
      liveListeners.push(listener);
    },
    setChannels(ids) {
      channelIds = [...ids];
    },
    onRound(listener) {
      roundListeners.push(listener);
    },
    round,
    start() {
      if (timer || stopped) return;
      timer = setInterval(
        () => {
          // A store that cannot write is reported once by its owner (bots/main.ts); each round notes it.
          round().catch((error) =>
            log[isUnwritable(error) ? 'debug' : 'error'](
              { worker: worker.id, err: errorMessage(error) },
              'lease round failed; leases lapse if this goes on',
            ),
          );
        },
        Math.max(50, Math.floor(leaseMs / 4)),
      );
      timer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      await chain;
      for (const [name, role] of roles) await switchRole(name, role, false);
      owned = 0;
      await store.retireWorker(worker.id);
    },
  };
}
