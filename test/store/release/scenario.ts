/**
 * The store of a network as the release before subscriptions (schema 5) built it, and the posts
 * one round of fetches makes from it. The same scenario runs on the release's code (build.ts,
 * which wrote release-5.db and release-5.expected.json beside this file) and on today's code
 * (migration.test.ts), so "every channel still gets the same items" compares real outputs. It
 * takes the store and the poller as arguments, so it imports no code of either version.
 */

/** The parts of a Store the scenario uses (the same in both versions). */
export interface ScenarioStore {
  addSource(
    input: { url: string; title: string; tags?: string[]; trusted?: boolean },
    now: number,
  ): Promise<{ id: string }>;
  listSources(): Promise<{ id: string; url: string; active: boolean }[]>;
  upsertChannel(
    channel: {
      id: string;
      sink: string;
      target: string;
      title: string;
      rules: unknown;
      origin?: 'config' | 'chat';
      configRules?: string | null;
    },
    now: number,
  ): Promise<void>;
  saveFetchState(sourceId: string, state: object): Promise<void>;
  pauseSource(id: string, reason: string, now: number): Promise<boolean>;
  pendingDeliveries(now: number, limit: number): Promise<{ channelId: string; message: unknown }[]>;
  heldDeliveries(channelId: string | null, limit: number): Promise<{ channelId: string; message: unknown }[]>;
}

export const T0 = Date.parse('2026-12-01T00:00:00Z');

/** The feeds the round fetches: URL → RSS items (title, description). */
export const FEEDS: Record<string, { title: string; items: [string, string][] }> = {
  'https://space.example/feed': {
    title: 'Space',
    items: [
      ['Mars rover finds clay', 'Rover news from Mars.'],
      ['Comet returns', 'A comet visits the inner solar system.'],
    ],
  },
  'https://bio.example/feed': {
    title: 'Bio',
    items: [
      ['Mouse model of ageing', 'A study in mice.'],
      ['Coral reefs recover', 'Reef survey.'],
    ],
  },
  'https://physics.example/feed': {
    title: 'Physics',
    items: [['Neutrino mass bound', 'KATRIN reports.']],
  },
  'https://paused.example/feed': { title: 'Paused', items: [['Never fetched', 'Paused source.']] },
};

/** Fills an empty schema-5 store: sources (one untrusted, one paused) and channels of every kind of rules. */
export async function fillRelease(store: ScenarioStore): Promise<void> {
  const space = await store.addSource({ url: 'https://space.example/feed', title: 'Space', tags: ['space'] }, T0);
  await store.addSource({ url: 'https://bio.example/feed', title: 'Bio', tags: ['bio'] }, T0 + 1);
  await store.addSource(
    { url: 'https://physics.example/feed', title: 'Physics', tags: ['physics', 'space'], trusted: false },
    T0 + 2,
  );
  const paused = await store.addSource(
    { url: 'https://paused.example/feed', title: 'Paused', tags: ['space'] },
    T0 + 3,
  );
  await store.pauseSource(paused.id, 'paused by a moderator', T0 + 4);
  for (const s of await store.listSources()) {
    // Fetched once before, so the round below posts every new item (not a first fetch).
    await store.saveFetchState(s.id, {
      etag: null,
      lastModified: null,
      nextFetchAt: T0,
      lastFetchAt: T0,
      lastSuccessAt: T0,
      failures: 0,
      lastError: null,
    });
    if (s.id === paused.id) await store.pauseSource(paused.id, 'paused by a moderator', T0 + 4);
  }
  const ch = (id: string, rules: unknown, extra: object = {}) =>
    store.upsertChannel({ id, sink: 'console', target: id, title: id, rules, ...extra }, T0 + 5);
  await ch('all', {});
  await ch('space-tag', { tags: ['space'] });
  await ch('bio-url', { sources: ['https://bio.example/feed'], approval: 'none' });
  await ch('space-id-mars', { sources: [space.id], include: ['mars'] }, { origin: 'chat' });
  await ch('bio-no-mice', { tags: ['bio'], exclude: ['mouse'] }, { configRules: '{"tags":["bio"]}' });
  await ch('tags-and-sources', { tags: ['space'], sources: ['https://physics.example/feed'], approval: 'all' });
  await ch('invalid', { includeRegex: ['(?<=x)y'] });
}

/** What a round of fetches queued: "channel: title (status)" lines, sorted. */
export async function queued(store: ScenarioStore, now: number): Promise<string[]> {
  const title = (m: unknown) => String((m as { title?: unknown }).title ?? JSON.stringify(m));
  const pending = (await store.pendingDeliveries(now + 1, 1000)).map(
    (d) => `${d.channelId}: ${title(d.message)} (pending)`,
  );
  const held = (await store.heldDeliveries(null, 1000)).map((d) => `${d.channelId}: ${title(d.message)} (held)`);
  return [...pending, ...held].sort();
}

/** An RSS document for one of FEEDS. */
export function feedBody(url: string): string {
  const feed = FEEDS[url];
  if (!feed) throw new Error(`no feed ${url}`);
  const items = feed.items
    .map(
      ([title, description], i) =>
        `<item><title>${title}</title><link>${url}#${i}</link><guid>${url}#${i}</guid><pubDate>${new Date(T0 - i * 60_000).toUTCString()}</pubDate><description>${description}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${feed.title}</title><link>https://example.org/</link>${items}</channel></rss>`;
}

/** Engine dependencies for one round: a fetcher answering FEEDS (the outside world), a fixed clock, no sinks. */
export function roundDeps<S, P>(store: S, parse: P) {
  const quiet = () => undefined;
  return {
    store,
    parse,
    fetcher: {
      fetch: async (url: string) => {
        const body = feedBody(url);
        return { kind: 'ok' as const, status: 200, body, charset: 'utf-8', finalUrl: url, bytes: body.length };
      },
    },
    sinks: new Map(),
    settings: {
      schedule: {
        defaultIntervalMinutes: 30,
        minIntervalMinutes: 5,
        maxIntervalMinutes: 1440,
        jitter: 0,
        maxBackoffMinutes: 1440,
        pauseAfterFailures: 10,
      },
      firstFetchPosts: 3,
      maxTerms: 0,
      concurrency: 1,
      channelConcurrency: 1,
      maxAttempts: 3,
      inDoubt: 'resend' as const,
      leaseMs: 60_000,
      forgetItemsAfterMs: 0,
    },
    clock: { now: () => new Date(T0 + 60_000) },
    random: () => 0.5,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  };
}
