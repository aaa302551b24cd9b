import { appendFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBots } from '../../bots/main';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/server';
import type { FakeTelegram } from '../fakes/telegram/server';
import { circumbinary, CIRCUMBINARY_ADD } from '../glossary/community-fixtures';
import { rssFeed, startFeedServer, type FeedServer } from '../support/feed-server';
import { GROUP, runInProcess, startTelegramWorld, writeTelegramConfig } from './harness';

// Each draft is linted against a whole language, and the feed is polled every two seconds.
vi.setConfig({ testTimeout: 180_000 });

/** The community glossary from a Telegram group: a moderator proposes, an editor approves, the next post explains it. */
let tg: FakeTelegram;
let feeds: FeedServer;
let bots: RunningBots;
let dir: string;
const alice = { id: 42, is_bot: false, first_name: 'Alice', username: 'alice' }; // group admin: a moderator
const eddie = { id: 55, is_bot: false, first_name: 'Eddie', username: 'eddie' }; // group admin and a configured editor
const erin = { id: 66, is_bot: false, first_name: 'Erin', username: 'erin' }; // a configured editor, a plain member of the group
const ivy = { id: 77, is_bot: false, first_name: 'Ivy', username: 'ivy' }; // admin of the editors' chat only
const bob = { id: 88, is_bot: false, first_name: 'Bob', username: 'bob' }; // a plain member everywhere
/** The editors' chat: no news is posted there; its administrators are the glossary's editors. */
const EDITORS = -1009876543210;
const news = [{ title: 'Kepler spots a world with two suns', guid: 'n1', link: 'https://news.example/n1' }];
let ai: FakeOpenAI;
const KEY = 'sk-tg-SECRET-3131313131';
// What the fake model answers: a whole entry for a made-up term.
const DRAFT = {
  id: 'murmur-lattice',
  term: 'murmur lattice',
  aliases: [],
  related: [],
  short: 'A pattern of faint signals that a test model invents for this check.',
  long: 'Nothing in nature is called this. The test uses it so that no entry has the same name. It was named in 2026.',
  level: 2,
  fields: ['astronomy'],
  sources: [{ title: 'Example page', url: 'https://example.org/murmur-lattice' }],
};

beforeAll(async () => {
  const world = await startTelegramWorld();
  tg = world.tg;
  dir = world.dir;
  tg.setMember(GROUP, alice.id, 'administrator');
  tg.setMember(GROUP, eddie.id, 'administrator');
  tg.setMember(GROUP, erin.id, 'member');
  tg.setMember(GROUP, bob.id, 'member');
  tg.addChat({ id: EDITORS, type: 'supergroup', title: 'Glossary editors' });
  tg.setMember(EDITORS, ivy.id, 'administrator');
  tg.setMember(EDITORS, bob.id, 'member');
  feeds = await startFeedServer();
  feeds.route('/news.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rssFeed('Sky News', news));
  });
  const config = writeTelegramConfig(dir, { intervalSeconds: 2, approval: 'none' });
  appendFileSync(
    config,
    `glossary:\n  editors: ["telegram:${eddie.id}", "telegram:${erin.id}"]\n  editorsChats: { telegram: "${EDITORS}" }\n  refreshSeconds: 1\n`,
  );
  // A language model that writes first drafts: the fake OpenAI-compatible server.
  ai = await startFakeOpenAI({ key: KEY, brain: ({ term }) => (term === 'broken vortex' ? 'not an entry' : DRAFT) });
  appendFileSync(config, `ai:\n  baseUrl: ${ai.baseUrl}\n  model: fake-model-9\n  maxRetries: 1\n`);
  bots = await runInProcess(tg, world.db, config, false, { SCIPOP_AI_API_KEY: KEY });
  await bots.store.addSource({ url: feeds.url('/news.xml'), title: 'Sky News', tags: ['astronomy'] }, Date.now());
});
afterAll(async () => {
  await bots?.stop();
  await ai?.close();
  await tg?.close();
  await feeds?.close();
  rmSync(dir, { recursive: true, force: true });
});

const after = (count: number, match: RegExp, chat = GROUP) =>
  tg
    .waitFor(
      () =>
        tg
          .messages(chat)
          .slice(count)
          .find((m) => match.test(m.text)),
      120_000,
    )
    .catch((error: Error) => {
      throw new Error(
        `${error.message} (${match}); the chat shows: ${JSON.stringify(
          tg
            .messages(chat)
            .slice(count)
            .map((m) => m.text),
        )}`,
      );
    });

/** The card once a decision is written on it (its buttons gone). */
const decidedCard = (card: { message_id: number }, match: RegExp, chat = GROUP) =>
  tg.waitFor(() => {
    const now = tg.messages(chat).find((m) => m.message_id === card.message_id);
    return now && match.test(now.text) ? now : undefined;
  }, 120_000);

