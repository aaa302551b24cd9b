import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import { MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS, type FakeMember } from '../fakes/discord/fake-discord';
import type { FakeChannel, FakeInteraction, FakeMessage } from '../fakes/discord/state';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { items, runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

/**
 * The production discord.js client logged in to the fake gateway, driven by a moderator (Manage
 * Server) and an ordinary member, through slash commands and the approval queue's buttons.
 */
let world: DiscordWorld;
let feeds: FeedServer;
let bots: RunningBots;
let mod: FakeMember;
let operator: FakeMember;
let member: FakeMember;
let locked: FakeChannel;

const EPHEMERAL = 64;
const text = (i: FakeInteraction) => String(i.original?.content ?? i.callbacks[0]?.data?.content ?? '');
const finalText = (i: FakeInteraction, want: RegExp) =>
  world.discord.waitFor(() => want.test(text(i)) && text(i), 15_000, `a reply matching ${want}`);

beforeAll(async () => {
  world = await startDiscordWorld();
  feeds = await startFeedServer();
  const serve = (path: string, list: ReturnType<typeof items>) =>
    feeds.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssFeed(`Feed ${path}`, list));
    });
  serve('/held', items('held', 1, 2));
  serve('/second', items('second', 1, 1));
  serve('/third', items('third', 1, 1));
  serve('/fourth', items('fourth', 1, 1));
  serve('/fifth', items('fifth', 1, 1));
  serve('/sixth', items('sixth', 1, 1));
  locked = world.discord.addChannel(world.guild, { name: 'locked', botDenied: ['sendMessages'] });
  const operatorUser = world.discord.addUser('olga');
  const config = writeDiscordConfig(
    world,
    [
      { id: 'news', target: world.news.id, title: 'News', approval: 'untrusted' },
      { id: 'locked', target: locked.id, title: 'Locked', approval: 'none' },
    ],
    {
      feeds: [feeds.url('/held')],
      trusted: false,
      discord: { globalCommands: true, operators: { users: [operatorUser.id] } },
    },
  );
  bots = await runInProcess(world, config, false);
  mod = world.discord.member(world.discord.addUser('marie'), MODERATOR_PERMISSIONS);
  member = world.discord.member(world.discord.addUser('reader'), MEMBER_PERMISSIONS);
  operator = world.discord.member(operatorUser, MEMBER_PERMISSIONS);
});

afterAll(async () => {
  await bots?.stop();
  await world?.discord.close();
  await feeds?.close();
  rmSync(world.dir, { recursive: true, force: true });
});

