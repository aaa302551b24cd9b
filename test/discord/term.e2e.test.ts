import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS, type FakeMember } from '../fakes/discord/fake-discord';
import type { FakeInteraction, FakeMessage } from '../fakes/discord/state';
import { circumbinary } from '../glossary/community-fixtures';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { runInProcess, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

// Each draft is linted against a whole language, and the feed is polled every two seconds.
vi.setConfig({ testTimeout: 180_000 });

/** The community glossary from a Discord server, through the production discord.js client and the fake. */
let world: DiscordWorld;
let feeds: FeedServer;
let bots: RunningBots;
let mod: FakeMember;
let editor: FakeMember;
let erin: FakeMember; // a configured editor without Manage Server
let ivy: FakeMember; // Manage Server: a moderator of the news server, an editor in the editors' server
let bob: FakeMember; // a plain member
let desk: string; // a channel of the editors' server, where no news is posted
const news = [{ title: 'Kepler spots a world with two suns', guid: 'n1', link: 'https://news.example/n1' }];

const text = (i: FakeInteraction) => String(i.original?.content ?? i.callbacks[0]?.data?.content ?? '');
const answer = (i: FakeInteraction, want: RegExp) =>
  world.discord.waitFor(() => want.test(text(i)) && text(i), 60_000, `a reply matching ${want}`);

beforeAll(async () => {
  world = await startDiscordWorld();
  feeds = await startFeedServer();
  feeds.route('/news', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(rssFeed('Sky News', news));
  });
  mod = world.discord.member(world.discord.addUser('marie'), MODERATOR_PERMISSIONS);
  editor = world.discord.member(world.discord.addUser('eddie'), MODERATOR_PERMISSIONS);
  erin = world.discord.member(world.discord.addUser('erin'), MEMBER_PERMISSIONS);
  ivy = world.discord.member(world.discord.addUser('ivy'), MODERATOR_PERMISSIONS);
  bob = world.discord.member(world.discord.addUser('bob'), MEMBER_PERMISSIONS);
  const editors = world.discord.addGuild('Glossary editors');
  desk = world.discord.addChannel(editors, { name: 'desk' }).id;
  const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id, title: 'News' }], {
    feeds: [feeds.url('/news')],
  });
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      'sources:\n',
      'sources:\n  defaultIntervalMinutes: 0.03\n  minIntervalMinutes: 0.03\n',
    ),
  );
  appendFileSync(
    config,
    `glossary:\n  editors: ["discord:${editor.user.id}", "discord:${erin.user.id}"]\n  editorsChats: { discord: "${editors}" }\n  refreshSeconds: 1\n`,
  );
  bots = await runInProcess(world, config, false);
});
afterAll(async () => {
  await bots?.stop();
  await world?.discord.close();
  await feeds?.close();
  rmSync(world.dir, { recursive: true, force: true });
});

const term = (who: FakeMember, input: string) =>
  world.discord.slash(who, { channelId: world.news.id, name: 'scipop', subcommand: 'term', options: { input } });
const postsWith = (title: string) =>
  world.discord.waitFor(
    () => world.discord.messages(world.news.id).find((m: FakeMessage) => JSON.stringify(m).includes(title)),
    60_000,
    `a post "${title}"`,
  );

