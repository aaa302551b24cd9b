import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeDueDigests } from '../../bots/digest/compose';
import { SinkError, type Sink } from '../../bots/engine/sinks/types';
import type { Message } from '../../shared/message/message';
import { rssFeed, startFeedServer, type FeedServer, type TestFeedItem } from '../support/feed-server';
import { createEngineHarness, type EngineHarness } from './harness';

// Digests through the real engine, a real SQLite file and a local feed server, on a stepped clock.
let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

const T = (iso: string) => Date.parse(iso);

/** A story with words of its own (so no two merge) and the glossary's "exoplanet" in its summary. */
const story = (n: number, words = 3): TestFeedItem => ({
  title: `Story ${n}: ${Array.from({ length: words }, (_, k) => `w${n}x${k}`).join(' ')}`,
  link: `https://news.example/${n}`,
  guid: `s-${n}`,
  date: new Date(Date.UTC(2026, 9, 30, 0, n)),
  description: 'Astronomers studied an exoplanet with spectroscopy.',
});

function feed(path: string) {
  let items: TestFeedItem[] = [];
  server.route(path, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Space desk', items));
  });
  return { url: server.url(path), set: (next: TestFeedItem[]) => void (items = next) };
}

const config = (digest: object, sink = 'console') => ({
  channels: [
    { id: 'daily', sink, target: 'd', title: 'Daily', digest: { at: '08:00', timezone: 'Asia/Shanghai', ...digest } },
    { id: 'live', sink: 'console', target: 'l', title: 'Live' },
  ],
});

/** The digests printed so far: their parts' texts, per channel. */
const digests = (h: EngineHarness) => h.posts().filter((p) => /digest/.test(p.text.split('\n')[2] ?? ''));

/** Starts an engine on the config at `start`, with a source whose first fetch (posting nothing) is done. */
async function begin(
  path: string,
  cfg: object,
  start: string,
  options: Parameters<typeof createEngineHarness>[1] = {},
) {
  const f = feed(path);
  const h = await createEngineHarness(cfg, options);
  h.clock.set(T(start));
  await h.store.addSource({ url: f.url, title: 'Space desk', tags: ['astronomy'] }, h.clock.ms);
  await h.engine.runOnce();
  return { h, f };
}

