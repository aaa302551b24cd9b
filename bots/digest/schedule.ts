import { Cron } from 'croner';
import { WEEKDAYS, type DigestConfig } from '../../shared/digest/config';

/** How far back a channel's first digest looks, and how long one period is. */
export const PERIOD_MS = { daily: 86_400_000, weekly: 7 * 86_400_000 } as const;

/** When a channel's digests are due, in its own time zone (croner does the calendar and DST). */
export interface DigestSchedule {
  /** The cron pattern (`0 8 * * *`), for logs and docs. */
  readonly pattern: string;
  /** The latest scheduled time at or before `now` (epoch ms), or null before the first. */
  latest(now: number): number | null;
  /** The first scheduled time after `now` (epoch ms). */
  next(now: number): number | null;
}

/**
 * The schedule of a digest config. A local time a DST change skips (02:30 on a spring-forward
 * night) runs at the first minute that exists after it; one it repeats runs once.
 */
export function digestSchedule(config: Pick<DigestConfig, 'every' | 'day' | 'at' | 'timezone'>): DigestSchedule {
  const [hour, minute] = config.at.split(':').map(Number);
  const dow = config.every === 'weekly' ? String(WEEKDAYS.indexOf(config.day)) : '*';
  const pattern = `${minute} ${hour} * * ${dow}`;
  const cron = new Cron(pattern, { timezone: config.timezone, paused: true });
  return {
    pattern,
    // previousRuns is exclusive of its reference: ask from one millisecond later to include `now`.
    latest: (now) => cron.previousRuns(1, new Date(now + 1))[0]?.getTime() ?? null,
    next: (now) => cron.nextRun(new Date(now))?.getTime() ?? null,
  };
}
