import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { toOpml } from '../../bots/sources/opml';
import type { Delivery } from '../../bots/store/types';
import { MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS, type FakeMember } from '../fakes/discord/fake-discord';
import type { FakeChannel, FakeInteraction } from '../fakes/discord/state';
import { items, runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from '../discord/harness';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';

vi.setConfig({ testTimeout: 120_000 });

/**
 * Every moderator subcommand and button × {operator, Manage Server in this server, Manage Server
 * in another server, plain member}, on Discord, through the real bots and the fake Discord. Two
 * servers are two communities, each with a destination; commands are typed in server A's #news.
 * Outcomes as in the Telegram matrix: `network`, `this chat` (A's destination only), `refused`.
 */
const ACTORS = ['operator', 'admin', 'otherAdmin', 'member'] as const;
type ActorName = (typeof ACTORS)[number];

const EXPECTED: Record<string, Record<ActorName, string>> = {
  // Open to everyone (as on Telegram): what this channel receives, never another server's.
  sources: { operator: 'this chat', admin: 'this chat', otherAdmin: 'this chat', member: 'this chat' },
  add: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  pause: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  resume: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  remove: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  status: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  queue: { operator: 'network', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  filter: { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  import: { operator: 'network', admin: 'refused', otherAdmin: 'refused', member: 'refused' },
  export: { operator: 'network', admin: 'refused', otherAdmin: 'refused', member: 'refused' },
  'Approve button': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  'Reject button': { operator: 'this chat', admin: 'this chat', otherAdmin: 'refused', member: 'refused' },
  // A component id naming the other community's post, clicked where the clicker has Manage Server (forged or replayed).
  'Approve button, forged for the other server': {
    operator: 'network',
    admin: 'refused',
    otherAdmin: 'refused',
    member: 'refused',
  },
};

let world: DiscordWorld;
let feeds: FeedServer;
let bots: RunningBots;
let newsB: FakeChannel;
/** Each actor as they act in server A, and (the other server's moderator) in server B. */
let inA: Record<ActorName, FakeMember>;
let otherAdminInB: FakeMember;

beforeAll(async () => {
  world = await startDiscordWorld();
  const guildB = world.discord.addGuild('Other community');
  newsB = world.discord.addChannel(guildB, { name: 'news-b' });
  feeds = await startFeedServer();
  const serve = (path: string, prefix: string, n: number) =>
    feeds.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssFeed(`Feed ${path}`, items(prefix, 1, n)));
    });
  serve('/held', 'held', 6);
  serve('/shared', 'shared', 1);
  serve('/import', 'import', 1);
  for (const a of ACTORS) for (const k of ['add', 'remove']) serve(`/${k}-${a}`, `${k}${a}`, 1);
  const users = {} as Record<ActorName, ReturnType<typeof world.discord.addUser>>;
  for (const a of ACTORS) users[a] = world.discord.addUser(a);
  const config = writeDiscordConfig(
    world,
    [
      { id: 'dcA', target: world.news.id, title: 'Community A', approval: 'untrusted' },
      { id: 'dcB', target: newsB.id, title: 'Community B', approval: 'untrusted' },
    ],
    {
      feeds: [feeds.url('/held')],
      trusted: false,
      discord: { globalCommands: true, moderatorChannel: null, operators: { users: [users.operator.id] } },
    },
  );
  bots = await runInProcess(world, config, false);
  const as = (a: ActorName, permissions: bigint) => world.discord.member(users[a], permissions);
  inA = {
    operator: as('operator', MEMBER_PERMISSIONS),
    admin: as('admin', MODERATOR_PERMISSIONS),
    otherAdmin: as('otherAdmin', MEMBER_PERMISSIONS),
    member: as('member', MEMBER_PERMISSIONS),
  };
  otherAdminInB = as('otherAdmin', MODERATOR_PERMISSIONS);
  for (const path of ['/shared', ...ACTORS.map((a) => `/remove-${a}`)])
    await bots.store.addSource({ url: feeds.url(path), title: path.slice(1), trusted: true }, Date.now());
  await bots.engine.reloadChannels();
  await vi.waitFor(async () => expect((await bots.store.heldDeliveries(null, 100)).length).toBe(12), {
    timeout: 30_000,
  });
});
afterAll(async () => {
  await bots?.stop();
  await world?.discord.close();
  await feeds?.close();
  rmSync(world.dir, { recursive: true, force: true });
});

