import { isUnwritable, type Channel, type Source, type Subscription } from '../store/types';
import { composeDueDigests } from '../digest/compose';
import { compileChannels, subscribersOf, type CompiledChannel } from './channels';
import { deliverPending, recoverInDoubt, type DeliveryReport } from './delivery';
import { pollSource, type PollReport } from './poller';
import type { ChannelRegistry, EngineDeps } from './types';
import { createCoordinator, newWorkerIdentity, type Coordinator } from './workers';
import { errorMessage, errorStack } from '../../shared/errors';

/** What one cycle did, for `--once`, logs and the benchmark. */
export interface CycleReport {
  polled: number;
  ok: number;
  notModified: number;
  errors: number;
  newItems: number;
  queued: number;
  paused: number;
  delivery: DeliveryReport;
}

/** The running bot network: poll due sources, deliver, repeat; or one cycle for `--once`. */
export interface Engine {
  /**
   * Loads channels, joins the workers on the store (heartbeat, its share of destinations) and
   * resolves deliveries a dead worker left in doubt. Call once before the rest.
   */
  init(): Promise<void>;
  /** Reads the channels and their rules from the store again (a moderator changed a filter). */
  reloadChannels(): Promise<void>;
  /** Polls the given sources (default: every active one, due or not), then delivers everything due. */
  runOnce(sources?: readonly Source[]): Promise<CycleReport>;
  /**
   * Runs until stop(), two loops side by side: one leases the due sources no other worker has and
   * polls them (at once again while more are due, else after `tickMs`); the other delivers to the
   * destinations this worker holds, woken early when a poll queues posts.
   */
  start(tickMs?: number): Promise<void>;
  /** Stops taking work, lets in-flight polls and the current send finish, gives its leases back and returns. */
  stop(): Promise<void>;
  readonly channels: ChannelRegistry;
  readonly coordinator: Coordinator;
  /** True after init and until stop; /healthz reports it. */
  readonly running: boolean;
}

/** Items forgotten per statement, so one pass never holds a long lock. */
const PRUNE_BATCH = 2000;

/** A sleep that `wake` (new work, a stop) cuts short; none at all once `signal` is aborted. */
function createNap(signal: AbortSignal) {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
        const timer = setTimeout(done, ms);
        wake = done;
      }),
    wake: () => wake?.(),
  };
}

