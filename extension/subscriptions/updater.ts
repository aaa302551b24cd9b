import { errorMessage } from '../../shared/errors';
import type { SubscriptionStore } from './store';
import { checkSubscription, type CheckResult } from './update';

/** The alarm that wakes the background for the next due check. */
export const UPDATE_ALARM = 'scipop-subscriptions';

/** How long after a failed check the next one runs (before jitter): a server that is down gets time. */
export const RETRY_AFTER_MS = 15 * 60_000;

/** The part of `browser.alarms` the updater uses. */
export interface AlarmsLike {
  create(name: string, info: { when: number }): unknown;
  clear(name: string): unknown;
}

export interface UpdaterDeps {
  store: SubscriptionStore;
  alarms?: AlarmsLike;
  fetch?: typeof fetch;
  now?: () => number;
  /** A number in [0, 1), for the jitter. */
  random?: () => number;
}

/** Runs the subscriptions' update checks, one at a time, and keeps the alarm set for the next. */
export interface SubscriptionUpdater {
  /** Checks one subscription now (after subscribing, or "Check now"); undefined when there is none. */
  check(url: string): Promise<CheckResult | undefined>;
  /** Checks every subscription whose next check is due, then sets the alarm. */
  checkDue(): Promise<void>;
  /** Sets the alarm for the earliest next check (or clears it when nothing is subscribed). */
  schedule(): Promise<void>;
}

/**
 * The updater. Checks never overlap (each waits for the one before), so two checks cannot switch
 * the same copy; a good check switches to its copy and records its status in one write, a failed
 * one records the reason and keeps the copy in use.
 */
export function createSubscriptionUpdater(deps: UpdaterDeps): SubscriptionUpdater {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  // Up to a quarter later than asked, so that readers of one glossary do not all come at once.
  const jittered = (ms: number) => Math.round(ms * (1 + 0.25 * random()));
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const checkOne = async (url: string): Promise<CheckResult | undefined> => {
    const sub = (await deps.store.list()).find((s) => s.url === url);
    if (!sub) return undefined;
    const current = (await deps.store.copies()).find((c) => c.url === url);
    const result = await checkSubscription(sub, current, { fetch: deps.fetch });
    const at = now();
    if (result.ok) {
      const { index } = result.copy;
      try {
        await deps.store.record(
          url,
          {
            name: index.name,
            revision: index.revision,
            lastCheck: at,
            lastError: undefined,
            nextCheck: at + jittered(index.checkAfterSeconds * 1000),
          },
          result.via === 'unchanged' ? undefined : result.copy,
        );
      } catch (e) {
        // Storage full, most likely: the write did not happen, so the old copy is still the one in use.
        const error = `the new copy could not be stored (${errorMessage(e)})`;
        await deps.store.record(url, { lastCheck: at, lastError: error, nextCheck: at + jittered(RETRY_AFTER_MS) });
        return { ok: false, error, bytes: result.bytes };
      }
    } else {
      await deps.store.record(url, {
        lastCheck: at,
        lastError: result.error,
        nextCheck: at + jittered(RETRY_AFTER_MS),
      });
    }
    return result;
  };

  const schedule = async () => {
    const next = (await deps.store.list()).map((s) => s.nextCheck ?? now());
    if (!deps.alarms) return;
    if (next.length === 0) await deps.alarms.clear(UPDATE_ALARM);
    // Chrome fires an alarm at least 30 s out; a check that is due runs then.
    else await deps.alarms.create(UPDATE_ALARM, { when: Math.max(Math.min(...next), now() + 30_000) });
  };

  return {
    async check(url) {
      const result = await serial(() => checkOne(url));
      await schedule();
      return result;
    },
    async checkDue() {
      await serial(async () => {
        for (const sub of await deps.store.list()) if ((sub.nextCheck ?? 0) <= now()) await checkOne(sub.url);
      });
      await schedule();
    },
    schedule,
  };
}
