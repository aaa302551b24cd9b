import type { PlatformStateStore } from '../store/platform-types';
import type { Row } from '../store/rows';
import type { AfterReady } from './types';

/** A destination whose platform refused posts (kicked, no permission), named by the platform's own key (`chatId`, `channelId`). */
export type Paused<K extends string> = Record<K, string> & { reason: string; pausedAt: number };

/** The paused-destination part of a platform's state, over the store, the key named as the platform names it. */
export function pausedDestinations<K extends string>(
  store: PlatformStateStore,
  platform: string,
  key: K,
  after: AfterReady,
) {
  const toPaused = (p: { destination: string; reason: string; pausedAt: number }) =>
    ({ [key]: p.destination, reason: p.reason, pausedAt: p.pausedAt }) as Paused<K>;
  return {
    pause: after((id: string, reason: string, now: number) => store.pauseDestination(platform, id, reason, now)),
    resume: after((id: string) => store.unpauseDestination(platform, id)),
    paused: after(async (id: string) => {
      const p = await store.pausedDestination(platform, id);
      return p ? toPaused(p) : undefined;
    }),
    allPaused: after(async () => (await store.pausedDestinations(platform)).map(toPaused)),
  };
}

/** The paused destinations of an old per-process state file, whose table names the destination `idColumn`. */
export function legacyPaused(rows: readonly Row[], idColumn: string) {
  return rows.map((r) => ({
    destination: String(r[idColumn]),
    reason: String(r.reason),
    pausedAt: Number(r.paused_at),
  }));
}
