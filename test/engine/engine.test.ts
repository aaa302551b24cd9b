import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { createEngine } from '../../bots/engine/engine';
import { createEngineHarness } from './harness';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

const item = (n: number, extra: Partial<TestFeedItem> = {}): TestFeedItem => ({
  title: `Finding ${n}: an exoplanet with water`,
  link: `https://news.example/${n}`,
  guid: `item-${n}`,
  date: new Date(Date.UTC(2026, 10, 29, 0, n)),
  description: `Astronomers report result ${n} using spectroscopy.`,
  ...extra,
});

/** A feed whose items the test controls, with ETag support. */
function controlledFeed(path: string, options: { ttl?: number } = {}) {
  let items: TestFeedItem[] = [];
  let version = 0;
  server.route(path, (req, res) => {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
    res.end(rssFeed('Controlled', items, options.ttl ? { ttl: options.ttl } : {}));
  });
  return {
    url: server.url(path),
    set(next: TestFeedItem[]) {
      items = next;
      version++;
    },
  };
}

describe('engine over a real SQLite file and a local feed server', () => {
  it('posts nothing on the first fetch, then each new item once, using 304s in between', async () => {
    const feed = controlledFeed('/e1');
    feed.set([item(1), item(2)]);
    const h = await createEngineHarness();
    const source = await h.store.addSource({ url: feed.url, title: 'Controlled', tags: ['astronomy'] }, h.clock.ms);
    let report = await h.engine.runOnce();
    expect(report).toMatchObject({ polled: 1, ok: 1, newItems: 2, queued: 0 });
    expect(h.posts()).toEqual([]);
    // The delivery log says why: each channel receiving it skipped what the feed already carried.
    const log = await h.store.deliveryLog({ channelIds: null, offset: 0, limit: 10 });
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.outcome === 'skipped' && e.reason!.startsWith('first fetch of the source'))).toBe(true);
    report = await h.engine.runOnce();
    expect(report).toMatchObject({ notModified: 1, newItems: 0 });
    expect(server.lastHeaders('/e1')?.['if-none-match']).toBe('"v1"');
    feed.set([item(4), item(3), item(2), item(1)]);
    report = await h.engine.runOnce();
    expect(report).toMatchObject({ ok: 1, newItems: 2, queued: 2, delivery: { sent: 2 } });
    const posts = h.posts();
    expect(posts.map((p) => p.text.split('\n')[2])).toEqual([
      'Finding 3: an exoplanet with water',
      'Finding 4: an exoplanet with water',
    ]); // oldest first
    expect(posts[0]!.text).toContain('https://news.example/3');
    expect(posts[0]!.text).toMatch(/• exoplanet: /); // the glossary explains the post's terms
    expect(posts[0]!.text).toContain('#astronomy');
    expect((await h.store.getSource(source.id))?.etag).toBe('"v2"');
    // Restarting (a new process would) posts nothing again.
    const again = await h.reopen();
    feed.set([item(4), item(3), item(2), item(1)]);
    expect(await again.engine.runOnce()).toMatchObject({ ok: 1, newItems: 0, queued: 0 });
    expect(again.posts()).toHaveLength(2);
    await again.close();
  });

  it('posts at most the newest N on a first fetch when configured', async () => {
    const feed = controlledFeed('/e2');
    feed.set([item(1), item(5), item(3), item(2)]);
    const h = await createEngineHarness({ sources: { firstFetchPosts: 2 } });
    await h.store.addSource({ url: feed.url, title: 'C', tags: [] }, h.clock.ms);
    await h.engine.runOnce();
    expect(h.posts().map((p) => p.text.split('\n')[2])).toEqual([
      'Finding 3: an exoplanet with water',
      'Finding 5: an exoplanet with water',
    ]);
    await h.close();
  });

  it('curates per channel and holds untrusted sources for approval', async () => {
    const feed = controlledFeed('/e3');
    feed.set([]);
    const h = await createEngineHarness({
      channels: [
        {
          id: 'space',
          sink: 'console',
          target: 'a',
          rules: { tags: ['astronomy'], excludeRegex: ['\\bretracted\\b'] },
        },
        { id: 'bio', sink: 'console', target: 'b', rules: { tags: ['biology'] } },
        { id: 'strict', sink: 'console', target: 'c', rules: { includeRegex: ['finding [0-9]+:'], approval: 'all' } },
      ],
    });
    await h.store.addSource({ url: feed.url, title: 'C', tags: ['astronomy'], trusted: true }, h.clock.ms);
    await h.engine.runOnce();
    feed.set([item(1), item(2, { title: 'Finding 2 (RETRACTED): an exoplanet' })]);
    await h.engine.runOnce();
    expect(h.posts().map((p) => `${p.channel}:${p.text.split('\n')[2]}`)).toEqual([
      'space:Finding 1: an exoplanet with water',
    ]);
    const held = await h.store.heldDeliveries('strict', 10);
    expect(held).toHaveLength(1);
    expect(await h.store.decideDelivery(held[0]!.id, 'approve', 'test-moderator', h.clock.ms)).toBe(true);
    await h.engine.runOnce();
    expect(h.posts().map((p) => p.channel)).toEqual(['space', 'strict']);
    // A moderator changes a filter: the running engine applies it after reloadChannels().
    await h.store.upsertChannel(
      { id: 'bio', sink: 'console', target: 'b', title: 'bio', rules: { tags: ['astronomy'] }, origin: 'chat' },
      h.clock.ms,
    );
    await h.engine.reloadChannels();
    feed.set([item(3), item(1)]);
    await h.engine.runOnce();
    expect(
      h
        .posts()
        .slice(2)
        .map((p) => p.channel),
    ).toEqual(['bio', 'space']);
    await h.close();
  });

  it('backs off on failures, pauses after N with the reason, tells moderators, and resumes', async () => {
    let fail = true;
    server.route('/e4', (_req, res) => {
      if (fail) {
        res.writeHead(500);
        return res.end('boom');
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rssFeed('Back', [item(1)]));
    });
    const h = await createEngineHarness({ sources: { pauseAfterFailures: 3, defaultIntervalMinutes: 10, jitter: 0 } });
    const s = await h.store.addSource({ url: server.url('/e4'), title: 'Flaky' }, h.clock.ms);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const due = await h.store.dueSources(h.clock.ms + 1e12, 10);
      await h.engine.runOnce(due);
      const after = (await h.store.getSource(s.id))!;
      if (after.active) delays.push(after.nextFetchAt - h.clock.ms);
    }
    expect(delays).toEqual([600_000, 1_200_000]);
    const paused = (await h.store.getSource(s.id))!;
    expect(paused).toMatchObject({
      active: false,
      failures: 3,
      pausedReason: `3 failures in a row; last: HTTP 500 from 127.0.0.1:${server.port}`,
    });
    const notice = h.printed.find((t) => t.includes('[notice → moderators of console]'));
    expect(notice).toContain('Source paused: Flaky');
    expect(notice).toContain(`scipop sources resume ${s.id}`);
    expect(await h.engine.runOnce()).toMatchObject({ polled: 0 }); // paused sources are skipped
    fail = false;
    await h.store.resumeSource(s.id, h.clock.ms);
    expect((await h.store.dueSources(h.clock.ms, 10)).map((x) => x.id)).toEqual([s.id]);
    expect(await h.engine.runOnce()).toMatchObject({ ok: 1 });
    expect(await h.store.getSource(s.id)).toMatchObject({ active: true, failures: 0 });
    await h.close();
  });

  it('honours ttl within bounds and stores the URL a permanent redirect leads to', async () => {
    const feed = controlledFeed('/e5', { ttl: 90 });
    feed.set([item(1)]);
    server.route('/e5-old', (_req, res) => {
      res.writeHead(301, { location: '/e5' });
      res.end();
    });
    const h = await createEngineHarness({ sources: { jitter: 0 } });
    const s = await h.store.addSource({ url: server.url('/e5-old'), title: 'Moved' }, h.clock.ms);
    await h.engine.runOnce();
    const after = (await h.store.getSource(s.id))!;
    expect(after.url).toBe(feed.url);
    expect(after.nextFetchAt - h.clock.ms).toBe(90 * 60_000);
    await h.close();
  });

  it('pauses a source whose feed moved to one that is already a source, instead of posting twice', async () => {
    const feed = controlledFeed('/e8');
    feed.set([item(1)]);
    server.route('/e8-old', (_req, res) => {
      res.writeHead(308, { location: '/e8' });
      res.end();
    });
    const h = await createEngineHarness();
    const kept = await h.store.addSource({ url: feed.url, title: 'Kept' }, h.clock.ms);
    const old = await h.store.addSource({ url: server.url('/e8-old'), title: 'Old' }, h.clock.ms);
    const report = await h.engine.runOnce();
    expect(report).toMatchObject({ polled: 2, ok: 2, paused: 1 });
    expect(await h.store.getSource(old.id)).toMatchObject({
      active: false,
      url: server.url('/e8-old'),
      pausedReason: `its feed moved permanently to ${feed.url}, which is already the source "Kept"`,
    });
    expect(await h.store.getSource(kept.id)).toMatchObject({ active: true });
    expect(h.printed.some((t) => t.includes('Source paused: Old'))).toBe(true);
    await h.close();
  });

  it('refuses loopback sources unless private networks are allowed, pausing them with the reason', async () => {
    const h = await createEngineHarness({}, { allowPrivateNetworks: false });
    const s = await h.store.addSource({ url: server.url('/feed.xml'), title: 'Local' }, h.clock.ms);
    await h.engine.runOnce();
    expect(server.hits('/feed.xml')).toBe(0);
    expect((await h.store.getSource(s.id))?.pausedReason).toMatch(
      /loopback\/private\/link-local.*SCIPOP_ALLOW_PRIVATE_NETWORKS=1.*retrying cannot help/,
    );
    await h.close();
  });

  it('keeps posts over a channel cap waiting instead of dropping them', async () => {
    const feed = controlledFeed('/e6');
    feed.set([]);
    const h = await createEngineHarness({
      channels: [{ id: 'capped', sink: 'console', target: 'x', rules: { caps: { perHour: 2 } } }],
    });
    await h.store.addSource({ url: feed.url, title: 'C' }, h.clock.ms);
    await h.engine.runOnce();
    feed.set([1, 2, 3, 4, 5].map((n) => item(n)));
    expect(await h.engine.runOnce()).toMatchObject({ queued: 5, delivery: { sent: 2, deferred: 1 } }); // the rest wait behind the deferred one, in order
    h.clock.advance(61 * 60_000);
    expect((await h.engine.runOnce()).delivery).toMatchObject({ sent: 2 });
    h.clock.advance(61 * 60_000);
    expect((await h.engine.runOnce()).delivery).toMatchObject({ sent: 1 });
    expect(h.posts()).toHaveLength(5);
    await h.close();
  });

  it('counts fetches, 304s, items and deliveries in /metrics', async () => {
    const feed = controlledFeed('/e7');
    feed.set([item(1)]);
    const h = await createEngineHarness({ sources: { firstFetchPosts: 1 } });
    await h.store.addSource({ url: feed.url, title: 'C' }, h.clock.ms);
    await h.engine.runOnce();
    await h.engine.runOnce();
    const text = await h.deps.metrics!.registry.metrics();
    expect(text).toContain('scipop_fetches_total{result="ok"} 1');
    expect(text).toContain('scipop_fetches_total{result="not_modified"} 1');
    expect(text).toContain('scipop_items_total 1');
    expect(text).toContain('scipop_deliveries_total{sink="console",result="sent"} 1');
    expect(text).toContain('scipop_outbox_depth{status="sent"} 1');
    expect(text).toContain('scipop_sources{state="active"} 1');
    await h.close();
  });

  it('forgets items their feed stopped listing long ago, in the worker holding the maintenance role, and never posts them again', async () => {
    const DAY = 86_400_000;
    const feed = controlledFeed('/forget');
    feed.set([item(1), item(2)]);
    const h = await createEngineHarness({ sources: { forgetItemsAfterDays: 30 } });
    await h.store.addSource({ url: feed.url, title: 'Forgetful' }, h.clock.ms);
    await h.engine.runOnce();
    // 60 days on the feed answers 304 all along: nothing is forgotten.
    h.clock.advance(60 * DAY);
    await h.engine.runOnce();
    const tick = async () => {
      const run = h.engine.start(5);
      await new Promise((r) => setTimeout(r, 200));
      await h.engine.stop();
      await run;
    };
    expect(await h.store.pruneItems(h.clock.ms - 30 * DAY, 100)).toBe(0);
    // Then item 1 leaves the feed; 40 more days and the maintenance pass forgets it, not item 2.
    feed.set([item(3), item(2)]);
    await h.engine.runOnce();
    h.clock.advance(40 * DAY);
    await tick();
    expect(h.logs.find((l) => l.msg === 'forgot items their feeds stopped listing')?.obj).toEqual({
      items: 1,
      olderThanDays: 30,
    });
    expect((await h.store.stats()).items).toBe(2);
    await h.close();
  });

  it('stops without waiting for a maintenance job still running; a job failing after the stop is only logged', async () => {
    const h = await createEngineHarness();
    let calls = 0;
    let fail: (error: Error) => void = () => undefined;
    const engine = createEngine({
      ...h.deps,
      // Like the glossary's gap finder on a busy machine: it has not finished when the stop comes.
      maintenance: () => {
        calls++;
        return new Promise((_, reject) => (fail = reject));
      },
    });
    await engine.init();
    const run = engine.start(5);
    for (const until = Date.now() + 30_000; calls === 0 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    await engine.stop();
    await run;
    expect(engine.running).toBe(false);
    fail(new Error('the store is closed'));
    await new Promise((r) => setTimeout(r, 20));
    expect(h.logs.find((l) => l.msg === 'maintenance ended after the stop')?.obj).toEqual({
      err: 'the store is closed',
    });
    await h.close();
  });
});