const text = (i: FakeInteraction) => String(i.original?.content ?? i.callbacks.at(-1)?.data?.content ?? '');
const refused = (i: FakeInteraction) => /^Only (members with the Manage Server|the network’s operators)/.test(text(i));
const run = async (actor: ActorName, subcommand: string, options: Record<string, string> = {}) => {
  const i = await world.discord.slash(inA[actor], { channelId: world.news.id, name: 'scipop', subcommand, options });
  // A deferred reply (add, import) is edited when done.
  if (i.callbacks[0]?.type === 5) await world.discord.waitFor(() => i.original?.content, 15_000, 'the final reply');
  return i;
};
const source = async (path: string) => (await bots.store.getSource(feeds.url(path)))!;
const subscribers = async (path: string) =>
  (await bots.store.listSubscriptions({ sourceId: (await source(path)).id }))
    .filter((s) => s.pausedReason === null)
    .map((s) => s.channelId);
const heldOf = (channel: string): Promise<Delivery[]> => bots.store.heldDeliveries(channel, 100);

async function click(member: FakeMember, channel: FakeChannel, customId: string, id: string): Promise<string> {
  const under = world.discord.messages(channel.id).at(-1)!;
  const i = await world.discord.click(member, under, customId);
  const status = (await bots.store.getDelivery(id))?.status;
  if (/^Only this post’s channel moderators/.test(text(i))) return status === 'held' ? 'refused' : 'decided anyway';
  return status === 'held' ? `unexpected: ${text(i)}` : 'decided';
}

const CELLS: Record<string, (actor: ActorName) => Promise<string>> = {
  sources: async (actor) => {
    const i = await run(actor, 'sources');
    if (refused(i)) return 'refused';
    if (text(i).includes('only-b')) return 'leaked another server';
    return /^This chat receives \d+ source/.test(text(i)) ? 'this chat' : `unexpected: ${text(i)}`;
  },
  add: async (actor) => {
    const i = await run(actor, 'add', { url: feeds.url(`/add-${actor}`) });
    if (refused(i)) return (await bots.store.getSource(feeds.url(`/add-${actor}`))) ? 'added anyway' : 'refused';
    const subs = await subscribers(`/add-${actor}`);
    return subs.includes('dcB') ? 'network' : subs.join(',') === 'dcA' ? 'this chat' : `unexpected: ${subs}`;
  },
  pause: async (actor) => {
    const i = await run(actor, 'pause', { source: (await source('/shared')).id });
    const active = (await source('/shared')).active;
    const subs = await subscribers('/shared');
    if (refused(i)) return active && subs.length === 2 ? 'refused' : 'changed anyway';
    if (!active) return 'network';
    return subs.join(',') === 'dcB' ? 'this chat' : `unexpected: ${subs}`;
  },
  resume: async (actor) => {
    const s = await source('/shared');
    if (actor === 'operator') await bots.store.pauseSource(s.id, 'test', Date.now());
    else await bots.store.pauseSubscription('dcA', s.id, 'test', Date.now());
    const i = await run(actor, 'resume', { source: s.id });
    const active = (await source('/shared')).active;
    const subs = await subscribers('/shared');
    if (refused(i)) {
      await bots.store.pauseSubscription('dcA', s.id, null, Date.now());
      return subs.length === 1 ? 'refused' : 'changed anyway';
    }
    if (actor === 'operator') return active ? 'network' : 'unexpected';
    return subs.length === 2 ? 'this chat' : `unexpected: ${subs}`;
  },
  remove: async (actor) => {
    const s = await source(`/remove-${actor}`);
    const i = await run(actor, 'remove', { source: s.id });
    if (!(await bots.store.getSource(s.id))) return 'network';
    const subs = await subscribers(`/remove-${actor}`);
    if (refused(i)) return subs.length === 2 ? 'refused' : 'changed anyway';
    return subs.join(',') === 'dcB' ? 'this chat' : `unexpected: ${subs}`;
  },
  status: async (actor) => {
    const i = await run(actor, 'status');
    if (refused(i)) return 'refused';
    if (/^Sources used here:/.test(text(i)) && !text(i).includes('Outbox')) return 'this chat';
    return /^Sources: /.test(text(i)) && text(i).includes('Outbox') ? 'network' : `unexpected: ${text(i)}`;
  },
  queue: async (actor) => {
    const i = await run(actor, 'queue');
    if (refused(i)) return 'refused';
    const count = Number(/^(\d+) post/.exec(text(i))?.[1]);
    const [a, b] = [(await heldOf('dcA')).length, (await heldOf('dcB')).length];
    return count === a ? 'this chat' : count === a + b ? 'network' : `unexpected: ${text(i)}`;
  },
  filter: async (actor) => {
    const i = await run(actor, 'filter', { action: 'add', kind: 'exclude', value: `word-of-${actor}` });
    const rules = async (id: string) =>
      JSON.stringify((await bots.store.listChannels()).find((c) => c.id === id)!.rules);
    if ((await rules('dcB')).includes('word-of')) return 'changed the other server';
    const changed = (await rules('dcA')).includes(`word-of-${actor}`);
    if (refused(i)) return changed ? 'changed anyway' : 'refused';
    return changed ? 'this chat' : `unexpected: ${text(i)}`;
  },
  import: async (actor) => {
    const file = world.discord.attach(
      'list.opml',
      toOpml([{ url: feeds.url('/import'), title: 'Imported', tags: [], trusted: true }]),
    );
    const i = await world.discord.slash(inA[actor], {
      channelId: world.news.id,
      name: 'scipop',
      subcommand: 'import',
      options: { file: { attachment: file } },
    });
    if (refused(i)) return 'refused';
    const done = await world.discord.waitFor(() => /^Imported/.test(text(i)) && text(i), 15_000, 'the import');
    return done ? 'network' : 'unexpected';
  },
  export: async (actor) => {
    const i = await run(actor, 'export');
    if (refused(i)) return 'refused';
    const file = i.original?.attachments[0] as { filename?: string } | undefined;
    return file?.filename === 'scipop-sources.opml' ? 'network' : `unexpected: ${text(i)}`;
  },
  'Approve button': async (actor) => {
    const [row] = await heldOf('dcA');
    const r = await click(inA[actor], world.news, `scipop:q:a:${row!.id}`, row!.id);
    return r === 'decided' ? 'this chat' : r;
  },
  'Reject button': async (actor) => {
    const [row] = await heldOf('dcA');
    const r = await click(inA[actor], world.news, `scipop:q:r:${row!.id}`, row!.id);
    return r === 'decided' ? 'this chat' : r;
  },
  'Approve button, forged for the other server': async (actor) => {
    // The other server's moderator clicks in their own server with A's post; the rest click in A with B's.
    if (actor === 'otherAdmin') {
      const [row] = await heldOf('dcA');
      return click(otherAdminInB, newsB, `scipop:q:a:${row!.id}`, row!.id);
    }
    const [row] = await heldOf('dcB');
    const r = await click(inA[actor], world.news, `scipop:q:a:${row!.id}`, row!.id);
    return r === 'decided' ? 'network' : r;
  },
};