describe('/term on Telegram', () => {
  it('a moderator proposes, a non-editor’s approve is refused, an editor approves, the next post explains it, revert works', async () => {
    await after(0, /Kepler spots a world with two suns/);
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, CIRCUMBINARY_ADD);
    await after(before, /^Saved as a draft/);

    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term review');
    const card = await after(before, /^Draft 1 of “circumbinary planet” \[en\] by @alice/);
    const buttons = card.reply_markup!.inline_keyboard![0]!;
    expect(buttons.map((b) => b.text)).toEqual(['Approve', 'Edit', 'Reject']);

    before = tg.messages(GROUP).length;
    tg.press(GROUP, alice, card.message_id, buttons[0]!.callback_data!);
    await after(before, /^Sorry: only the glossary's editors may approve drafts/);
    expect(await bots.store.glossaryRevisionNumber()).toBe(1);

    before = tg.messages(GROUP).length;
    tg.press(GROUP, eddie, card.message_id, buttons[0]!.callback_data!);
    // The card says who decided, and its buttons are gone.
    const decided = await decidedCard(
      card,
      /\n\n✅ Approved by @eddie: “circumbinary planet” \[en\] — published revision 2$/,
    );
    expect(decided.text.startsWith('Draft 1 of “circumbinary planet” [en] by @alice')).toBe(true);
    expect(decided.reply_markup).toBeUndefined();

    // /explain, for everyone, answers with the community's entry.
    tg.say(GROUP, bob, '/explain circumbinary planet');
    expect((await after(before, /Tatooine in Star Wars/)).text).toContain(circumbinary.short);

    news.unshift({ title: 'A second circumbinary planet for TESS', guid: 'n2', link: 'https://news.example/n2' });
    const post = await after(before, /^A second circumbinary planet for TESS/);
    expect(post.text).toContain(`circumbinary planet — ${circumbinary.short}`);

    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term retire circumbinary planet');
    await after(before, /^Sorry: only the glossary's editors may retire entries/);
    tg.say(GROUP, eddie, '/term retire circumbinary planet');
    await after(before, /^Retired “circumbinary planet” \(published revision 3\)/);
    tg.say(GROUP, eddie, '/term revert circumbinary planet 1');
    await after(before, /^Reverted “circumbinary planet” to revision 1 \(now published revision 4\)/);
    tg.say(GROUP, alice, '/term show circumbinary planet');
    const shown = await after(before, /From the community glossary\.$/);
    expect(shown.text).toContain(circumbinary.short);
  });

  it('guides /term add one field at a time through forced replies, each answer checked as it is given', async () => {
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term add glimmer vortex');
    let q = await after(before, /^Adding “glimmer vortex” to the glossary — step 1 of 6/);
    expect(q.reply_markup).toMatchObject({ force_reply: true, selective: true });
    const answers = [
      'A swirl of faint light that this test makes up.',
      'Nothing in nature is called this. The test uses it so that no entry has the same name.',
      'astronomy',
      '5', // wrong: asked again with the reason
      '2',
      'Example https://example.org/glimmer-vortex',
      'none',
    ];
    for (const [i, text] of answers.entries()) {
      before = tg.messages(GROUP).length;
      tg.say(GROUP, alice, text, { replyTo: q.message_id });
      if (i === answers.length - 1) break;
      q = await after(before, /glimmer vortex” to the glossary — step \d of 6/);
      if (text === '5') expect(q.text.split('\n')[0]).toBe('⚠ level: write 1 (common), 2 (informed) or 3 (specialist)');
    }
    await after(before, /^Saved as a draft; an editor will review it/);
    const draft = (await bots.store.glossaryDrafts()).find((d) => d.entryId === 'glimmer-vortex');
    expect(draft?.entry).toMatchObject({ level: 2, fields: ['astronomy'] });
    expect(draft?.author).toMatchObject({ platform: 'telegram', id: String(alice.id) });
  });

  it('/term draft: the model’s draft is saved for review, marked as an AI draft, and nothing is published', async () => {
    const published = await bots.store.glossaryRevisionNumber();
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term draft murmur lattice');
    const saved = await after(before, /^Saved as a draft, not published/);
    expect(saved.text).toContain('AI draft by fake-model-9');
    expect(saved.text).toContain(DRAFT.short);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published);
    const draft = (await bots.store.glossaryDrafts()).find((d) => d.entryId === 'murmur-lattice');
    expect(draft).toMatchObject({ status: 'draft', note: 'AI draft by fake-model-9' });

    // The editor's review card says it is the model's, which model, and what to check first.
    before = tg.messages(GROUP).length;
    tg.say(GROUP, eddie, '/term review');
    const card = await after(before, /^Draft \d+ of “murmur lattice” \[en\] by @alice — AI draft by fake-model-9/);
    expect(card.text).toMatch(
      /Written by a language model: an editor checks every word\. Check first:\n• dates: 2026[\s\S]*• sources \(unverified\): https:\/\/example\.org\/murmur-lattice/,
    );
    expect(card.reply_markup!.inline_keyboard![0]!.map((b) => b.text)).toEqual(['Approve', 'Edit', 'Reject']);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published);

    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term draft broken vortex');
    const failed = await after(before, /^No draft of “broken vortex”: /);
    expect(failed.text).toMatch(/does not fit a glossary entry|not JSON/i);
    expect((await bots.store.glossaryDrafts()).some((d) => d.entry?.term === 'broken vortex')).toBe(false);

    // A model that answers 500 past the retries (maxRetries: 1) is reported with the reason.
    const asked = ai.requests.length;
    ai.faults.push('500', '500');
    before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term draft quiet lattice');
    const down = await after(before, /^No draft of “quiet lattice”: /);
    expect(down.text).toMatch(/the model did not answer: 500/);
    expect(ai.requests.length - asked).toBe(2);
    expect((await bots.store.glossaryDrafts()).some((d) => d.entry?.term === 'quiet lattice')).toBe(false);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published);
  });

  it('/term draft never shows the key: an endpoint that refuses it and echoes it back is reported without it', async () => {
    ai.key = 'sk-tg-ROTATED-000000000';
    const before = tg.messages(GROUP).length;
    tg.say(GROUP, alice, '/term draft quiet lattice');
    const refused = await after(before, /^No draft of “quiet lattice”: /);
    expect(refused.text).toMatch(/401 Incorrect API key provided: \[redacted\]/);
    expect(JSON.stringify(tg.messages(GROUP))).not.toContain(KEY);
    expect(ai.requests.at(-1)!.authorization).toBe(`Bearer ${KEY}`); // it was sent, as the credential only
  });
  it('only editors and served channels’ moderators use /term: editors by id or by the editors’ chat need not moderate a destination; nobody else changes anything', async () => {
    const refusal =
      /^Sorry: only the glossary's editors and the moderators of a channel this network serves can use \/term/;
    const published = await bots.store.glossaryRevisionNumber();
    // glimmer vortex and murmur lattice wait, from the tests above.
    expect((await bots.store.glossaryDrafts()).map((d) => d.entryId)).toEqual(
      expect.arrayContaining(['glimmer-vortex', 'murmur-lattice']),
    );

    // A plain member of the group: no review, no proposal.
    let before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/term review');
    await after(before, refusal);
    before = tg.messages(GROUP).length;
    tg.say(GROUP, bob, '/term add quiver nebula\nshort: A made-up cloud.');
    await after(before, refusal);

    // Erin is listed as an editor by id, without being the group's administrator.
    before = tg.messages(GROUP).length;
    tg.say(GROUP, erin, '/term review');
    const card = await after(before, /^Draft \d+ of “glimmer vortex” \[en\]/);
    const approve = card.reply_markup!.inline_keyboard![0]![0]!.callback_data!;
    const pressed = tg.press(GROUP, bob, card.message_id, approve);
    const answered = await tg.waitFor(() => tg.state.callbackQueries.get(pressed)?.answer);
    expect(answered).toMatchObject({ show_alert: true, text: expect.stringMatching(refusal) });
    expect(await bots.store.glossaryRevisionNumber()).toBe(published);
    tg.press(GROUP, erin, card.message_id, approve);
    await decidedCard(card, /\n\n✅ Approved by @erin: “glimmer vortex” \[en\] — published revision \d+$/);
    expect(await bots.store.glossaryRevisionNumber()).toBe(published + 1);

    // Ivy administers the editors' chat, where no news is posted: an editor there, nobody in the group.
    before = tg.messages(GROUP).length;
    tg.say(GROUP, ivy, '/term review');
    await after(before, refusal);
    before = tg.messages(EDITORS).length;
    tg.say(EDITORS, bob, '/term review');
    await after(before, refusal, EDITORS);
    before = tg.messages(EDITORS).length;
    tg.say(EDITORS, ivy, '/term review');
    const other = await after(before, /^Draft \d+ of “murmur lattice” \[en\]/, EDITORS);
    tg.press(EDITORS, ivy, other.message_id, other.reply_markup!.inline_keyboard![0]![2]!.callback_data!);
    await decidedCard(other, /\n\n❌ Rejected by @ivy: “murmur lattice” \[en\]$/, EDITORS);
    const waiting = (await bots.store.glossaryDrafts()).map((d) => d.entryId);
    expect(waiting).not.toContain('glimmer-vortex');
    expect(waiting).not.toContain('murmur-lattice');
  });
});
