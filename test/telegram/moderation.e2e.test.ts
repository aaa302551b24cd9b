import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import { UNSUBSCRIBED_REASON } from '../../bots/store/subscriptions';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, runInProcess, startTelegramWorld, writeTelegramConfig } from './harness';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The real bot (runBots with TELEGRAM_BOT_TOKEN) against the fake Bot API and a local feed
 * server: people type commands in a group, and the test looks at what the group then shows.
 */
let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' }; // group admin
const bob = { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' }; // member
const olga = { id: 5, is_bot: false, first_name: 'Olga', username: 'olga' }; // network operator (telegram.moderators)

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.setMember(GROUP, alice.id, 'administrator');
  tg.setMember(GROUP, bob.id, 'member');
  tg.setMember(GROUP, olga.id, 'member');
  feeds = await startFeedServer();
  feeds.route('/science.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Test Science & Co', items('Trusted', 1, 3)));
  });
  feeds.route('/untrusted.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Unvetted blog', items('Held', 1, 2)));
  });
  feeds.route('/untrusted2.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Second blog', items('Edited', 1, 1)));
  });
  feeds.route('/page.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>');
  });
  bots = await runInProcess(tg, world.db, writeTelegramConfig(dir, { firstFetchPosts: 1000, moderators: [olga.id] }));
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lastText = (chatId = GROUP) => tg.messages(chatId).at(-1)?.text ?? '';
const replyAfter = async (count: number, match: RegExp) =>
  tg
    .waitFor(() =>
      tg
        .messages(GROUP)
        .slice(count)
        .find((m) => match.test(m.text)),
    )
    .catch((error: Error) => {
      throw new Error(
        `${error.message}; the group shows: ${JSON.stringify(
          tg
            .messages(GROUP)
            .slice(count)
            .map((m) => m.text),
        )}`,
      );
    });

