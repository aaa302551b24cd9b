/** Limits how many tasks run at once per key (a host), queueing the rest in arrival order. */
export interface KeyedLimiter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running now for a key (for tests and metrics). */
  active(key: string): number;
}

/** Creates a limiter allowing `limit` concurrent tasks per key. */
export function createKeyedLimiter(limit: number): KeyedLimiter {
  const running = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();

  function release(key: string): void {
    const queue = waiting.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) waiting.delete(key);
    if (next) {
      next(); // hand the slot straight to the next task: the count stays the same
      return;
    }
    const count = (running.get(key) ?? 1) - 1;
    if (count <= 0) running.delete(key);
    else running.set(key, count);
  }

  async function acquire(key: string): Promise<void> {
    const count = running.get(key) ?? 0;
    if (count < limit) {
      running.set(key, count + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = waiting.get(key) ?? [];
      queue.push(resolve);
      waiting.set(key, queue);
    });
  }

  return {
    async run(key, task) {
      await acquire(key);
      try {
        return await task();
      } finally {
        release(key);
      }
    },
    active: (key) => running.get(key) ?? 0,
  };
}