describe('digests', () => {
  it('sends a daily digest at 08:00 Shanghai (00:00 UTC) on both sides of a DST change elsewhere; digest-only posts nothing else', async () => {
    const { h, f } = await begin('/d1', config({}), '2026-10-30T10:00:00Z');
    f.set([story(1), story(2)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    // The live channel posts both; the digest-only channel keeps them.
    expect(h.posts().map((p) => p.channel)).toEqual(['live', 'live']);
    h.clock.set(T('2026-10-30T23:59:59Z'));
    await h.engine.runOnce();
    expect(digests(h)).toEqual([]);
    h.clock.set(T('2026-10-31T00:00:20Z'));
    await h.engine.runOnce();
    const [first] = digests(h);
    expect(first!.channel).toBe('daily');
    expect(first!.text).toContain('Science digest · Saturday 31 October 2026\nDaily · 2 stories from 1 source');
    expect(first!.text).toContain('Astronomy & space\n');
    expect(first!.text).toMatch(/\n1\. Story 2: .* — Space desk <https:\/\/news\.example\/2>\n {3}exoplanet: /);
    expect(first!.text).not.toContain('Sent late');
    // New York leaves DST on 1 November; Shanghai's 08:00 stays 00:00 UTC.
    for (const [day, n] of [
      ['2026-10-31', 3],
      ['2026-11-01', 4],
      ['2026-11-02', 5],
    ] as const) {
      f.set([story(n)]);
      h.clock.set(T(`${day}T12:00:00Z`));
      await h.engine.runOnce();
      h.clock.set(T(`${day}T23:59:00Z`));
      await h.engine.runOnce();
    }
    h.clock.set(T('2026-11-03T00:00:05Z'));
    await h.engine.runOnce();
    // 1 November and 2 November each got one digest of their own day's story (none was late).
    const days = digests(h).map((d) => [d.text.split('\n')[2], /Story (\d+)/.exec(d.text)?.[1]]);
    expect(days).toEqual([
      ['Science digest · Saturday 31 October 2026', '2'],
      ['Science digest · Sunday 1 November 2026', '3'],
      ['Science digest · Monday 2 November 2026', '4'],
      ['Science digest · Tuesday 3 November 2026', '5'],
    ]);
    expect(h.posts().filter((p) => p.channel === 'daily')).toHaveLength(4);
    await h.close();
  });

  it('also-live posts as usual and sends the digest on top', async () => {
    const { h, f } = await begin('/d2', config({ mode: 'also-live' }), '2026-10-30T10:00:00Z');
    f.set([story(1)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:01:00Z'));
    await h.engine.runOnce();
    expect(
      h
        .posts()
        .map((p) => p.channel)
        .sort(),
    ).toEqual(['daily', 'daily', 'live']);
    expect(digests(h)).toHaveLength(1);
    await h.close();
  });

  it('sends the digest once when the process restarts at the scheduled minute, after committing it', async () => {
    const { h, f } = await begin('/d3', config({}), '2026-10-30T10:00:00Z');
    f.set([story(1)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:00:01Z'));
    // The digest is committed, then the process stops before the delivery pass.
    expect(await composeDueDigests(h.deps, h.engine.channels.list())).toBe(1);
    const again = await h.reopen();
    again.clock.set(T('2026-10-31T00:00:30Z'));
    await again.engine.runOnce();
    await again.engine.runOnce();
    expect(digests(again)).toHaveLength(1);
    await again.close();
  });

  it('sends the digest once with two workers on one store at the same minute', async () => {
    const { h, f } = await begin('/d4', config({}), '2026-10-30T10:00:00Z');
    f.set([story(1)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    const other = await createEngineHarness(config({}), { dir: h.dir, printed: h.printed });
    for (const w of [h, other]) w.clock.set(T('2026-10-31T00:00:10Z'));
    const made = await Promise.all([h, other].map((w) => composeDueDigests(w.deps, w.engine.channels.list())));
    expect(made.sort()).toEqual([0, 1]);
    await Promise.all([h.engine.runOnce([]), other.engine.runOnce([])]);
    await Promise.all([h.engine.runOnce([]), other.engine.runOnce([])]);
    expect(digests(h)).toHaveLength(1);
    await other.engine.stop();
    await other.store.close();
    await h.close();
  });

  it('sends a time missed while the bots were down late, once, saying so, with every story since the last digest', async () => {
    const { h, f } = await begin('/d5', config({}), '2026-10-30T10:00:00Z');
    f.set([story(1)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:00:10Z'));
    await h.engine.runOnce();
    f.set([story(2)]);
    h.clock.set(T('2026-10-31T12:00:00Z'));
    await h.engine.runOnce();
    // Down from 31 October 12:00 UTC until 2 November 01:30 UTC: two times missed. What the feed
    // has at the restart arrived after the last missed time: it is for the next digest.
    f.set([story(3), story(2)]);
    h.clock.set(T('2026-11-02T01:30:00Z'));
    await h.engine.runOnce();
    await h.engine.runOnce();
    const all = digests(h);
    expect(all).toHaveLength(2);
    expect(all[1]!.text).toContain('Science digest · Monday 2 November 2026');
    expect(all[1]!.text).toContain(
      'Sent late: this digest was due at 08:00 Asia/Shanghai; the bots could not send it then.',
    );
    expect(all[1]!.text).toContain('Story 2:');
    expect(all[1]!.text).not.toContain('Story 3:');
    await h.close();
  });

  it('says a digest the network held up is late when it finally goes out, and sends it once', async () => {
    const sent: Message[] = [];
    let down = true;
    const flaky: Sink = {
      name: 'flaky',
      idempotent: false,
      async send(_t, message) {
        if (down) throw new SinkError('network is unreachable', true);
        sent.push(message);
        return { remoteId: null };
      },
      async notify() {},
    };
    const { h, f } = await begin('/d6', config({}, 'flaky'), '2026-10-30T10:00:00Z', { extraSinks: [flaky] });
    f.set([story(1)]);
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:00:10Z'));
    await h.engine.runOnce();
    expect(sent).toEqual([]);
    down = false;
    h.clock.set(T('2026-10-31T00:45:00Z'));
    await h.engine.runOnce();
    await h.engine.runOnce();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.digest?.late).toBe(
      'Sent late: this digest was due at 08:00 Asia/Shanghai; the bots could not send it then.',
    );
    await h.close();
  });

  it('cuts a digest too long for one message into numbered parts, sent in order', async () => {
    const { h, f } = await begin('/d7', config({ size: 40 }), '2026-10-30T10:00:00Z');
    f.set(Array.from({ length: 40 }, (_, i) => story(i + 1, 30)));
    h.clock.set(T('2026-10-30T12:00:00Z'));
    await h.engine.runOnce();
    h.clock.set(T('2026-10-31T00:00:10Z'));
    await h.engine.runOnce();
    const parts = digests(h);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    parts.forEach((p, i) => {
      expect(p.text.split('\n')[2]).toBe(`Science digest · Saturday 31 October 2026 (${i + 1}/${parts.length})`);
      expect(p.text.length - p.text.indexOf('\n', p.text.indexOf('\n') + 1) - 2).toBeLessThanOrEqual(4096);
    });
    const numbers = parts.flatMap((p) => [...p.text.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await h.close();
  });
});
