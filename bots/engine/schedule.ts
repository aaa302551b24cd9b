import type { Source } from '../store/types';

/** The scheduling settings (config `sources`), in minutes as operators write them. */
export interface ScheduleConfig {
  defaultIntervalMinutes: number;
  minIntervalMinutes: number;
  maxIntervalMinutes: number;
  jitter: number;
  maxBackoffMinutes: number;
  pauseAfterFailures: number;
}

/** What the feed and the server said about how often to come back. */
export interface FreshnessHints {
  /** RSS `<ttl>` in minutes. */
  ttlMinutes?: number;
  /** Cache-Control max-age in seconds. */
  maxAgeSeconds?: number;
}

const MINUTE = 60_000;

/** Spreads a delay by ± `jitter` of itself so sources added together do not fetch in lockstep. */
export function withJitter(delayMs: number, jitter: number, random: () => number): number {
  return Math.max(0, Math.round(delayMs * (1 + jitter * (2 * random() - 1))));
}

/** The source's own interval (or the default), within the configured bounds. */
export function baseIntervalMs(source: Pick<Source, 'intervalSec'>, config: ScheduleConfig): number {
  const wanted = source.intervalSec !== null ? source.intervalSec * 1000 : config.defaultIntervalMinutes * MINUTE;
  return Math.min(Math.max(wanted, config.minIntervalMinutes * MINUTE), config.maxIntervalMinutes * MINUTE);
}

/**
 * The delay after a successful fetch (200 or 304). A feed's `ttl` and the server's max-age may
 * only slow us down, never speed us past our own interval, and never beyond the maximum.
 */
export function successDelayMs(
  source: Pick<Source, 'intervalSec'>,
  hints: FreshnessHints,
  config: ScheduleConfig,
  random: () => number,
): number {
  let delay = baseIntervalMs(source, config);
  if (hints.ttlMinutes) delay = Math.max(delay, hints.ttlMinutes * MINUTE);
  if (hints.maxAgeSeconds) delay = Math.max(delay, hints.maxAgeSeconds * 1000);
  delay = Math.min(delay, config.maxIntervalMinutes * MINUTE);
  return withJitter(delay, config.jitter, random);
}

/** What to record after a failed fetch. */
export interface FailurePlan {
  failures: number;
  delayMs: number;
  /** Set when the source must be paused now. */
  pauseReason: string | null;
}

/**
 * Exponential backoff: the interval doubles with each consecutive failure, up to the maximum;
 * a server's Retry-After is honoured when longer. After `pauseAfterFailures` in a row — or at once
 * when retrying cannot help (an invalid or forbidden URL, 410 Gone) — the source is paused.
 */
export function planFailure(
  source: Pick<Source, 'intervalSec' | 'failures'>,
  error: { message: string; permanent: boolean; retryAfterSeconds?: number },
  config: ScheduleConfig,
  random: () => number,
): FailurePlan {
  const failures = source.failures + 1;
  const base = baseIntervalMs(source, config);
  const backoff = Math.min(base * 2 ** Math.min(failures - 1, 30), config.maxBackoffMinutes * MINUTE);
  const delayMs = Math.max(withJitter(backoff, config.jitter, random), (error.retryAfterSeconds ?? 0) * 1000);
  let pauseReason: string | null = null;
  if (error.permanent) pauseReason = `${error.message} (retrying cannot help)`;
  else if (failures >= config.pauseAfterFailures) pauseReason = `${failures} failures in a row; last: ${error.message}`;
  return { failures, delayMs, pauseReason };
}
