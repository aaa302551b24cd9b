import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import type { Delivery } from '../../bots/store/types';
import type { FakeTelegram } from '../fakes/telegram/server';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, items, runInProcess, startTelegramWorld, writeTelegramConfig } from '../telegram/harness';

vi.setConfig({ testTimeout: 120_000 });

/**
 * Every moderator command and button × {operator, admin of this chat, admin of another chat,
 * plain member}, on Telegram, through the real bots and the fake Bot API. Two groups are two
 * communities; every command is typed in GROUP (grp1). A cell's outcome is what the store shows
 * afterwards: `network` (changed for everyone), `this chat` (grp1's channel only), `refused`.
 */
const GROUP2 = -1009876543210;
const ACTORS = ['operator', 'admin', 'otherAdmin', 'member'] as const;
type ActorName = (typeof ACTORS)[number];
const USERS = {
  operator: { id: 5, is_bot: false, first_name: 'Olga', username: 'olga' },
  admin: { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' },
  otherAdmin: { id: 43, is_bot: false, first_name: 'Gus', username: 'gus' },
  member: { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' },
} as const;

const EXPECTED: Record<string, Record<ActorName, string>> = {
  '/sources': { operator: 'this chat', admin: 'this chat', otherAdmin: 'this chat', member: 'this chat' },
  '/add URL': { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/pause SOURCE': { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/resume SOURCE': { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/remove SOURCE': { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/status': { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/queue': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/filter': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  '/import': { operator: 'network', admin: 'refused', otherAdmin: 'refused', member: 'refused' },
  '/export': { operator: 'network', admin: 'refused', otherAdmin: 'refused', member: 'refused' },
  'Approve button': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  'Reject button': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  'Edit-summary button': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  // Callback data naming the other community's post, pressed in the presser's own chat (forged or replayed).
  'Approve button, forged for the other chat': {
    operator: 'network',
    admin: 'refused',
    otherAdmin: 'refused',
    member: 'refused',
  },
};

let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.addChat({ id: GROUP2, type: 'supergroup', title: 'Other community' });
  for (const [name, user] of Object.entries(USERS)) {
    tg.setMember(GROUP, user.id, name === 'admin' ? 'administrator' : 'member');
    tg.setMember(GROUP2, user.id, name === 'otherAdmin' ? 'administrator' : 'member');
  }
  feeds = await startFeedServer();
  const serve = (path: string, title: string, prefix: string, n: number) =>
    feeds.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rssFeed(title, items(prefix, 1, n)));
    });
  serve('/shared.xml', 'Shared', 'Shared', 1);
  serve('/held.xml', 'Held', 'Held', 6);
  for (const a of ACTORS) for (const k of ['add', 'remove']) serve(`/${k}-${a}.xml`, `${k} ${a}`, `${k}${a}`, 1);
  serve('/import.xml', 'Imported', 'Imported', 1);
  const seed = `${dir}/seed.opml`;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    seed,
    toOpml([
      { url: feeds.url('/shared.xml'), title: 'Shared', tags: [], trusted: true },
      { url: feeds.url('/held.xml'), title: 'Held', tags: [], trusted: false },
      ...ACTORS.map((a) => ({ url: feeds.url(`/remove-${a}.xml`), title: `remove ${a}`, tags: [], trusted: true })),
    ]),
  );
  const config = writeTelegramConfig(dir, {
    moderators: [USERS.operator.id],
    seedOpml: seed,
    channels: [
      { id: 'grp1', target: String(GROUP), title: 'Community one' },
      { id: 'grp2', target: String(GROUP2), title: 'Community two' },
    ],
  });
  bots = await runInProcess(tg, world.db, config);
  await vi.waitFor(async () => expect((await bots.store.heldDeliveries(null, 100)).length).toBe(12), {
    timeout: 30_000,
  });
});
afterAll(async () => {
  await bots?.stop();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Posts of the feeds (they arrive while commands are answered); the test feeds' items all say this. */
const notPost = (m: { text: string }) => !m.text.includes('Telescope data on the exoplanet');

/** Sends a message as `actor` in `chat` and returns the bot's next message there (its final text). */
async function ask(actor: ActorName, text: string, chat = GROUP): Promise<string> {
  const before = tg.messages(chat).length;
  tg.say(chat, USERS[actor], text);
  const reply = await tg.waitFor(() => tg.messages(chat).slice(before).filter(notPost)[0], 15_000);
  if (reply.text.startsWith('Checking ')) await tg.waitFor(() => reply.edits > 0 && reply, 15_000);
  return reply.kind === 'document' ? `document ${reply.document?.file_name}` : reply.text;
}

/** Presses a button with `data` under the bot's last message in `chat`; the answer's text. */
async function press(actor: ActorName, data: string, chat = GROUP): Promise<string> {
  const under = tg
    .messages(chat)
    .filter((m) => m.kind === 'text')
    .at(-1)!;
  const id = tg.press(chat, USERS[actor], under.message_id, data);
  await tg.waitFor(() => tg.state.callbackQueries.get(id)?.answered, 15_000);
  return String(tg.state.callbackQueries.get(id)?.answer?.text ?? '');
}

const refused = (reply: string) => /^Sorry, only/.test(reply);
const source = async (path: string) => (await bots.store.getSource(feeds.url(path)))!;
const subscribers = async (path: string, active = true) =>
  (await bots.store.listSubscriptions({ sourceId: (await source(path)).id }))
    .filter((s) => !active || s.pausedReason === null)
    .map((s) => s.channelId);
const heldOf = async (channel: string): Promise<Delivery[]> => bots.store.heldDeliveries(channel, 100);

/** Each command as one actor: what happened. */
const CELLS: Record<string, (actor: ActorName) => Promise<string>> = {
  '/sources': async (actor) => {
    const reply = await ask(actor, '/sources');
    const onlyGrp2 = (await bots.store.listSources()).filter((s) => s.title === 'Only two')[0]!;
    if (reply.includes(onlyGrp2.title)) return 'leaked another chat';
    return /^This chat receives \d+ source/.test(reply) ? 'this chat' : `unexpected: ${reply}`;
  },
  '/add URL': async (actor) => {
    const reply = await ask(actor, `/add ${feeds.url(`/add-${actor}.xml`)}`);
    if (refused(reply))
      return (await bots.store.getSource(feeds.url(`/add-${actor}.xml`))) ? 'added anyway' : 'refused';
    const subs = await subscribers(`/add-${actor}.xml`);
    return subs.includes('grp2') ? 'network' : subs.join(',') === 'grp1' ? 'this chat' : `unexpected: ${subs}`;
  },
  '/pause SOURCE': async (actor) => {
    const s = await source('/shared.xml');
    const reply = await ask(actor, `/pause ${s.id}`);
    const now = (await source('/shared.xml')).active;
    const subs = await subscribers('/shared.xml');
    if (refused(reply)) return now && subs.length === 2 ? 'refused' : 'changed anyway';
    if (!now) return 'network';
    return subs.join(',') === 'grp2' ? 'this chat' : `unexpected: ${subs}`;
  },
  '/resume SOURCE': async (actor) => {
    const s = await source('/shared.xml');
    // Paused beforehand as this actor could (operators: the source; a chat's admin: its subscription).
    if (actor === 'operator') await bots.store.pauseSource(s.id, 'test', Date.now());
    else await bots.store.pauseSubscription('grp1', s.id, 'test', Date.now());
    await bots.engine.reloadChannels();
    const reply = await ask(actor, `/resume ${s.id}`);
    const active = (await source('/shared.xml')).active;
    const subs = await subscribers('/shared.xml');
    if (refused(reply)) {
      await bots.store.pauseSubscription('grp1', s.id, null, Date.now()); // back as it was
      return subs.length === 1 ? 'refused' : 'changed anyway';
    }
    if (actor === 'operator') return active ? 'network' : 'unexpected';
    return subs.length === 2 ? 'this chat' : `unexpected: ${subs}`;
  },
  '/remove SOURCE': async (actor) => {
    const s = await source(`/remove-${actor}.xml`);
    const reply = await ask(actor, `/remove ${s.id}`);
    if (!(await bots.store.getSource(s.id))) return 'network';
    const subs = await subscribers(`/remove-${actor}.xml`);
    if (refused(reply)) return subs.length === 2 ? 'refused' : 'changed anyway';
    return subs.join(',') === 'grp2' ? 'this chat' : `unexpected: ${subs}`;
  },
  '/status': async (actor) => {
    const reply = await ask(actor, '/status');
    if (refused(reply)) return 'refused';
    if (/^Sources this chat uses:/.test(reply) && !reply.includes('Outbox')) return 'this chat';
    return /^Sources: /.test(reply) && reply.includes('Outbox') ? 'network' : `unexpected: ${reply}`;
  },
  '/queue': async (actor) => {
    const before = tg.messages(GROUP).length;
    const reply = await ask(actor, '/queue');
    if (refused(reply)) return 'refused';
    const mine = new Set((await heldOf('grp1')).map((d) => d.id));
    await tg.waitFor(
      () =>
        tg
          .messages(GROUP)
          .slice(before)
          .filter((m) => m.reply_markup).length === mine.size,
      15_000,
    );
    const shown = tg
      .messages(GROUP)
      .slice(before)
      .flatMap((m) => m.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data ?? [])
      .map((d) => d.slice(4));
    return shown.every((id) => mine.has(id)) && shown.length === mine.size ? 'this chat' : 'leaked another chat';
  },
  '/filter': async (actor) => {
    const reply = await ask(actor, `/filter exclude word-of-${actor}`);
    const rules = async (id: string) =>
      JSON.stringify((await bots.store.listChannels()).find((c) => c.id === id)!.rules);
    const [one, two] = [await rules('grp1'), await rules('grp2')];
    if (two.includes('word-of')) return 'changed the other chat';
    if (refused(reply)) return one.includes(`word-of-${actor}`) ? 'changed anyway' : 'refused';
    return one.includes(`word-of-${actor}`) ? 'this chat' : `unexpected: ${reply}`;
  },
  '/import': async (actor) => {
    const before = tg.messages(GROUP).length;
    const opml = toOpml([{ url: feeds.url('/import.xml'), title: 'Imported', tags: [], trusted: true }]);
    tg.sendFile(GROUP, USERS[actor], 'list.opml', opml, '/import');
    const reply = (await tg.waitFor(() => tg.messages(GROUP).slice(before).filter(notPost)[0], 15_000)).text;
    if (refused(reply)) return 'refused';
    return /^Imported list\.opml/.test(reply) ? 'network' : `unexpected: ${reply}`;
  },
  '/export': async (actor) => {
    const reply = await ask(actor, '/export');
    if (refused(reply)) return 'refused';
    return reply === 'document scipop-sources.opml' ? 'network' : `unexpected: ${reply}`;
  },
  'Approve button': (actor) => decide(actor, 'a'),
  'Reject button': (actor) => decide(actor, 'r'),
  'Edit-summary button': async (actor) => {
    const [row] = await heldOf('grp1');
    const before = tg.messages(GROUP).length;
    const answer = await press(actor, `q:e:${row!.id}`);
    if (/^Only/.test(answer)) return 'refused';
    const prompt = await tg.waitFor(() => tg.messages(GROUP).slice(before).filter(notPost)[0], 15_000);
    return prompt.text.includes(`post ${row!.id}`) ? 'this chat' : `unexpected: ${prompt.text}`;
  },
  'Approve button, forged for the other chat': async (actor) => {
    const [row] = await heldOf('grp2');
    // Each presses in a chat where they have a say, if any: the other chat's admin in grp2 with a grp1 post.
    const [target] = actor === 'otherAdmin' ? await heldOf('grp1') : [row];
    const answer = await press(actor, `q:a:${target!.id}`, actor === 'otherAdmin' ? GROUP2 : GROUP);
    const after = await bots.store.getDelivery(target!.id);
    if (/^Only/.test(answer)) return after?.status === 'held' ? 'refused' : 'decided anyway';
    return approved(after) ? 'network' : `unexpected: ${answer} (${after?.status})`;
  },
};

/** An approved post is pending, or already on its way or out: the engine may deliver it at once. */
const approved = (row: Delivery | undefined) => ['pending', 'sending', 'sent'].includes(row?.status ?? '');

async function decide(actor: ActorName, action: 'a' | 'r'): Promise<string> {
  const [row] = await heldOf('grp1');
  const answer = await press(actor, `q:${action}:${row!.id}`);
  const after = await bots.store.getDelivery(row!.id);
  if (/^Only/.test(answer)) return after?.status === 'held' ? 'refused' : 'decided anyway';
  return (action === 'a' ? approved(after) : after?.status === 'rejected')
    ? 'this chat'
    : `unexpected: ${answer} (${after?.status})`;
}

describe('who may do what, on Telegram', () => {
  it('gives each command and button the expected outcome for each person, and never touches the other community', async () => {
    // A source only the other community subscribes to (its admin's /add in its own chat).
    feeds.route('/only-two.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(rssFeed('Only two', items('OnlyTwo', 1, 1)));
    });
    expect(await ask('otherAdmin', `/add ${feeds.url('/only-two.xml')}`, GROUP2)).toMatch(/^Added “Only two”/);
    expect(await subscribers('/only-two.xml')).toEqual(['grp2']);
    const grp2Before = JSON.stringify({
      held: (await heldOf('grp2')).map((d) => d.id),
      rules: (await bots.store.listChannels()).find((c) => c.id === 'grp2')!.rules,
    });

    const observed: Record<string, Record<ActorName, string>> = {};
    for (const [command, cell] of Object.entries(CELLS)) {
      observed[command] = {} as Record<ActorName, string>;
      // The refused first, so what the others do cannot hide a refusal that changed something.
      for (const actor of ['member', 'otherAdmin', 'admin', 'operator'] as const) {
        observed[command][actor] = await cell(actor);
        if (command === '/pause SOURCE' && observed[command][actor] !== 'refused') {
          // Undo, so the next actor starts from the same state.
          const s = await source('/shared.xml');
          await bots.store.resumeSource(s.id, Date.now());
          await bots.store.pauseSubscription('grp1', s.id, null, Date.now());
        }
      }
    }
    expect(observed).toEqual(EXPECTED);
    // The other community's queue lost only the post the operator approved; its rules are its own.
    const grp2After = (await heldOf('grp2')).map((d) => d.id);
    const before = JSON.parse(grp2Before) as { held: string[]; rules: unknown };
    expect(grp2After).toEqual(before.held.slice(1));
    expect((await bots.store.listChannels()).find((c) => c.id === 'grp2')!.rules).toEqual(before.rules);
  });
});
