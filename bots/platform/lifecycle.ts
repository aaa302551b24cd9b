import { errorMessage } from '../../shared/errors';
import type { EngineLogger } from '../engine/types';
import type { Coordinator } from '../engine/workers';

/** Where a chat platform's connection stands, as `/healthz` and `/metrics` report it. */
export type PlatformState = 'idle' | 'standby' | 'connecting' | 'up' | 'retrying' | 'stopped';

/** What a platform adapter gives the lifecycle: how to connect and disconnect its transport. */
export interface LifecycleOptions {
  /** The platform's name in logs: `Telegram`, `Discord`. */
  name: string;
  /** The coordinator role whose holder keeps the connection (one update stream per bot). */
  role: string;
  coordinator?: Coordinator | undefined;
  log: EngineLogger;
  /** Opens the transport (commands registration, webhook or long polling, gateway); throws when it cannot. */
  connect(): Promise<void>;
  /** Closes whatever connect opened, also a half-open one; never throws. */
  disconnect(): Promise<void>;
  /** What failed, for the log line: `could not start taking Telegram updates`. */
  failure: string;
  /** Logged when another worker holds the role. */
  standby: string;
  /** First wait before a retry, doubled at each failure up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long stop() waits for disconnect before giving up on it. */
  stopDeadlineMs?: number;
  /** How long start() waits for a slow connect before the rest of the network goes on without it. */
  startWaitMs?: number;
}

/** The lifecycle written once: hold the role, connect, run, give it back, retry with backoff, stop within a deadline. */
export interface Lifecycle {
  /** Takes the role (or, alone on a SQLite store, just connects); a failed connect is retried, never thrown. */
  start(): Promise<void>;
  /** Stops retrying and disconnects, within the stop deadline. */
  stop(): Promise<void>;
  /** The connection broke after connect (a 409 on long polling): disconnect and try again later. */
  lost(error: unknown): void;
  state(): PlatformState;
}

/** Builds the lifecycle around an adapter's connect and disconnect. */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { coordinator, log, name } = options;
  const firstRetryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  let state: PlatformState = 'idle';
  let held = false;
  let nextRetryMs = firstRetryMs;
  let retry: NodeJS.Timeout | null = null;
  let attempt: Promise<void> | null = null;

  const cancelRetry = () => {
    if (retry) clearTimeout(retry);
    retry = null;
  };
  const retryLater = (error: unknown) => {
    if (state === 'stopped' || !held || retry) return;
    const waitMs = nextRetryMs;
    nextRetryMs = Math.min(maxRetryMs, nextRetryMs * 2);
    state = 'retrying';
    log.error({ platform: name, err: errorMessage(error) }, `${options.failure}; trying again in ${waitMs / 1000} s`);
    retry = setTimeout(() => void connectWhileHeld(), waitMs);
    retry.unref();
  };
  // While the role is held, a failed connect is tried again: no other worker connects meanwhile.
  const connectWhileHeld = (): Promise<void> => {
    retry = null;
    if (state === 'stopped' || !held || state === 'up' || attempt) return attempt ?? Promise.resolve();
    state = 'connecting';
    attempt = options
      .connect()
      .then(
        () => {
          if (state === 'connecting') {
            state = 'up';
            nextRetryMs = firstRetryMs;
          }
        },
        async (error: unknown) => {
          await options.disconnect();
          if (state === 'connecting') retryLater(error);
        },
      )
      .finally(() => (attempt = null));
    return attempt;
  };
  const stopDeadlineMs = options.stopDeadlineMs ?? 5000;
  const startWaitMs = options.startWaitMs ?? 10_000;
  // Disconnecting also aborts a connect under way; what that connect still opened is closed after it.
  const release = async () => {
    cancelRetry();
    const pending = attempt;
    await options.disconnect();
    if (!pending) return;
    await within(pending, stopDeadlineMs);
    await options.disconnect();
  };

  return {
    state: () => state,
    lost(error) {
      if (state !== 'up') return;
      state = 'retrying';
      void options.disconnect().then(() => retryLater(error));
    },
    async start() {
      // A SQLite store has one process by definition: it connects, as without workers.
      if (!coordinator || coordinator.single) {
        held = true;
        await within(connectWhileHeld(), startWaitMs);
        return;
      }
      state = 'standby';
      coordinator.holdRole(options.role, {
        onGain: async () => {
          held = true;
          await within(connectWhileHeld(), startWaitMs);
        },
        onLose: async () => {
          held = false;
          await release();
          if (state !== 'stopped') state = 'standby';
        },
      });
      // Settle the role now, so a worker that gets it answers from the moment start() returns.
      await coordinator.round();
      if (!held) log.info({ platform: name, worker: coordinator.worker.id }, options.standby);
    },
    async stop() {
      state = 'stopped';
      held = false;
      if (!(await within(release(), stopDeadlineMs)))
        log.warn({ platform: name, ms: stopDeadlineMs }, `${name} did not disconnect in time; leaving it`);
    },
  };
}

/** Waits for a promise at most `ms`; true when it settled in time (a rejection counts as settled). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The promise, or a rejection with `message` when it takes longer than `ms`. */
export async function deadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
