import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchedAt } from '../store/harness';
import { createSqliteStore } from '../store/sqlite-store';
import type { Store } from '../store/types';
import { overviewBody, overviewOf } from './overview';
import { heldPosts, queueBody } from './queue';
import { dashboardScope } from './scope';

const NOW = Date.UTC(2026, 11, 7, 12);
const grant = (channelIds: string[], operator = false) => ({
  platform: 'telegram',
  userId: '42',
  name: '@alice',
  operator,
  channelIds,
});

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scipop-dash-'));
  store = createSqliteStore(join(dir, 'scipop.db'));
  for (const [id, title] of [
    ['mine', 'Mine'],
    ['theirs', 'Theirs'],
  ])
    await store.upsertChannel({ id: id!, sink: 'telegram', target: id!, title: title!, rules: {} }, NOW);
  const src = await store.addSource({ url: 'https://feed.example/rss', title: 'Feed <b>', tags: [] }, NOW);
  const held = (key: string, channelId: string, link: string) => ({
    key,
    title: key,
    link: null,
    publishedAt: null,
    data: {},
    deliveries: [
      {
        channelId,
        status: 'held' as const,
        message: {
          title: `<script>${key}</script>`,
          link,
          source: { title: 'Feed' },
          summary: 'S & T',
          terms: [],
          hashtags: [],
        },
      },
    ],
  });
  await store.commitFetch(
    src.id,
    { ...fetchedAt(NOW), failures: 2, lastError: 'HTTP 500 <oops>' },
    [held('a', 'mine', 'javascript:alert(1)'), held('b', 'theirs', 'https://ok.example/b')],
    NOW,
  );
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard pages', () => {
  it('show a channel moderator their channels only, and escape feed text', async () => {
    const scope = await dashboardScope(store, grant(['mine']));
    expect(scope.here.map((c) => c.id)).toEqual(['mine']);
    const posts = await heldPosts({ store, now: () => NOW }, scope);
    expect(posts.map((p) => p.channel)).toEqual(['Mine']);
    // A `javascript:` link from a feed never becomes a link.
    expect(posts[0]!.link).toBeNull();
    const html = String(await queueBody(posts, 'csrf-token', null, null));
    expect(html).toContain('&lt;script&gt;a&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('S &amp; T');
    expect(html).not.toMatch(/href="javascript:/i);
    // The Telegram preview shows it as text, as the post itself will.
    expect(html).toContain('<em>Feed · javascript:alert(1)</em>');
    expect(html).toContain('name="_csrf" value="csrf-token"');
  });

  it('lets an operator see every channel', async () => {
    const scope = await dashboardScope(store, grant([], true));
    expect((await heldPosts({ store, now: () => NOW }, scope)).map((p) => p.channel).sort()).toEqual([
      'Mine',
      'Theirs',
    ]);
    const o = await overviewOf({ store, now: () => NOW, leaseMs: 30_000 }, scope);
    expect(o.channels.map((c) => [c.title, c.held])).toEqual([
      ['Mine', 1],
      ['Theirs', 1],
    ]);
    expect(o.workers.hosts).toEqual([]);
  });

  it('gives the overview of a moderator’s channels: failing sources with their error, 30 days of posts', async () => {
    const scope = await dashboardScope(store, grant(['mine']));
    await store.subscribe('mine', (await store.listSources())[0]!.id, NOW);
    const o = await overviewOf({ store, now: () => NOW, leaseMs: 30_000 }, scope);
    expect(o.channels).toEqual([{ id: 'mine', title: 'Mine', held: 1, pending: 0, posts: Array(30).fill(0) }]);
    expect(o.sources.map((s) => s.state)).toEqual(['failing']);
    expect(o.workers).toEqual({ alive: 0, known: 0, hosts: null });
    const html = String(await overviewBody(o));
    expect(html).toContain('HTTP 500 &lt;oops&gt;');
    expect(html).toContain('Feed &lt;b&gt;');
    expect(html).toContain('2026-11-08 to 2026-12-07 (UTC)');
    expect(html).not.toContain('Theirs');
  });
});
