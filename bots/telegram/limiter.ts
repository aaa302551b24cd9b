import { z } from 'zod';

/** One sliding window: at most `count` messages in any `windowMs`. */
export const WindowSchema = z
  .object({ count: z.number().int().positive(), windowMs: z.number().int().positive() })
  .strict();

/**
 * The send limits the bot keeps to, below Telegram's flood limits: about 30 messages a second
 * overall, 20 a minute in one group or channel, about one a second in one chat.
 */
export const SendLimitsSchema = z
  .object({
    global: WindowSchema.default({ count: 30, windowMs: 1000 }),
    group: WindowSchema.default({ count: 20, windowMs: 60_000 }),
    chat: WindowSchema.default({ count: 1, windowMs: 1000 }),
  })
  .strict();
/** See {@link SendLimitsSchema}. */
export type SendLimits = z.infer<typeof SendLimitsSchema>;

/** Time seam: tests may pass a fake clock and sleep. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LimiterClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** A per-chat, per-group and global send limiter. */
export interface SendLimiter {
  /**
   * Waits for a slot to send to `chatId` and holds it; call the returned `done` when Telegram has
   * answered, so the slot is counted from the answer (the latest moment Telegram can have counted it).
   */
  acquire(chatId: number | string): Promise<() => void>;
  /** Milliseconds a send to `chatId` would wait now. */
  delayFor(chatId: number | string): number;
  /**
   * Counts sends made to `chatId` before this process sent there (another worker's, before it
   * handed the destination over), so the per-chat and per-group windows hold across the hand-off.
   */
  seed(chatId: number | string, sentAt: readonly number[]): void;
  /** Keeps this process to its share of the bot's global budget while `workers` processes send with the token. */
  share(workers: number): void;
}

/**
 * Plans each send at the earliest moment every window allows and reserves it at once, so
 * concurrent senders (posts and command replies) share the budget without racing. Group windows
 * apply to negative chat ids (groups, supergroups, channels).
 */
export function createSendLimiter(limits: SendLimits, clock: LimiterClock = realClock): SendLimiter {
  const stamps = new Map<string, number[]>();
  /** Per chat: the send in flight, settled when it is answered. */
  const inFlight = new Map<string, Promise<void>>();
  let global = limits.global;
  const keysFor = (chatId: number | string) => {
    const id = String(chatId);
    const keys: [string, z.infer<typeof WindowSchema>][] = [
      ['global', global],
      [`chat:${id}`, limits.chat],
    ];
    if (id.startsWith('-') || id.startsWith('@')) keys.push([`group:${id}`, limits.group]);
    return keys;
  };
  const earliest = (chatId: number | string, now: number) => {
    let at = now;
    for (let changed = true; changed;) {
      changed = false;
      for (const [key, w] of keysFor(chatId)) {
        const list = (stamps.get(key) ?? []).filter((t) => t > now - w.windowMs * 2);
        stamps.set(key, list);
        const inWindow = list.filter((t) => t > at - w.windowMs).sort((a, b) => a - b);
        if (inWindow.length >= w.count) {
          const next = inWindow[inWindow.length - w.count]! + w.windowMs;
          if (next > at) {
            at = next;
            changed = true;
          }
        }
      }
    }
    return at;
  };
  return {
    delayFor: (chatId) => Math.max(0, earliest(chatId, clock.now()) - clock.now()),
    seed(chatId, sentAt) {
      for (const [key] of keysFor(chatId).slice(1)) {
        const list = stamps.get(key) ?? [];
        stamps.set(key, list);
        list.push(...sentAt);
      }
    },
    share(workers) {
      global = { ...limits.global, count: Math.max(1, Math.floor(limits.global.count / Math.max(1, workers))) };
    },
    async acquire(chatId) {
      // One send at a time per chat: the next is planned once the previous one's answer has come,
      // so the chat and group windows count from answers, never from a plan made before them.
      const id = String(chatId);
      for (let busy = inFlight.get(id); busy; busy = inFlight.get(id)) await busy;
      let release!: () => void;
      inFlight.set(id, new Promise<void>((r) => (release = r)));
      const now = clock.now();
      const at = earliest(chatId, now);
      // The slot counts from `at` while in flight, and from the answer once it comes.
      for (const [key] of keysFor(chatId)) {
        const list = stamps.get(key) ?? [];
        stamps.set(key, list);
        list.push(at);
      }
      // Node's timers may fire a millisecond before Date.now() reaches the deadline (about one
      // sleep in seventy here): sleep again until the slot has really come, or Telegram sees the
      // send 1 ms early and answers 429.
      for (let left = at - clock.now(); left > 0; left = at - clock.now()) await clock.sleep(left);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const answered = clock.now();
        // The lists as they are now: planning prunes them into new arrays while a send is in flight.
        for (const [key] of keysFor(chatId)) {
          const list = stamps.get(key) ?? [];
          const i = list.indexOf(at);
          if (i >= 0) list[i] = Math.max(at, answered);
        }
        inFlight.delete(id);
        release();
      };
    },
  };
}
