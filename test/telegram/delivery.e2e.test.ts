import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, runInProcess, startTelegramWorld, writeTelegramConfig } from './harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * Delivery through the real bot as Telegram changes under it: a photo post and a refused image, a
 * forum topic with link previews on, the bot kicked (destination paused, moderator told, nothing
 * lost) and added back, and the group upgraded to a supergroup (destination moved).
 */
const FORUM = -1009999;
const SUPERGROUP = -1005555;
const SMALL = -400;
const mod = { id: 42, is_bot: false, first_name: 'Mo', username: 'mo' };
let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
let count = 0;

function feed(n: number): string {
  const entries = Array.from({ length: n }, (_, k) => {
    const i = n - k;
    const image =
      i === 1
        ? '<enclosure url="https://img.example/webb.jpg" type="image/jpeg" length="1"/>'
        : i === 2
          ? '<enclosure url="https://img.example/not-an-image.php" type="image/jpeg" length="1"/>'
          : '';
    return `<item><title>Post ${i}</title><link>https://news.example/${i}</link><guid>p${i}</guid><pubDate>${new Date(Date.UTC(2026, 10, 29, 1, i)).toUTCString()}</pubDate><description>About an exoplanet, part ${i}.</description>${image}</item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Live feed</title><link>https://news.example/</link>${entries.join('')}</channel></rss>`;
}

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.addChat({ id: FORUM, type: 'supergroup', title: 'Forum', is_forum: true, topics: [7] });
  tg.addChat({ id: mod.id, type: 'private', title: 'Mo' });
  tg.addChat({ id: SMALL, type: 'group', title: 'Small group' });
  feeds = await startFeedServer();
  count = 2;
  feeds.route('/live.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(feed(count));
  });
  feeds.route('/other.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Other feed', items('Other', 1, 2)));
  });
  const seed = join(dir, 'seed.opml');
  writeFileSync(seed, toOpml([{ url: feeds.url('/live.xml'), title: 'Live feed', tags: ['astronomy'] }]));
  const config = writeTelegramConfig(dir, {
    seedOpml: seed,
    moderators: [mod.id],
    approval: 'none',
    intervalSeconds: 0.5,
    channels: [
      { id: 'tg-main', target: String(GROUP), title: 'Science group' },
      { id: 'tg-topic', target: `${FORUM}/7`, title: 'Forum topic' },
      { id: 'tg-small', target: String(SMALL), title: 'Small group' },
    ],
    channelLinkPreviews: { 'tg-topic': true },
  });
  bots = await runInProcess(tg, world.db, config);
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

const posts = (chatId: number) => tg.messages(chatId).filter((m) => /^Post \d+/.test(m.text));
const titles = (chatId: number) => posts(chatId).map((m) => m.text.split('\n')[0]);