/** Runs `work` over `list` with at most `limit` at once. */
async function pool<T>(
  list: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length && !signal?.aborted) await work(list[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

/** Creates the engine over its dependencies; bots/main.ts builds the real ones. */
export function createEngine(deps: EngineDeps): Engine {
  let compiled: CompiledChannel[] = [];
  let byId = new Map<string, CompiledChannel>();
  let running = false;
  const stopper = new AbortController();
  let loop: Promise<void> | null = null;
  const pollNap = createNap(stopper.signal);
  const deliveryNap = createNap(stopper.signal);

  const channels: ChannelRegistry = { list: () => compiled, get: (id) => byId.get(id) };
  const coordinator =
    deps.coordinator ??
    createCoordinator({
      store: deps.store,
      clock: deps.clock,
      log: deps.log,
      leaseMs: deps.settings.leaseMs,
      worker: newWorkerIdentity('engine', deps.clock.now().getTime()),
    });
  const owner = coordinator.worker.id;
  let loaded = '';
  // One worker at a time forgets old items, at most once an hour.
  let maintaining = false;
  let prunedAt = 0;
  coordinator.holdRole('maintenance', {
    onGain: async () => void (maintaining = true),
    onLose: async () => void (maintaining = false),
  });
  // A stop does not wait for maintenance: the glossary's gap finder can take seconds of CPU, and a
  // job cut short is run again by the next start. What it does after the stop is only logged.
  const stopped = new Promise<void>((resolve) => stopper.signal.addEventListener('abort', () => resolve()));
  const untilStopped = (work: Promise<unknown>) =>
    Promise.race([
      work.catch((error: unknown) => {
        if (!stopper.signal.aborted) throw error;
        deps.log.debug({ err: errorMessage(error) }, 'maintenance ended after the stop');
      }),
      stopped,
    ]);
  const maintain = async () => {
    const now = deps.clock.now().getTime();
    if (maintaining && deps.maintenance) await untilStopped(deps.maintenance(now));
    if (!maintaining || deps.settings.forgetItemsAfterMs <= 0 || now - prunedAt < 3_600_000) return;
    prunedAt = now;
    let forgotten = 0;
    for (let n = PRUNE_BATCH; n === PRUNE_BATCH && !stopper.signal.aborted; forgotten += n)
      n = await deps.store.pruneItems(now - deps.settings.forgetItemsAfterMs, PRUNE_BATCH);
    if (forgotten > 0)
      deps.log.info(
        { items: forgotten, olderThanDays: Math.round(deps.settings.forgetItemsAfterMs / 86_400_000) },
        'forgot items their feeds stopped listing',
      );
  };

  // Channels and their subscriptions: what each channel receives.
  const readChannels = async () => {
    const [list, subscriptions] = await Promise.all([deps.store.listChannels(), deps.store.listSubscriptions()]);
    return { list, subscriptions };
  };
  const loadChannels = async (read?: { list: Channel[]; subscriptions: Subscription[] }) => {
    const { list, subscriptions } = read ?? (await readChannels());
    loaded = JSON.stringify([list, subscriptions]);
    compiled = compileChannels(
      list,
      (channel, errors) =>
        deps.log.error(
          { channel: channel.id, errors },
          'channel rules are invalid; the channel receives nothing until they are fixed',
        ),
      subscriptions,
    );
    byId = new Map(compiled.map((c) => [c.channel.id, c]));
    coordinator.setChannels(compiled.map((c) => c.channel.id));
  };

  // After each lease round: channels another worker changed (a moderator's command), and rows a
  // dead worker (or a crashed earlier run) left between send and mark.
  const refreshChannels = async () => {
    const read = await readChannels();
    if (JSON.stringify([read.list, read.subscriptions]) !== loaded) {
      await loadChannels(read);
      deps.log.info({ channels: compiled.length }, 'channels changed in the store; reloaded');
    }
  };
  channels.refresh = refreshChannels;
  coordinator.onRound(async (round) => {
    await refreshChannels();
    const recovered = await recoverInDoubt(deps, channels, round.aliveSince);
    if (recovered > 0)
      deps.log.warn({ rows: recovered }, 'resolved deliveries left in doubt by a stopped worker or the previous run');
  });

  const notifyPaused = async (source: Source, reason: string) => {
    const text = `Source paused: ${source.title} (${source.url})\nReason: ${reason}\nResume it with: scipop sources resume ${source.id}`;
    // Only the channels that receive it: another community's source is none of theirs.
    for (const c of subscribersOf(compiled, source.id)) {
      const sink = deps.sinks.get(c.channel.sink);
      if (!sink) continue;
      try {
        await sink.notify(c.target, text);
      } catch (error) {
        deps.log.warn({ channel: c.channel.id, err: errorMessage(error) }, 'could not notify moderators');
      }
    }
  };

  // Whether the "no source could be reached" line was said (again only after a source answered).
  let saidNoNetwork = false;
  /** One line for every source never reached this cycle, instead of a warning each (poller.ts). */
  const reportUnreachable = (reports: PollReport[]) => {
    const unreachable = reports.filter((r) => r.unreachable);
    const answered = reports.some((r) => r.outcome !== 'error');
    if (answered) saidNoNetwork = false;
    if (unreachable.length === 0) return;
    const example = unreachable[0]!.error;
    if (!answered && unreachable.length === reports.length) {
      if (saidNoNetwork) return;
      saidNoNetwork = true;
      deps.log.warn(
        { sources: unreachable.length, example },
        `no source could be reached (${unreachable.length} of ${reports.length}): this machine seems to have no network, or a firewall or proxy blocks it. Nothing is lost: each source is tried again on its schedule, and posts start once feeds answer`,
      );
    } else
      deps.log.warn(
        { sources: unreachable.length, example },
        `${unreachable.length} new source(s) could not be reached on their first fetch; each is tried again on its schedule (scipop sources list shows their errors)`,
      );
  };

  // A store that cannot write (full disk, read-only file) is reported once by the store's owner
  // (bots/main.ts, /healthz); the loops only note each failed pass and try again.
  const failed = (fields: Record<string, unknown>, message: string, error: unknown) =>
    isUnwritable(error)
      ? deps.log.debug({ ...fields, err: errorMessage(error) }, message)
      : deps.log.error({ ...fields, err: errorStack(error) }, message);

  const pollAll = async (sources: readonly Source[]) => {
    const reports: PollReport[] = [];
    await pool(
      sources,
      deps.settings.concurrency,
      async (source) => {
        try {
          reports.push(await pollSource(source, deps, channels, notifyPaused));
        } catch (error) {
          // A bug or a store failure: log it with the source and keep the cycle going. Saving
          // the state (tried again in five minutes) ends this worker's lease on the source.
          failed({ source: source.url }, 'poll crashed', error);
          const now = deps.clock.now().getTime();
          const { etag, lastModified, failures } = source;
          await deps.store
            .saveFetchState(source.id, {
              etag,
              lastModified,
              nextFetchAt: now + 5 * 60_000,
              lastFetchAt: now,
              lastSuccessAt: null,
              failures: failures + 1,
              lastError: errorMessage(error),
            })
            .catch(() => undefined); // the store is down: the lease lapses when beats stop reaching it
          reports.push({
            sourceId: source.id,
            outcome: 'error',
            newItems: 0,
            deliveries: 0,
            error: errorMessage(error),
          });
        }
      },
      stopper.signal,
    );
    reportUnreachable(reports);
    return reports;
  };

  const summarize = (reports: PollReport[], delivery: DeliveryReport): CycleReport => ({
    polled: reports.length,
    ok: reports.filter((r) => r.outcome === 'ok').length,
    notModified: reports.filter((r) => r.outcome === 'not-modified').length,
    errors: reports.filter((r) => r.outcome === 'error').length,
    newItems: reports.reduce((n, r) => n + r.newItems, 0),
    queued: reports.reduce((n, r) => n + r.deliveries, 0),
    paused: reports.filter((r) => r.pausedReason).length,
    delivery,
  });

  // Digests due now are committed to the outbox before each delivery pass, so they go out in it.
  const digestsQuiet = new Map<string, number>();
  const composeDigests = async () => {
    try {
      return await composeDueDigests(deps, compiled, digestsQuiet);
    } catch (error) {
      failed({}, 'composing digests failed', error);
      return 0;
    }
  };

  const cycle = async (sources: readonly Source[]) => {
    const reports = await pollAll(sources);
    await composeDigests();
    const delivery = await deliverPending(deps, channels, { signal: stopper.signal, owner });
    return summarize(reports, delivery);
  };

  return {
    channels,
    coordinator,
    get running() {
      return running;
    },
    async init() {
      await loadChannels();
      await coordinator.round();
      running = true;
    },
    reloadChannels: () => loadChannels(),
    async runOnce(sources) {
      await coordinator.round();
      const list = sources ?? (await deps.store.listSources()).filter((s) => s.active);
      return cycle(list);
    },
    start(tickMs = 1000) {
      coordinator.start();
      // Polling and delivery run side by side: a destination throttled by its platform never
      // holds up fetching, and a batch of due sources is followed at once by the next one.
      const polling = async () => {
        const limit = deps.settings.concurrency * 8;
        while (!stopper.signal.aborted) {
          let due = 0;
          try {
            const now = deps.clock.now().getTime();
            const sources = await deps.store.leaseDueSources(owner, now, now + coordinator.holdMs, limit);
            due = sources.length;
            if (due > 0) {
              const report = summarize(await pollAll(sources), { sent: 0, retried: 0, failed: 0, deferred: 0 });
              if (report.queued > 0) deliveryNap.wake();
              deps.log.debug({ ...report }, 'poll pass');
            }
            await maintain();
          } catch (error) {
            failed({}, 'poll pass failed', error);
          }
          if (due < limit) await pollNap.sleep(tickMs);
        }
      };
      const delivering = async () => {
        while (!stopper.signal.aborted) {
          let progressed = false;
          try {
            await composeDigests();
            const report = await deliverPending(deps, channels, { signal: stopper.signal, owner });
            progressed = report.sent + report.retried + report.failed + report.deferred > 0;
            if (progressed) deps.log.debug({ ...report }, 'delivery pass');
          } catch (error) {
            failed({}, 'delivery pass failed', error);
          }
          if (!progressed) await deliveryNap.sleep(tickMs);
        }
      };
      loop = Promise.all([polling(), delivering()]).then(() => undefined);
      return loop;
    },
    async stop() {
      stopper.abort();
      pollNap.wake();
      deliveryNap.wake();
      await loop;
      await coordinator.stop();
      running = false;
    },
  };
}