describe('who may do what, on Discord', () => {
  it('gives each subcommand and button the expected outcome for each person, and never touches the other server', async () => {
    feeds.route('/only-b', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(rssFeed('only-b', items('onlyb', 1, 1)));
    });
    const addedInB = await world.discord.slash(otherAdminInB, {
      channelId: newsB.id,
      name: 'scipop',
      subcommand: 'add',
      options: { url: feeds.url('/only-b'), trusted: true },
    });
    await world.discord.waitFor(() => /^Added/.test(text(addedInB)), 15_000, 'the add in B');
    expect(await subscribers('/only-b')).toEqual(['dcB']);
    // Its (trusted) item is posted in B: the message B's moderator clicks a forged button under.
    await world.discord.waitFor(() => world.discord.messages(newsB.id).length > 0, 30_000, 'a post in B');
    // The other server's queue before; the operator's forged approval is the only change it may see.
    const heldB = (await heldOf('dcB')).map((d) => d.id);
    const rulesB = (await bots.store.listChannels()).find((c) => c.id === 'dcB')!.rules;

    const observed: Record<string, Record<ActorName, string>> = {};
    for (const [command, cell] of Object.entries(CELLS)) {
      observed[command] = {} as Record<ActorName, string>;
      for (const actor of ['member', 'otherAdmin', 'admin', 'operator'] as const) {
        observed[command][actor] = await cell(actor);
        if (command === 'pause' && observed[command][actor] !== 'refused') {
          const s = await source('/shared');
          await bots.store.resumeSource(s.id, Date.now());
          await bots.store.pauseSubscription('dcA', s.id, null, Date.now());
        }
      }
    }
    expect(observed).toEqual(EXPECTED);
    // Its queue lost only the post the operator approved, and gained only the operator's network-wide add.
    const operatorsAdd = (await source('/add-operator')).id;
    const after = await heldOf('dcB');
    expect(after.filter((d) => d.sourceId !== operatorsAdd).map((d) => d.id)).toEqual(heldB.slice(1));
    expect((await bots.store.listChannels()).find((c) => c.id === 'dcB')!.rules).toEqual(rulesB);
  });
});