describe('moderating SciPop from a Telegram group', () => {
  it('registers its commands with setMyCommands', async () => {
    const commands = await tg.waitFor(() => tg.state.commands.get('{"type":"default"}'));
    expect(commands.map((c) => c.command)).toEqual(
      expect.arrayContaining([
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
        'explain',
        'help',
      ]),
    );
    const who = (name: string) => /\((\w+)\)$/.exec(commands.find((c) => c.command === name)!.description)?.[1];
    expect([who('explain'), who('filter'), who('export')]).toEqual(['everyone', 'moderators', 'operators']);
    // Members whose Telegram speaks Chinese get the same menu in Chinese.
    const zh = await tg.waitFor(() => tg.state.commands.get('{"type":"default"}:zh'));
    expect(zh.map((c) => c.command)).toEqual(commands.map((c) => c.command));
    expect(zh.find((c) => c.command === 'explain')!.description).toBe('用词库解释一个科学术语（所有人）');
  });

  it('refuses a non-moderator’s /add politely and changes nothing', async () => {
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, `/add ${feeds.url('/science.xml')}`);
    const reply = await replyAfter(before, /Sorry, only/);
    expect(reply.text).toContain('administrators');
    expect(await bots.store.listSources()).toEqual([]);
  });

  it('answers /add of a page that is not a feed with a clear reason', async () => {
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, `/add ${feeds.url('/page.html')}`);
    const reply = await replyAfter(before, /^Not added/);
    expect(reply.text).toMatch(/not a feed/i);
    expect(await bots.store.listSources()).toEqual([]);
  });

  it('lets an administrator add a source; its items appear as escaped HTML posts', async () => {
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, `/add ${feeds.url('/science.xml')} astronomy`);
    await replyAfter(before, /^Added “Test Science & Co”/);
    const posts = await tg.waitFor(() => {
      const found = tg.messages(GROUP).filter((m) => m.text.startsWith('Trusted #'));
      return found.length === 3 ? found : undefined;
    });
    expect(posts.map((p) => p.text.split('\n')[0])).toEqual(
      [1, 2, 3].map((i) => `Trusted #${i}: is 2 < 3 & "water" > ice?`),
    );
    const first = posts[0]!;
    expect(first.html).toContain(
      '<b><a href="https://news.example/Trusted/1?a=1&amp;b=2">Trusted #1: is 2 &lt; 3 &amp; "water" &gt; ice?</a></b>',
    );
    expect(first.text).toContain(
      '\nTest Science & Co · 2026-11-29 00:00 UTC\n\nTelescope data on the exoplanet & its atmosphere (1).',
    );
    expect(first.text).toContain('Key terms\n• exoplanet — ');
    expect(first.text).toContain('#astronomy');
    expect(first.entities).toContainEqual({
      type: 'text_link',
      offset: 0,
      length: 37,
      url: 'https://news.example/Trusted/1?a=1&b=2',
    });
    expect(first.link_preview_options).toEqual({ is_disabled: true });
  });

  it('imports an OPML file sent as a document; untrusted items wait in /queue, whose buttons approve and reject', async () => {
    let before = tg.messages(GROUP).length;
    const opml = toOpml([
      { url: feeds.url('/untrusted.xml'), title: 'Unvetted blog', tags: ['space'], trusted: false },
    ]);
    // Importing changes the network's sources: this chat's admin may not, an operator may.
    tg.sendFile(GROUP, alice, 'more.opml', opml, '/import');
    expect((await replyAfter(before, /^Sorry, only the network’s operators/)).text).toContain('telegram.moderators');
    before = tg.messages(GROUP).length;
    tg.sendFile(GROUP, olga, 'more.opml', opml, '/import');
    await replyAfter(before, /^Imported more\.opml: 1 added/);
    await vi.waitFor(async () => expect((await bots.store.stats()).deliveries.held).toBe(2), { timeout: 15_000 });
    expect(tg.messages(GROUP).some((m) => m.text.startsWith('Held #'))).toBe(false);

    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/queue');
    await replyAfter(before, /Sorry, only/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/queue');
    const queued = await tg.waitFor(() => {
      const q = tg
        .messages(GROUP)
        .slice(before)
        .filter((m) => m.reply_markup?.inline_keyboard);
      return q.length === 2 ? q : undefined;
    });
    const buttons = queued[0]!.reply_markup!.inline_keyboard![0]!.map((b) => b.text);
    expect(buttons).toEqual(['✅ Approve', '🗑 Reject', '✏️ Edit summary']);
    const [approve] = queued[0]!.reply_markup!.inline_keyboard![0]!;
    const reject = queued[1]!.reply_markup!.inline_keyboard![0]![1]!;

    const denied = tg.press(GROUP, bob, queued[0]!.message_id, approve!.callback_data!);
    await tg.waitFor(() => tg.state.callbackQueries.get(denied)?.answered);
    expect(tg.state.callbackQueries.get(denied)?.answer?.text).toMatch(/Only this post’s channel moderators/);
    expect((await bots.store.stats()).deliveries.held).toBe(2);

    tg.press(GROUP, alice, queued[0]!.message_id, approve!.callback_data!);
    tg.press(GROUP, alice, queued[1]!.message_id, reject.callback_data!);
    await tg.waitFor(() => queued.every((m) => m.edits > 0));
    expect(queued[0]!.text).toMatch(/✅ Approved by @alice$/);
    expect(queued[1]!.text).toMatch(/🗑 Rejected by @alice$/);
    expect(queued[0]!.reply_markup).toBeUndefined();
    const approvedPost = await tg.waitFor(() =>
      tg.messages(GROUP).find((m) => m.text.startsWith('Held #1') && !m.reply_markup && m.edits === 0),
    );
    expect(approvedPost.html).toContain('<b><a href=');
    const stats = await bots.store.stats();
    expect(stats.deliveries).toMatchObject({ held: 0, rejected: 1 });
    expect(tg.messages(GROUP).filter((m) => m.text.startsWith('Held #2') && m.edits === 0 && !m.reply_markup)).toEqual(
      [],
    );
  });

  it('lets a moderator edit a queued post’s summary before approving it', async () => {
    let before = tg.messages(GROUP).length;
    tg.sendFile(
      GROUP,
      olga,
      'one.opml',
      toOpml([{ url: feeds.url('/untrusted2.xml'), title: 'Second blog', tags: [], trusted: false }]),
      '/import',
    );
    await replyAfter(before, /^Imported one\.opml: 1 added/);
    await vi.waitFor(async () => expect((await bots.store.stats()).deliveries.held).toBe(1), { timeout: 15_000 });
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/queue');
    const item = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => m.reply_markup?.inline_keyboard),
    );
    const edit = item.reply_markup!.inline_keyboard![0]![2]!;
    before = tg.messages(GROUP).length;
    tg.press(GROUP, alice, item.message_id, edit.callback_data!);
    const prompt = await replyAfter(before, /^Reply to this message with the new summary/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, 'Bob tries to sneak in a summary', { replyTo: prompt.message_id });
    await replyAfter(before, /Sorry, only/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, 'Moderated summary: 1 < 2 & "fine".', { replyTo: prompt.message_id });
    const shown = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => m.reply_markup?.inline_keyboard),
    );
    expect(shown.text).toContain('Moderated summary: 1 < 2 & "fine".');
    tg.press(GROUP, alice, shown.message_id, shown.reply_markup!.inline_keyboard![0]![0]!.callback_data!);
    const posted = await tg.waitFor(() =>
      tg.messages(GROUP).find((m) => m.text.startsWith('Edited #1') && !m.reply_markup && m.edits === 0),
    );
    expect(posted.text).toContain('\n\nModerated summary: 1 < 2 & "fine".\n\n');
    expect(posted.html).toContain('Moderated summary: 1 &lt; 2 &amp; "fine".');
  });

  it('shows and edits this chat’s filters, refusing a broken regex, and manages sources', async () => {
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/filter exclude crypto');
    const saved = await replyAfter(before, /^Filters of Science group/);
    expect(saved.text).toContain('exclude: “crypto”');
    expect(saved.text).toMatch(/Filter in effect now\. This destination comes from the config file/);
    expect((await bots.store.listChannels()).find((c) => c.id === 'tg-main')?.rules).toMatchObject({
      exclude: ['crypto'],
    });
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/filter include-regex (unclosed');
    expect((await replyAfter(before, /^Not saved: includeRegex\[0\]/)).text).toBeTruthy();
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/filter clear');
    await replyAfter(before, /Sorry, only/);
    expect((await bots.store.listChannels()).find((c) => c.id === 'tg-main')?.rules).toMatchObject({
      exclude: ['crypto'],
    });

    const source = (await bots.store.listSources()).find((s) => s.title === 'Second blog')!;
    before = tg.messages(GROUP).length;
    // A channel's admin pauses and removes for this chat only: its subscription, not the source.
    tg.say(GROUP, alice, `/pause ${source.id.slice(-8)}`);
    await replyAfter(before, /^Paused “Second blog” for Science group; other channels keep receiving it/);
    expect(await bots.store.listSubscriptions({ sourceId: source.id })).toMatchObject([
      { channelId: 'tg-main', pausedReason: 'paused by @alice in Telegram' },
    ]);
    // Nobody else receives it, so it is no longer fetched.
    expect(await bots.store.getSource(source.id)).toMatchObject({ active: false, pausedReason: UNSUBSCRIBED_REASON });
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/sources');
    expect((await replyAfter(before, /^This chat receives 3 sources:/)).text).toMatch(
      /Second blog — .*\(paused here: paused by @alice in Telegram\)/,
    );
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, `/resume ${source.id.slice(-8)}`);
    await replyAfter(before, /^Resumed “Second blog” for Science group/);
    expect((await bots.store.getSource(source.id))?.active).toBe(true);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, `/remove ${feeds.url('/untrusted2.xml')}`);
    await replyAfter(before, /^Unsubscribed Science group from “Second blog”; other channels keep it/);
    expect(await bots.store.listSubscriptions({ sourceId: source.id })).toEqual([]);
    expect(await bots.store.getSource(source.id)).toMatchObject({ active: false, pausedReason: UNSUBSCRIBED_REASON });
    // The operator removes it from the network.
    before = tg.messages(GROUP).length;
    tg.say(GROUP, olga, `/remove ${source.id}`);
    await replyAfter(before, /^Removed “Second blog” from the network/);
    expect(await bots.store.getSource(source.id)).toBeUndefined();
  });

  it('sends the sources back as OPML on /export, explains terms to everyone, and reports /status', async () => {
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/export');
    await replyAfter(before, /^Sorry, only the network’s operators/);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, olga, '/export');
    const doc = await tg.waitFor(() =>
      tg
        .messages(GROUP)
        .slice(before)
        .find((m) => m.kind === 'document'),
    );
    const xml = doc.document!.content.toString('utf8');
    expect(xml).toContain(`xmlUrl="${feeds.url('/science.xml')}"`);
    expect(xml).toContain('scipop:trusted="false"');

    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/explain exoplanet');
    const explained = await replyAfter(before, /exoplanet/i);
    expect(explained.text).toMatch(/planet/i);

    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/status');
    const status = await replyAfter(before, /^Sources this chat uses: 2 active/);
    expect(status.text).toContain('Approval queue here: 0');
    expect(status.text).toContain('Last posts here:');
    expect(lastText()).toBe(status.text);
  });

  it('asked Telegram about each person once: getChatMember answers are cached', () => {
    const asked = (userId: number) =>
      tg.calls.filter((c) => c.method === 'getChatMember' && Number(c.params.user_id) === userId).length;
    expect(asked(alice.id)).toBe(1);
    expect(asked(bob.id)).toBe(1);
  });

  it('subscribes a new group with /subscribe (operators: its own admins cannot), and /unsubscribe undoes it', async () => {
    const LAB = -700;
    tg.addChat({ id: LAB, type: 'group', title: 'Lab group' });
    tg.setMember(LAB, alice.id, 'administrator');
    tg.setMember(LAB, olga.id, 'member');
    const said = async (user: typeof alice, text: string, match: RegExp) => {
      const count = tg.messages(LAB).length;
      tg.say(LAB, user, text);
      return tg.waitFor(() =>
        tg
          .messages(LAB)
          .slice(count)
          .find((m) => match.test(m.text)),
      );
    };
    await said(alice, '/subscribe astronomy', /^Sorry, only SciPop moderators/);
    expect((await bots.store.listChannels()).some((c) => c.target === String(LAB))).toBe(false);
    await said(olga, '/subscribe none all', /^Give one approval mode/);
    const made = await said(olga, '/subscribe all #Astronomy space', /^This chat now receives/);
    expect(made.text).toBe(
      'This chat now receives new items of sources tagged astronomy, space. Every post waits for approval first. It takes effect now.',
    );
    expect((await bots.store.listChannels()).find((c) => c.target === String(LAB))).toMatchObject({
      id: `tg:${LAB}`,
      sink: 'telegram',
      title: 'Lab group',
      origin: 'chat',
      rules: { tags: ['astronomy', 'space'], approval: 'all' },
    });
    await said(
      olga,
      '/subscribe',
      /^This chat already receives posts \(Lab group\)\. \/filter changes what it gets\.$/,
    );
    const gone = await said(olga, '/unsubscribe', /no longer receives posts/);
    expect(gone.text).toBe(
      'This chat no longer receives posts. Posts already waiting for it are not sent. It takes effect now.',
    );
    expect((await bots.store.listChannels()).some((c) => c.target === String(LAB))).toBe(false);
    await said(olga, '/unsubscribe', /^This chat is not a SciPop destination\.$/);
  });
});
