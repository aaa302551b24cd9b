import { describe, expect, it } from 'vitest';
import { createSendLimiter, SendLimitsSchema, type LimiterClock } from './limiter';

/** A clock the test moves by hand; sleeping moves it to the wake-up time, or `early` ms before it. */
function fakeClock(early = 0): LimiterClock & { set(t: number): void } {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += Math.max(1, ms - early)), set: (v) => void (t = v) };
}

const limits = SendLimitsSchema.parse({
  global: { count: 30, windowMs: 1000 },
  group: { count: 2, windowMs: 10_000 },
  chat: { count: 1, windowMs: 1000 },
});

describe('the send limiter', () => {
  it('counts a slot from the answer, however many other sends were planned meanwhile', async () => {
    // A send planned at 0 is answered only at 700 ms (a slow Telegram, or a busy machine): Telegram
    // may have counted it as late as 700, so the next send to that chat waits until 1700.
    const clock = fakeClock();
    const limiter = createSendLimiter(limits, clock);
    const done = await limiter.acquire(-100);
    // Other chats' sends while the first is in flight (each plans against every window's stamps),
    // and a look at this chat's delay (the delivery loop asks before it claims a post).
    for (let i = 1; i <= 5; i++) (await limiter.acquire(i))();
    expect(limiter.delayFor(-100)).toBe(1000);
    clock.set(700);
    done();
    clock.set(1000);
    expect(limiter.delayFor(-100)).toBe(700);
    const next = limiter.acquire(-100);
    await next;
    expect(clock.now()).toBe(1700);
  });

  it('keeps to every window: one a second per chat, the group window, the global one', async () => {
    const clock = fakeClock();
    const limiter = createSendLimiter(limits, clock);
    const at: number[] = [];
    for (let i = 0; i < 3; i++) {
      const done = await limiter.acquire(-5);
      at.push(clock.now());
      done();
    }
    expect(at).toEqual([0, 1000, 10_000]); // the third waits for the group window (2 per 10 s)
    const shared = createSendLimiter(limits, fakeClock());
    shared.share(3);
    for (let i = 0; i < 10; i++) (await shared.acquire(i))();
    expect(shared.delayFor(99)).toBe(1000); // 30 a second shared by 3 workers: 10 each
  });

  it('never sends before the slot, when the timer fires a millisecond early (as Node’s do)', async () => {
    const clock = fakeClock(1);
    const limiter = createSendLimiter(limits, clock);
    (await limiter.acquire(-9))();
    await limiter.acquire(-9);
    expect(clock.now()).toBe(1000);
  });

  it('plans a chat’s next send only once its previous send is answered', async () => {
    const clock = fakeClock();
    const limiter = createSendLimiter(limits, clock);
    const first = await limiter.acquire(-3);
    let second: number | undefined;
    const waiting = limiter.acquire(-3).then((done) => {
      second = clock.now();
      done();
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBeUndefined(); // still waiting for the answer, however long it takes
    clock.set(2500);
    first();
    await waiting;
    expect(second).toBe(3500); // a second after the answer, not after the plan
  });

  it('counts sends seeded from another worker in the chat and group windows', () => {
    const clock = fakeClock();
    clock.set(5000);
    const limiter = createSendLimiter(limits, clock);
    limiter.seed(-7, [4500, 4800]);
    expect(limiter.delayFor(-7)).toBe(9500); // the group window: 2 per 10 s, the older at 4500
  });
});