describe('/scipop term on Discord', () => {
  it('a moderator proposes, a non-editor’s approve is refused, an editor approves, the next post explains it, revert works', async () => {
    await postsWith('Kepler spots a world with two suns');
    const add = await term(
      mod,
      `add circumbinary planet short: ${circumbinary.short} long: ${circumbinary.long} field: astronomy level: 2 source: NASA https://science.nasa.gov/exoplanets/`,
    );
    await answer(add, /^Saved as a draft/);

    const review = await term(mod, 'review');
    await answer(review, /^Draft 1 of “circumbinary planet” \[en\]/);
    const card = review.original!;
    const approveId = (card.components[0] as { components: { custom_id: string; label: string }[] }).components[0]!;
    expect(approveId.label).toBe('Approve');

    const refused = await world.discord.click(mod, card, approveId.custom_id);
    await answer(refused, /^Sorry: only the glossary's editors may approve drafts/);
    expect(await bots.store.glossaryRevisionNumber()).toBe(1);
    const approved = await world.discord.click(editor, card, approveId.custom_id);
    // The card itself says who decided, and its buttons are gone.
    await answer(
      approved,
      /^Draft 1 of “circumbinary planet”[^]*\n\n✅ Approved by eddie .*: “circumbinary planet” \[en\] — published revision 2$/,
    );
    expect(approved.callbacks[0]).toMatchObject({ type: 7, data: { components: [] } });
    // /explain, for everyone, answers with the community's entry.
    const explained = await world.discord.slash(bob, {
      channelId: world.news.id,
      name: 'explain',
      options: { term: 'circumbinary planet' },
    });
    expect(await answer(explained, /Tatooine in Star Wars/)).toContain(circumbinary.short);

    news.unshift({ title: 'A second circumbinary planet for TESS', guid: 'n2', link: 'https://news.example/n2' });
    const post = await postsWith('A second circumbinary planet for TESS');
    expect(JSON.stringify(post)).toContain(circumbinary.short);

    await answer(await term(mod, 'retire circumbinary planet'), /^Sorry: only the glossary's editors may retire/);
    await answer(await term(editor, 'retire circumbinary planet'), /^Retired “circumbinary planet”/);
    await answer(await term(editor, 'revert circumbinary planet 1'), /^Reverted “circumbinary planet” to revision 1/);
    await answer(await term(mod, 'show circumbinary planet'), /From the community glossary\.$/);
  });

  it('opens a form for /scipop term add TERM alone, checks every field on submit, and stores the draft', async () => {
    const opened = await term(mod, 'add glimmer vortex');
    const modal = opened.callbacks[0]!;
    expect(modal.type).toBe(9);
    expect(modal.data).toMatchObject({ title: 'Add “glimmer vortex”' });
    const fields = (modal.data!.components as { components: { custom_id: string; style: number }[] }[]).map(
      (row) => row.components[0]!,
    );
    expect(fields.map((f) => `${f.custom_id}:${f.style}`)).toEqual([
      'short:1',
      'long:2',
      'field:1',
      'level:1',
      'source:1',
    ]);
    const good = {
      short: 'A swirl of faint light that this test makes up.',
      long: 'Nothing in nature is called this. The test uses it so that no entry has the same name.',
      field: 'astronomy',
      level: '2',
      source: 'Example https://example.org/glimmer-vortex',
    };
    const wrong = await world.discord.submitModal(mod, opened, { ...good, level: '7', field: 'stargazing' });
    const refusal = await answer(wrong, /^Nothing was stored; fix these/);
    expect(refusal).toContain('• field: "stargazing" is not one of');
    expect(refusal).toContain('• level: write 1 (common), 2 (informed) or 3 (specialist)');
    expect((await bots.store.glossaryDrafts()).some((d) => d.entryId === 'glimmer-vortex')).toBe(false);

    const again = await term(mod, 'add glimmer vortex');
    await answer(await world.discord.submitModal(mod, again, good), /^Saved as a draft; an editor will review it/);
    const draft = (await bots.store.glossaryDrafts()).find((d) => d.entryId === 'glimmer-vortex');
    expect(draft?.entry).toMatchObject({ short: good.short, level: 2, fields: ['astronomy'] });
    expect(draft?.author).toMatchObject({ platform: 'discord', id: mod.user.id });
  });
  it('editors by id and the editors’ server decide without moderating the news server; nobody else changes anything', async () => {
    const refusal =
      /^Sorry: only the glossary's editors and the moderators of a channel this network serves can use \/term/;
    const standalone = (who: FakeMember, channelId: string, input: string) =>
      world.discord.slash(who, { channelId, name: 'term', options: { input } });
    const approveOf = (card: FakeMessage) =>
      (card.components[0] as { components: { custom_id: string; label: string }[] }).components;

    await answer(await standalone(bob, world.news.id, 'review'), refusal);
    await answer(await standalone(bob, world.news.id, 'add quiver nebula short: A made-up cloud.'), refusal);
    const published = await bots.store.glossaryRevisionNumber();

    // Erin is an editor by id: the standalone /term works for her without Manage Server.
    const review = await standalone(erin, world.news.id, 'review');
    await answer(review, /^Draft \d+ of “glimmer vortex” \[en\]/);
    const [approve] = approveOf(review.original!);
    await answer(await world.discord.click(bob, review.original!, approve!.custom_id), refusal);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published);
    const approved = await world.discord.click(erin, review.original!, approve!.custom_id);
    await answer(approved, /\n\n✅ Approved by erin .*: “glimmer vortex” \[en\] — published revision \d+$/);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published + 1);

    // Ivy moderates the news server (a moderator there) and is an editor in the editors' server.
    const add = await term(
      mod,
      'add quiver nebula short: A cloud of trembling light that this test makes up. long: Nothing in nature is called this. The test uses it so that no entry has the same name. field: astronomy level: 2 source: Example https://example.org/quiver-nebula',
    );
    await answer(add, /^Saved as a draft/);
    const inNews = await term(ivy, 'review');
    await answer(inNews, /^Draft \d+ of “quiver nebula” \[en\]/);
    const refused = await world.discord.click(ivy, inNews.original!, approveOf(inNews.original!)[0]!.custom_id);
    await answer(refused, /^Sorry: only the glossary's editors may approve drafts/);
    const atDesk = await world.discord.slash(ivy, {
      channelId: desk,
      name: 'scipop',
      subcommand: 'term',
      options: { input: 'review' },
    });
    await answer(atDesk, /^Draft \d+ of “quiver nebula” \[en\]/);
    const rejected = await world.discord.click(ivy, atDesk.original!, approveOf(atDesk.original!)[2]!.custom_id);
    await answer(rejected, /\n\n❌ Rejected by ivy .*: “quiver nebula” \[en\]$/);
    expect((await bots.store.glossaryDrafts()).map((d) => d.entryId)).not.toContain('quiver-nebula');
    expect(await bots.store.glossaryRevisionNumber()).toBe(published + 1);
  });
});
