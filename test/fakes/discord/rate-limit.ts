import { createHash } from 'node:crypto';

/** Bucket sizes: `limit` requests per `windowMs` per route and major parameter, and a global cap per second. */
export interface FakeRateLimits {
  limit: number;
  windowMs: number;
  globalPerSecond: number;
}

/** Roughly Discord's: 5 messages per 5 s per channel, 50 requests a second in all. */
export const DISCORD_RATE_LIMITS: FakeRateLimits = { limit: 5, windowMs: 5000, globalPerSecond: 50 };

/** The answer of the limiter for one request: headers to add, and a 429 body when refused. */
export interface RateDecision {
  headers: Record<string, string>;
  status?: 429;
  body?: Record<string, unknown>;
}

/**
 * Per-route buckets as Discord keeps them: a route template (`POST /channels/:id/messages`)
 * shares a bucket hash, and each major parameter (channel, guild, webhook) has its own count.
 * Every answer carries the X-RateLimit-* headers; a refusal is a 429 with `retry_after`.
 */
export function createRateLimiter(limits: FakeRateLimits, now: () => number = Date.now) {
  const buckets = new Map<string, { used: number; resetAt: number }>();
  let globalWindow = { start: 0, used: 0 };
  let forced: { count: number; retryAfterMs: number; global: boolean } | null = null;
  let refused = 0;

  const tooMany = (retryMs: number, global: boolean, headers: Record<string, string>): RateDecision => {
    refused++;
    const seconds = retryMs / 1000;
    return {
      status: 429,
      headers: {
        ...headers,
        'Retry-After': String(Math.max(0, Math.ceil(seconds * 1000) / 1000)),
        'X-RateLimit-Scope': global ? 'global' : 'user',
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
      body: { message: 'You are being rate limited.', retry_after: seconds, global, ...(global ? {} : { code: 0 }) },
    };
  };

  return {
    /** 429s answered so far. */
    refused: () => refused,
    /** Makes the next `count` limited requests fail with a 429 of `retryAfterMs`. */
    force(count: number, retryAfterMs: number, global = false) {
      forced = { count, retryAfterMs, global };
    },
    check(route: string, major: string): RateDecision {
      const t = now();
      if (t - globalWindow.start >= 1000) globalWindow = { start: t, used: 0 };
      if (globalWindow.used >= limits.globalPerSecond) return tooMany(1000 - (t - globalWindow.start), true, {});
      globalWindow.used++;
      const hash = createHash('sha1').update(route).digest('hex').slice(0, 16);
      const key = `${route}\u0000${major}`;
      let bucket = buckets.get(key);
      if (!bucket || bucket.resetAt <= t) bucket = { used: 0, resetAt: t + limits.windowMs };
      buckets.set(key, bucket);
      const resetAfter = (bucket.resetAt - t) / 1000;
      const headers = (remaining: number) => ({
        'X-RateLimit-Limit': String(limits.limit),
        'X-RateLimit-Remaining': String(Math.max(0, remaining)),
        'X-RateLimit-Reset': String(bucket!.resetAt / 1000),
        'X-RateLimit-Reset-After': resetAfter.toFixed(3),
        'X-RateLimit-Bucket': hash,
      });
      if (forced && forced.count > 0) {
        forced.count--;
        const f = forced;
        if (forced.count === 0) forced = null;
        return tooMany(f.retryAfterMs, f.global, f.global ? {} : headers(0));
      }
      if (bucket.used >= limits.limit) return tooMany(bucket.resetAt - t, false, headers(0));
      bucket.used++;
      return { headers: headers(limits.limit - bucket.used) };
    },
  };
}

/** The limiter type. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;
