/** One sliding window: at most `count` sends in any `windowMs`. */
export interface Window {
  count: number;
  windowMs: number;
}

/**
 * The flood limits the fake enforces, as Telegram documents them for bots: about 30 messages a
 * second overall, 20 a minute in one group or channel, about one a second in one chat. Tests may
 * scale the windows down to run a long burst quickly; the shape stays the same.
 */
export interface FloodLimits {
  global: Window;
  group: Window;
  chat: Window;
}

/** Telegram's published limits. */
export const TELEGRAM_LIMITS: FloodLimits = {
  global: { count: 30, windowMs: 1000 },
  group: { count: 20, windowMs: 60_000 },
  chat: { count: 1, windowMs: 1000 },
};

/** Sliding-window counters keyed by chat; `check` says how long to wait, `record` counts a send. */
export function createFloodControl(limits: FloodLimits) {
  const stamps = new Map<string, number[]>();
  const recent = (key: string, windowMs: number, now: number) => {
    const list = (stamps.get(key) ?? []).filter((t) => t > now - windowMs);
    stamps.set(key, list);
    return list;
  };
  const windows = (chatId: number): [string, Window][] => {
    const out: [string, Window][] = [
      ['global', limits.global],
      [`chat:${chatId}`, limits.chat],
    ];
    if (chatId < 0) out.push([`group:${chatId}`, limits.group]);
    return out;
  };
  return {
    /** Milliseconds until a send to this chat would be allowed (0: now). */
    check(chatId: number, now: number): number {
      let wait = 0;
      for (const [key, w] of windows(chatId)) {
        const list = recent(key, w.windowMs, now);
        if (list.length >= w.count) wait = Math.max(wait, list[list.length - w.count]! + w.windowMs - now);
      }
      return wait;
    },
    record(chatId: number, now: number): void {
      for (const [key, w] of windows(chatId)) recent(key, w.windowMs, now).push(now);
    },
  };
}