describe('Discord moderation end to end', () => {
  it('registers /scipop (Manage Server) and /explain (everyone) in the guild', () => {
    const commands = world.discord.state.commands.get(world.guild) ?? [];
    expect(commands.map((c) => c.name).sort()).toEqual(['explain', 'scipop', 'term']);
    expect(commands.find((c) => c.name === 'scipop')!.default_member_permissions).toBe('32');
    expect(commands.find((c) => c.name === 'explain')!.default_member_permissions).toBeUndefined();
    const subs = (commands.find((c) => c.name === 'scipop')!.options as { name: string }[]).map((o) => o.name);
    expect(subs).toEqual([
      'sources',
      'add',
      'remove',
      'filter',
      'pause',
      'resume',
      'queue',
      'import',
      'export',
      'status',
      'subscribe',
      'unsubscribe',
      'explain',
      'term',
      'digest',
      'lang',
      'dashboard',
    ]);
    expect((world.discord.state.commands.get('global') ?? []).map((c) => c.name).sort()).toEqual([
      'explain',
      'scipop',
      'term',
    ]);
  });

  it('registers the commands in a server the bot joins while running', async () => {
    const joined = world.discord.addGuild('Second Club');
    const commands = await world.discord.waitFor(
      () => world.discord.state.commands.get(joined),
      10_000,
      'commands in the new guild',
    );
    expect(commands.map((c) => c.name).sort()).toEqual(['explain', 'scipop', 'term']);
  });

  it('pauses a destination the bot cannot post to, tells the moderators, and resumes it with /scipop resume there', async () => {
    const notice = await world.discord.waitFor(
      () => world.discord.messages(world.mods.id).find((m) => m.content.includes('Locked')),
      20_000,
      'the pause notice',
    );
    expect(notice.content).toMatch(/Missing Permissions/);
    expect(world.discord.messages(locked.id)).toHaveLength(0);
    const refused = await world.discord.slash(member, { channelId: locked.id, name: 'scipop', subcommand: 'resume' });
    expect(text(refused)).toMatch(/Manage Server/);
    locked.botDenied.clear(); // a moderator fixed the channel's permissions
    const resumed = await world.discord.slash(mod, { channelId: locked.id, name: 'scipop', subcommand: 'resume' });
    expect(text(resumed)).toBe('Posting here resumed; 2 waiting posts go out now.');
    await bots.engine.runOnce([]);
    await world.discord.waitFor(() => world.discord.messages(locked.id).length === 2, 10_000, 'the two waiting posts');
  });

  it('posts held items to the moderators’ channel; a member’s click is refused, a moderator’s decides and shows who', async () => {
    const queue = await world.discord.waitFor(
      () => {
        const posts = world.discord.messages(world.mods.id).filter((m) => m.content.startsWith('Waiting for approval'));
        return posts.length === 2 && posts;
      },
      20_000,
      'two queue posts',
    );
    const [first, second] = queue as [FakeMessage, FakeMessage];
    const approveId = (m: FakeMessage, i: number) =>
      (m.components[0] as { components: { custom_id: string }[] }).components[i]!.custom_id;
    expect(approveId(first, 0)).toMatch(/^scipop:q:a:/);

    const refused = await world.discord.click(member, first, approveId(first, 0));
    expect(refused.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(String(refused.callbacks[0]!.data!.content)).toMatch(/Manage Server/);
    expect(first.components).toHaveLength(1); // untouched

    const approved = await world.discord.click(mod, first, approveId(first, 0));
    expect(approved.callbacks[0]!.type).toBe(7);
    expect(first.content).toContain(`Approved by <@${mod.user.id}>`);
    expect(first.components).toEqual([]);
    await world.discord.click(mod, second, approveId(second, 1));
    expect(second.content).toContain(`Rejected by <@${mod.user.id}>`);

    await bots.engine.runOnce([]);
    const posted = await world.discord.waitFor(
      () => world.discord.messages(world.news.id).length >= 1 && world.discord.messages(world.news.id),
      10_000,
      'the approved post',
    );
    expect(posted).toHaveLength(1);
    expect((posted[0]!.embeds[0] as { title: string }).title).toBe((first.embeds[0] as { title: string }).title);
    expect(world.discord.state.messages.get(world.mods.id)!.filter((m) => m.content.startsWith('Waiting')).length).toBe(
      0,
    );
  });

  it('refuses moderation to an ordinary member, and explains terms to everyone', async () => {
    const refused = await world.discord.slash(member, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/second') },
    });
    expect(refused.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(text(refused)).toMatch(/Manage Server/);
    expect((await bots.store.listSources()).map((s) => s.url)).not.toContain(feeds.url('/second'));

    const explained = await world.discord.slash(member, {
      channelId: world.news.id,
      name: 'explain',
      options: { term: 'exoplanet' },
    });
    expect(text(explained).toLowerCase()).toContain('planet');
    const viaScipop = await world.discord.slash(member, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'explain',
      options: { term: 'exoplanet' },
    });
    expect(text(viaScipop)).toBe(text(explained));
  });

  it('lets a moderator add, list, filter, pause, resume, import, export and see the status', async () => {
    const added = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/second'), tags: 'astronomy physics', trusted: true },
    });
    expect(await finalText(added, /^Added/)).toMatch(/Added “Feed \/second” \(1 items now/);
    const source = (await bots.store.getSource(feeds.url('/second')))!;
    expect(source).toMatchObject({ tags: ['astronomy', 'physics'], trusted: true });

    const listed = await world.discord.slash(mod, { channelId: world.news.id, name: 'scipop', subcommand: 'sources' });
    expect(text(listed)).toMatch(/^This chat receives 2 sources/);
    expect(text(listed)).toContain(source.id.slice(-8));

    const filtered = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'filter',
      options: { action: 'add', kind: 'exclude-regex', value: '(a+)+$' },
    });
    expect(text(filtered)).toContain('exclude-regex: `(a+)+$`');
    const bad = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'filter',
      options: { action: 'add', kind: 'include-regex', value: '(?<=x)y' },
    });
    expect(text(bad)).toMatch(/^Not saved/);

    const paused = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'pause',
      options: { source: source.id.slice(-8) },
    });
    // A server's moderator pauses their channel's subscription; nobody else receives it, so it stops being fetched.
    expect(text(paused)).toMatch(/^Paused “Feed \/second” for News; other channels keep receiving it/);
    expect((await bots.store.listSubscriptions({ sourceId: source.id }))[0]!.pausedReason).toMatch(/paused by marie/);
    expect((await bots.store.getSource(source.id))!.active).toBe(false);
    await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'resume',
      options: { source: source.id.slice(-8) },
    });
    expect((await bots.store.getSource(source.id))!.active).toBe(true);

    // The network's catalog is the operators': a server's moderator may not export or import it.
    const refused = await world.discord.slash(mod, { channelId: world.news.id, name: 'scipop', subcommand: 'export' });
    expect(text(refused)).toMatch(/^Only the network’s operators \(discord\.operators/);
    const exported = await world.discord.slash(operator, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'export',
    });
    const file = exported.original!.attachments[0] as { filename: string; text: string };
    expect(file.filename).toBe('scipop-sources.opml');
    expect(file.text).toContain(feeds.url('/second'));

    const opml = world.discord.attach(
      'more.opml',
      toOpml([{ url: feeds.url('/third'), title: 'Third', tags: ['biology'] }]),
    );
    const imported = await world.discord.slash(operator, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'import',
      options: { file: { attachment: opml } },
    });
    expect(await finalText(imported, /^Imported/)).toMatch(/1 added/);

    const status = await world.discord.slash(mod, { channelId: world.news.id, name: 'scipop', subcommand: 'status' });
    expect(text(status)).toMatch(/^Sources used here: 3 active/);
    expect(text(status)).toContain('This channel receives: News');
  });

  it('takes the buttons off a queue post whose item was decided elsewhere (Telegram, the CLI)', async () => {
    const added = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/fifth') },
    });
    await finalText(added, /^Added/);
    await bots.engine.runOnce([(await bots.store.getSource(feeds.url('/fifth')))!]);
    const post = await world.discord.waitFor(
      () =>
        world.discord
          .messages(world.mods.id)
          .find((m) => m.content.startsWith('Waiting') && JSON.stringify(m.embeds).includes('fifth item 1')),
      10_000,
      'the queue post',
    );
    const id = (post.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id.split(':')[3]!;
    expect(await bots.store.decideDelivery(id, 'reject', 'telegram:42', Date.now())).toBe(true);
    await world.discord.waitFor(() => post.components.length === 0, 10_000, 'the buttons to go');
    expect(post.content).toBe('Decided elsewhere\n🗑 Rejected by telegram:42');
  });

  it('gives a channel subscribed in a Chinese server (guild locale zh-CN) the Chinese language, and answers there in Chinese', async () => {
    const guild = world.discord.addGuild('科学俱乐部', 'zh-CN');
    const hall = world.discord.addChannel(guild, { name: 'hall' });
    const subscribed = await world.discord.slash(mod, {
      channelId: hall.id,
      name: 'scipop',
      subcommand: 'subscribe',
      options: { approval: 'none' },
    });
    expect(text(subscribed)).toBe('本频道现在会收到所有订阅源的新内容。已立即生效。');
    expect((await bots.store.listChannels()).find((c) => c.target === hall.id)).toMatchObject({ lang: 'zh-Hans' });
    const status = await world.discord.slash(mod, { channelId: hall.id, name: 'scipop', subcommand: 'lang' });
    expect(text(status)).toBe(
      '“#hall”目前使用简体中文。\n可用 /scipop lang language:en 或 /scipop lang language:zh-Hans 更改。',
    );
    const refused = await world.discord.slash(member, { channelId: hall.id, name: 'scipop', subcommand: 'status' });
    expect(text(refused)).toBe('只有拥有“管理服务器”权限的成员可以这样做。/explain 所有人都能用。');
    const gone = await world.discord.slash(mod, { channelId: hall.id, name: 'scipop', subcommand: 'unsubscribe' });
    expect(text(gone)).toBe('本频道不再接收推送，已在排队的推送也不会再发。已立即生效。');
  });

  it('subscribes a channel from Discord, delivers to it, and unsubscribes it', async () => {
    const lab = world.discord.addChannel(world.guild, { name: 'lab' });
    const subscribed = await world.discord.slash(mod, {
      channelId: lab.id,
      name: 'scipop',
      subcommand: 'subscribe',
      options: { approval: 'none' },
    });
    expect(text(subscribed)).toBe('This channel now receives new items of every source. It takes effect now.');
    expect((await bots.store.listChannels()).find((c) => c.target === lab.id)).toMatchObject({
      sink: 'discord',
      title: '#lab',
      origin: 'chat',
    });
    const added = await world.discord.slash(mod, {
      channelId: lab.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/fourth'), trusted: true },
    });
    await finalText(added, /^Added/);
    await bots.engine.runOnce();
    // Every source's new posts come to the channel, one send at a time: wait for the added feed's.
    const posts = await world.discord.waitFor(
      () =>
        world.discord
          .messages(lab.id)
          .some((m) => (m.embeds[0] as { title?: string } | undefined)?.title?.startsWith('fourth')) &&
        world.discord.messages(lab.id),
      15_000,
      'a post of the added feed in the subscribed channel',
    );
    expect(posts.map((m) => (m.embeds[0] as { title: string }).title)).toContain(
      'fourth item 1: telescope sees an exoplanet',
    );
    const gone = await world.discord.slash(mod, { channelId: lab.id, name: 'scipop', subcommand: 'unsubscribe' });
    expect(text(gone)).toMatch(/no longer receives posts/);
    expect((await bots.store.listChannels()).some((c) => c.target === lab.id)).toBe(false);
  });

  it('edits a queue post’s summary in a form before approving it; the post goes out with it', async () => {
    const added = await world.discord.slash(mod, {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/sixth') },
    });
    await finalText(added, /^Added/);
    await bots.engine.runOnce([(await bots.store.getSource(feeds.url('/sixth')))!]);
    const post = await world.discord.waitFor(
      () =>
        world.discord
          .messages(world.mods.id)
          .find((m) => m.content.startsWith('Waiting') && JSON.stringify(m.embeds).includes('sixth item 1')),
      10_000,
      'the queue post',
    );
    const row = post.components[0] as { components: { custom_id: string; label: string }[] };
    expect(row.components.map((b) => b.label)).toEqual(['✅ Approve', '🗑 Reject', '✏️ Edit summary']);
    const [approve, , edit] = row.components.map((b) => b.custom_id) as [string, string, string];
    expect(edit).toMatch(/^scipop:q:e:/);

    const refused = await world.discord.click(member, post, edit);
    expect(refused.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(text(refused)).toMatch(/Manage Server/);

    const opened = await world.discord.click(mod, post, edit);
    expect(opened.callbacks[0]).toMatchObject({ type: 9, data: { title: 'Edit the summary' } });
    const sneaked = await world.discord.submitModal(member, opened, { summary: 'A member’s words.' });
    expect(text(sneaked)).toMatch(/Manage Server/);
    const id = edit.split(':')[3]!;
    expect(await bots.store.editedSummary(id)).toBeUndefined();

    const saved = await world.discord.submitModal(mod, opened, { summary: 'A moderated summary.' });
    expect(text(saved)).toBe('Summary updated. The post as it will appear:');
    const shown = await world.discord.waitFor(() => saved.followUps[0], 10_000, 'the post as it will appear');
    expect(JSON.stringify(shown.embeds)).toContain('A moderated summary.');
    expect(await bots.store.editedSummary(id)).toBe('A moderated summary.');

    await world.discord.click(mod, post, approve);
    expect(post.content).toContain(`Approved by <@${mod.user.id}>`);
    await bots.engine.runOnce([]);
    const posted = await world.discord.waitFor(
      () => world.discord.messages(world.news.id).find((m) => JSON.stringify(m.embeds).includes('sixth item 1')),
      10_000,
      'the approved post',
    );
    expect(JSON.stringify(posted.embeds)).toContain('A moderated summary.');
  });
});
