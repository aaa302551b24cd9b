/** The day's count of drafts and the requests in flight, shared by every caller of one drafter. */
export interface DraftBudget {
  /** Takes one draft of today's allowance; false when the day's drafts are used up. */
  takeDraft(now: Date): boolean;
  /** Drafts left today. */
  left(now: Date): number;
  /** Runs `work` when fewer than the allowed requests are in flight. */
  slot<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A budget of `perDay` drafts a UTC day and `concurrency` requests at once. The day's count lives
 * in this process (a restart gives a fresh allowance for the rest of the day; with several workers
 * each has its own), which bounds cost per worker without a round trip to the store per draft.
 */
export function createDraftBudget(perDay: number, concurrency: number): DraftBudget {
  let day = '';
  let used = 0;
  let running = 0;
  const waiting: (() => void)[] = [];
  const today = (now: Date) => {
    const d = now.toISOString().slice(0, 10);
    if (d !== day) {
      day = d;
      used = 0;
    }
  };
  return {
    takeDraft(now) {
      today(now);
      if (used >= perDay) return false;
      used++;
      return true;
    },
    left(now) {
      today(now);
      return Math.max(0, perDay - used);
    },
    async slot(work) {
      // A finished request hands its place straight to the next in line, so none can slip in between.
      if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      else running++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
