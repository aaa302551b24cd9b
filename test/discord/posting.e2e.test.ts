import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { embedLength } from '../fakes/discord/validate';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { items, runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

let world: DiscordWorld | null = null;
let feeds: FeedServer | null = null;
afterEach(async () => {
  await world?.discord.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
  await feeds?.close();
  world = null;
  feeds = null;
});

async function serve(list: Parameters<typeof rssFeed>[1]): Promise<string> {
  feeds = await startFeedServer();
  feeds.route('/feed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Space Desk', list));
  });
  return feeds.url('/feed');
}

const LONG = `${'The exoplanet transit spectroscopy result, explained at length. '.repeat(150)}END`;

describe('Discord posting through the real engine and discord.js REST', () => {
  it('posts an item with @everyone and markdown in its title harmlessly, and keeps every limit on a long item', async () => {
    world = await startDiscordWorld();
    const url = await serve([
      {
        title: '@everyone **FREE** [prize](https://evil.example) <@&123> ||spoiler|| exoplanet',
        link: 'https://news.example/a',
        guid: 'a',
        date: new Date('2026-11-29T10:00:00Z'),
        description: '@here # Heading\n> quoted `code` ~~gone~~',
      },
      {
        title: `${'Very long title about a telescope '.repeat(20)}`,
        link: 'https://news.example/b',
        guid: 'b',
        date: new Date('2026-11-29T11:00:00Z'),
        description: LONG,
      },
    ]);
    const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id }], { feeds: [url] });
    const bots = await runInProcess(world, config, true);
    expect(bots.report?.delivery.sent).toBe(2);

    const posted = world.discord.messages(world.news.id);
    expect(posted).toHaveLength(2);
    const harmful = posted.find((m) => String(m.embeds[0]!.title).includes('FREE'))!;
    const embed = harmful.embeds[0] as { title: string; description: string; url: string };
    expect(harmful.content).toBe('');
    expect(harmful.allowedMentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });
    expect(harmful.mention_everyone).toBe(false);
    expect(embed.title).not.toMatch(/@everyone/);
    expect(embed.title).toContain('@\u200beveryone');
    expect(embed.title).toContain('\\*\\*FREE\\*\\*');
    expect(embed.title).toContain('\\[prize\\]\\(https://evil.example\\)');
    expect(embed.title).toContain('\\<@&123\\>');
    expect(embed.description).toContain('@\u200bhere');
    expect(embed.url).toBe('https://news.example/a');
    // Every post carries its outbox row id as nonce, enforced, so a resend cannot duplicate it.
    expect(posted.every((m) => typeof m.nonce === 'string' && m.nonce.length === 25)).toBe(true);

    const long = posted.find((m) => String(m.embeds[0]!.title).startsWith('Very long'))!.embeds[0] as {
      title: string;
      description: string;
      fields?: { value: string }[];
    };
    expect(long.title.length).toBeLessThanOrEqual(256);
    expect(long.description.length).toBeLessThanOrEqual(4096);
    expect(long.description.endsWith('…')).toBe(true);
    expect(embedLength(long)).toBeLessThanOrEqual(6000);
    expect(world.discord.requests.filter((r) => r.code === 50035)).toEqual([]);
  });

  it('delivers to an announcement channel (crossposted), a forum (one post per item, tags from fields), a thread, and through a webhook', async () => {
    world = await startDiscordWorld();
    const url = await serve(items('mix', 1, 2));
    const config = writeDiscordConfig(
      world,
      [
        { id: 'announce', target: world.announce.id },
        { id: 'forum', target: world.forum.id },
        { id: 'thread', target: world.thread.id },
        { id: 'hooked', target: world.news.id },
      ],
      { feeds: [url], discord: { destinations: { announce: { crosspost: true }, hooked: { webhook: true } } } },
    );
    const bots = await runInProcess(world, config, true);
    expect(bots.report?.delivery).toMatchObject({ sent: 8, failed: 0 });

    const announced = world.discord.messages(world.announce.id);
    expect(announced).toHaveLength(2);
    expect(announced.every((m) => (m.flags & 1) === 1)).toBe(true); // CROSSPOSTED

    const posts = [...world.discord.state.channels.values()].filter(
      (c) => c.parent_id === world!.forum.id && c.type === 11,
    );
    expect(posts.map((p) => p.name).sort()).toEqual([
      'mix item 1: telescope sees an exoplanet',
      'mix item 2: telescope sees an exoplanet',
    ]);
    const astronomy = world.forum.available_tags!.find((t) => t.name === 'Astronomy')!.id;
    expect(posts.every((p) => p.applied_tags?.includes(astronomy))).toBe(true);
    expect(posts.every((p) => world!.discord.messages(p.id).length === 1)).toBe(true);

    expect(world.discord.messages(world.thread.id)).toHaveLength(2);

    const hooked = world.discord.messages(world.news.id);
    expect(hooked).toHaveLength(2);
    expect(hooked.every((m) => m.webhook_id !== undefined && m.author.username === 'Feed 1')).toBe(true);
    expect(world.discord.state.webhooks.size).toBe(1); // made once, reused
  });

  it('pauses a destination on 403 Missing Permissions and 404 Unknown Channel, tells the moderators, and loses nothing', async () => {
    world = await startDiscordWorld();
    const locked = world.discord.addChannel(world.guild, { name: 'locked', botDenied: ['sendMessages'] });
    const url = await serve(items('p', 1, 3));
    const config = writeDiscordConfig(
      world,
      [
        { id: 'locked', target: locked.id, title: 'Locked room' },
        { id: 'gone', target: '1234567890123456789', title: 'Deleted channel' },
        { id: 'news', target: world.news.id },
      ],
      { feeds: [url] },
    );
    const bots = await runInProcess(world, config, true);
    expect(bots.report?.delivery.sent).toBe(3);
    expect(world.discord.messages(world.news.id)).toHaveLength(3);
    expect(world.discord.requests.some((r) => r.code === 50013)).toBe(true);
    expect(world.discord.requests.some((r) => r.code === 10003)).toBe(true);
    const notices = world.discord.messages(world.mods.id).map((m) => m.content);
    expect(notices.some((n) => n.includes('Locked room') && n.includes('Missing Permissions'))).toBe(true);
    expect(notices.some((n) => n.includes('Deleted channel') && n.includes('Unknown Channel'))).toBe(true);
    expect(notices).toHaveLength(2); // one notice per destination, not one per post
    const stats = await (await import('../../bots/store/open-store')).openStore(world.db);
    const s = await stats.stats();
    await stats.close();
    expect(s.deliveries.pending).toBe(6); // waiting, not failed
    expect(s.deliveries.failed).toBe(0);
  });
});
