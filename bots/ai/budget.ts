/** The day's count of drafts and the requests in flight, shared by every caller of one drafter. */
export interface DraftBudget {
  /** Takes one draft of today's allowance; false when the day's drafts are used up. */
  takeDraft(now: Date): Promise<boolean>;
  /** Runs `work` when fewer than the allowed requests are in flight. */
  slot<T>(work: () => Promise<T>): Promise<T>;
}

/** Where the day's count is kept: the store (`takeAiDraft`), shared by every worker and kept over a restart. */
export interface DraftCounter {
  takeAiDraft(day: string, perDay: number): Promise<boolean>;
}

/** A count of the day's drafts in this process alone (the command line, which may have no store). */
function countInProcess(): DraftCounter {
  let day = '';
  let used = 0;
  return {
    async takeAiDraft(d, perDay) {
      if (d !== day) {
        day = d;
        used = 0;
      }
      if (used >= perDay) return false;
      used++;
      return true;
    },
  };
}

/**
 * A budget of `perDay` drafts a UTC day and `concurrency` requests at once. The day's count lives
 * in `counter` — the store for `scipop run`, so every worker and a restarted one share it — or, with
 * none, in this process.
 */
export function createDraftBudget(perDay: number, concurrency: number, counter?: DraftCounter): DraftBudget {
  const count = counter ?? countInProcess();
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    takeDraft: (now) => count.takeAiDraft(now.toISOString().slice(0, 10), perDay),
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
