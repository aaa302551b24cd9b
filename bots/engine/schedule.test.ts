import { describe, expect, it } from 'vitest';
import { planFailure, successDelayMs, withJitter, type ScheduleConfig } from './schedule';

const config: ScheduleConfig = {
  defaultIntervalMinutes: 10,
  minIntervalMinutes: 2,
  maxIntervalMinutes: 120,
  jitter: 0.1,
  maxBackoffMinutes: 60,
  pauseAfterFailures: 4,
};
const mid = () => 0.5; // no jitter
const MIN = 60_000;

describe('scheduling', () => {
  it('uses the default or the source interval, within bounds', () => {
    expect(successDelayMs({ intervalSec: null }, {}, config, mid)).toBe(10 * MIN);
    expect(successDelayMs({ intervalSec: 1800 }, {}, config, mid)).toBe(30 * MIN);
    expect(successDelayMs({ intervalSec: 5 }, {}, config, mid)).toBe(2 * MIN);
    expect(successDelayMs({ intervalSec: 86_400 }, {}, config, mid)).toBe(120 * MIN);
  });

  it('honours ttl and max-age only to slow down, up to the maximum', () => {
    expect(successDelayMs({ intervalSec: null }, { ttlMinutes: 60 }, config, mid)).toBe(60 * MIN);
    expect(successDelayMs({ intervalSec: null }, { ttlMinutes: 1 }, config, mid)).toBe(10 * MIN);
    expect(successDelayMs({ intervalSec: null }, { maxAgeSeconds: 1800 }, config, mid)).toBe(30 * MIN);
    expect(successDelayMs({ intervalSec: null }, { ttlMinutes: 10_000 }, config, mid)).toBe(120 * MIN);
  });

  it('adds jitter within ± the configured fraction', () => {
    expect(withJitter(1000, 0.1, () => 0)).toBe(900);
    expect(withJitter(1000, 0.1, () => 0.999999)).toBe(1100);
    const seen = new Set(
      Array.from({ length: 50 }, () => successDelayMs({ intervalSec: null }, {}, config, Math.random)),
    );
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(Math.abs(d - 10 * MIN)).toBeLessThanOrEqual(MIN);
  });

  it('backs off exponentially, caps the backoff, honours Retry-After, and pauses after N failures', () => {
    const err = { message: 'HTTP 503', permanent: false };
    expect(planFailure({ intervalSec: null, failures: 0 }, err, config, mid)).toEqual({
      failures: 1,
      delayMs: 10 * MIN,
      pauseReason: null,
    });
    expect(planFailure({ intervalSec: null, failures: 1 }, err, config, mid).delayMs).toBe(20 * MIN);
    expect(planFailure({ intervalSec: null, failures: 2 }, err, config, mid).delayMs).toBe(40 * MIN);
    expect(
      planFailure({ intervalSec: null, failures: 2 }, err, { ...config, pauseAfterFailures: 10 }, mid).delayMs,
    ).toBe(40 * MIN);
    expect(
      planFailure({ intervalSec: null, failures: 2 }, { ...err, retryAfterSeconds: 7200 }, config, mid).delayMs,
    ).toBe(120 * MIN);
    expect(planFailure({ intervalSec: null, failures: 3 }, err, config, mid)).toEqual({
      failures: 4,
      delayMs: 60 * MIN,
      pauseReason: '4 failures in a row; last: HTTP 503',
    });
  });

  it('pauses at once when retrying cannot help', () => {
    const plan = planFailure(
      { intervalSec: null, failures: 0 },
      { message: 'HTTP 410 Gone', permanent: true },
      config,
      mid,
    );
    expect(plan.pauseReason).toBe('HTTP 410 Gone (retrying cannot help)');
  });
});