describe('delivering to Telegram as chats change', () => {
  it('posts a photo with its caption, falls back to text when Telegram refuses the image, and honours topics and previews', async () => {
    await tg.waitFor(() => posts(GROUP).length === 2 && posts(FORUM).length === 2);
    const [one, two] = posts(GROUP);
    expect(one).toMatchObject({ kind: 'photo', photo: 'https://img.example/webb.jpg' });
    expect(one!.html).toMatch(/^<b><a href="https:\/\/news\.example\/1">Post 1<\/a><\/b>/);
    expect(two!.kind).toBe('text'); // sendPhoto failed with "wrong type of the web page content"
    expect(
      tg.calls.some(
        (c) => c.method === 'sendPhoto' && c.description === 'Bad Request: wrong type of the web page content',
      ),
    ).toBe(true);
    expect(two!.link_preview_options).toEqual({ is_disabled: true });
    const topicText = posts(FORUM).find((m) => m.kind === 'text')!;
    expect(topicText.message_thread_id).toBe(7);
    expect(topicText.link_preview_options).toMatchObject({ url: 'https://news.example/2' });
  });

  it('pauses a destination the bot was kicked from, tells the moderator, loses nothing, and resumes when re-added', async () => {
    tg.setBotStatus(GROUP, 'kicked', mod);
    count = 4;
    const notice = await tg.waitFor(() =>
      tg.messages(mod.id).find((m) => m.text.startsWith('SciPop paused the destination "Science group"')),
    );
    expect(notice.text).toContain('Forbidden: bot was kicked from the supergroup chat');
    await tg.waitFor(() => titles(FORUM).includes('Post 4')); // other destinations carry on
    const waiting = (await bots.store.pendingDeliveries(Number.MAX_SAFE_INTEGER, 100)).filter(
      (d) => d.channelId === 'tg-main',
    );
    expect(waiting).toHaveLength(2);
    expect((await bots.store.stats()).deliveries.failed).toBe(0);
    tg.setBotStatus(GROUP, 'administrator', mod);
    await tg.waitFor(() => titles(GROUP).length === 4);
    expect(titles(GROUP)).toEqual(['Post 1', 'Post 2', 'Post 3', 'Post 4']);
  });

  it('moves the destination when the group is upgraded to a supergroup', async () => {
    tg.migrate(GROUP, SUPERGROUP);
    count = 5;
    await tg.waitFor(() => titles(SUPERGROUP).includes('Post 5'));
    expect(tg.calls.some((c) => c.description === 'Bad Request: group chat was upgraded to a supergroup chat')).toBe(
      true,
    );
    expect((await bots.store.listChannels()).find((c) => c.id === 'tg-main')?.target).toBe(String(SUPERGROUP));
    count = 6;
    await tg.waitFor(() => titles(SUPERGROUP).includes('Post 6'));
    expect(titles(GROUP)).toEqual(['Post 1', 'Post 2', 'Post 3', 'Post 4']);
    expect(titles(SUPERGROUP)).toEqual(['Post 5', 'Post 6']);
  });

  it('moves a destination as soon as Telegram announces the upgrade, before any send fails', async () => {
    await tg.waitFor(() => titles(SMALL).includes('Post 6'));
    const upgradedAt = Date.now();
    tg.migrate(SMALL, SMALL - 1_000_000_000_000, true);
    await vi.waitFor(
      async () =>
        expect((await bots.store.listChannels()).find((c) => c.id === 'tg-small')?.target).toBe(
          String(SMALL - 1_000_000_000_000),
        ),
      { timeout: 10_000 },
    );
    count = 7;
    await tg.waitFor(() => titles(SMALL - 1_000_000_000_000).includes('Post 7'));
    expect(tg.calls.filter((c) => c.at >= upgradedAt && Number(c.params.chat_id) === SMALL)).toEqual([]);
  });

  it('takes a configured moderator’s /filter from a private chat and applies it to the next items at once', async () => {
    const before = tg.messages(mod.id).length;
    tg.say(mod.id, mod, '/filter tg-topic exclude part 8');
    const reply = await tg.waitFor(() =>
      tg
        .messages(mod.id)
        .slice(before)
        .find((m) => m.text.startsWith('Filters of Forum topic')),
    );
    expect(reply.text).toContain('exclude: “part 8”');
    expect(reply.text).toContain('Filter in effect now');
    count = 8;
    await tg.waitFor(() => titles(SUPERGROUP).includes('Post 8'));
    await tg.waitFor(() => titles(SMALL - 1_000_000_000_000).includes('Post 8'));
    await new Promise((r) => setTimeout(r, 500)); // the same delivery pass would have posted it by now
    expect(await bots.store.pendingDeliveries(Number.MAX_SAFE_INTEGER, 100)).toEqual([]);
    expect(titles(FORUM)).not.toContain('Post 8');
    expect(titles(FORUM)).toContain('Post 7');
  });

  it('makes a new group a destination when a configured moderator /adds a feed there; its own admins alone cannot', async () => {
    const NEW = -600;
    const admin = tg.user(99, 'Admin of the new group');
    tg.addChat({ id: NEW, type: 'group', title: 'New group' });
    tg.setMember(NEW, admin.id, 'administrator');
    tg.say(NEW, admin, `/add ${feeds.url('/other.xml')}`);
    await tg.waitFor(() => tg.messages(NEW).find((m) => m.text.startsWith('Sorry, only SciPop moderators')));
    expect(await bots.store.getSource(feeds.url('/other.xml'))).toBeUndefined();
    tg.say(NEW, mod, `/add ${feeds.url('/other.xml')}`);
    const added = await tg.waitFor(() => tg.messages(NEW).find((m) => m.text.startsWith('Added “Other feed”')));
    expect(added.text).toContain('This chat is now a SciPop destination for it;');
    await tg.waitFor(
      () => titles(NEW).length === 0 && tg.messages(NEW).filter((m) => m.text.startsWith('Other #')).length === 2,
    );
    expect(tg.messages(NEW).some((m) => m.text.startsWith('Post '))).toBe(false); // only the feed added here
    expect((await bots.store.listChannels()).find((c) => c.id === `tg:${NEW}`)).toMatchObject({
      origin: 'chat',
      target: String(NEW),
    });
    // An existing source added there too: this chat receives it from now on.
    tg.say(NEW, mod, `/add ${feeds.url('/live.xml')}`);
    const again = await tg.waitFor(() =>
      tg.messages(NEW).find((m) => m.text.startsWith('“Live feed” is already a source')),
    );
    expect(again.text).toContain('This chat now receives it too.');
    count = 9;
    await tg.waitFor(() => titles(NEW).includes('Post 9'));
    expect(titles(NEW)).toEqual(['Post 9']);
  });
});
