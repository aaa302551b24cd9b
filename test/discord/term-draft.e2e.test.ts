import { appendFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startScipop, type Child } from '../engine/child';
import { MODERATOR_PERMISSIONS, type FakeMember } from '../fakes/discord/fake-discord';
import type { FakeInteraction } from '../fakes/discord/state';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/server';
import { discordEnv, startDiscordWorld, writeDiscordConfig, type DiscordWorld } from './harness';

// A child process starts slowly on a loaded 2-core machine, and each draft is linted against a whole language.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

/**
 * `/scipop term draft` through `scipop run` as operators run it (a child process, so its logs can
 * be read), the production discord.js client against the fake Discord, and the fake
 * OpenAI-compatible server as the language model.
 */
let world: DiscordWorld;
let ai: FakeOpenAI;
let child: Child;
let port: string;
let mod: FakeMember;
let editor: FakeMember;
const KEY = 'sk-e2e-SECRET-4242424242';
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
  world = await startDiscordWorld();
  mod = world.discord.member(world.discord.addUser('marie'), MODERATOR_PERMISSIONS);
  editor = world.discord.member(world.discord.addUser('eddie'), MODERATOR_PERMISSIONS);
  ai = await startFakeOpenAI({ key: KEY, brain: () => DRAFT });
  const config = writeDiscordConfig(world, [{ id: 'news', target: world.news.id, title: 'News' }]);
  appendFileSync(config, `glossary:\n  editors: ["discord:${editor.user.id}"]\n  refreshSeconds: 1\n`);
  appendFileSync(config, `ai:\n  baseUrl: ${ai.baseUrl}\n  model: fake-model-d\n  maxRetries: 2\n`);
  child = startScipop(
    ['run', '--config', config],
    {
      ...discordEnv(world),
      SCIPOP_LOG_LEVEL: 'debug',
      SCIPOP_HTTP_PORT: '0',
      SCIPOP_AI_API_KEY: KEY,
    },
    world.dir,
  );
  port = await world.discord.waitFor(
    () => /"port":(\d+),"msg":"serving \/healthz/.exec(child.stderr())?.[1],
    90_000,
    'the ops server',
  );
  await world.discord.waitFor(
    () => (world.discord.state.commands.get(world.guild)?.length ?? 0) >= 3, // explain, scipop and the standalone term
    90_000,
    'the commands to be registered',
  );
});
afterAll(async () => {
  if (child && child.proc.exitCode === null) {
    child.proc.kill('SIGTERM');
    await child.exited;
  }
  await ai?.close();
  await world?.discord.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
});

const text = (i: FakeInteraction) => String(i.original?.content ?? i.callbacks[0]?.data?.content ?? '');
const answer = (i: FakeInteraction, want: RegExp) =>
  world.discord.waitFor(() => want.test(text(i)) && text(i), 90_000, `a reply matching ${want}; got "${text(i)}"`);
const term = (who: FakeMember, input: string) =>
  world.discord.slash(who, { channelId: world.news.id, name: 'scipop', subcommand: 'term', options: { input } });
/** Every text the bot showed in the chat: replies, follow-ups, edits, posts. */
const chat = () => JSON.stringify([...world.discord.state.messages.values()]);
const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
const publishedRevision = async () =>
  (JSON.parse(await get('/glossary/v1/index.json')) as { revision: number }).revision;

describe('/scipop term draft on Discord (scipop run, the fake OpenAI-compatible server)', () => {
  it('saves the model’s draft for review; the review card says AI draft, the model and what to check first; nothing is published', async () => {
    const published = await publishedRevision();
    const saved = await answer(await term(mod, 'draft murmur lattice'), /^Saved as a draft, not published/);
    expect(saved).toContain('AI draft by fake-model-d');
    expect(saved).toContain(DRAFT.short);
    expect(ai.requests.at(-1)!.authorization).toBe(`Bearer ${KEY}`);

    const review = await term(editor, 'review');
    const card = await answer(review, /^Draft \d+ of “murmur lattice” \[en\]/);
    expect(card).toContain('— AI draft by fake-model-d');
    expect(card).toMatch(
      /Written by a language model: an editor checks every word\. Check first:\n• dates: 2026[\s\S]*• sources \(unverified\): https:\/\/example\.org\/murmur-lattice/,
    );
    const buttons = (review.original!.components[0] as { components: { label: string }[] }).components;
    expect(buttons.map((b) => b.label)).toEqual(['Approve', 'Edit', 'Reject']);

    expect(await publishedRevision()).toBe(published);
    expect(await get('/glossary/v1/index.json')).not.toContain('murmur');
  });

  it('reports a model that fails in the chat with the reason: 500s until the retries are spent, an answer malformed twice', async () => {
    const before = ai.requests.length;
    ai.faults.push('500', '500', '500');
    const down = await answer(await term(mod, 'draft quiet lattice'), /^No draft of “quiet lattice”: /);
    expect(down).toMatch(/the model did not answer: 500/);
    expect(ai.requests.length - before).toBe(3); // the first try and maxRetries (2) retries

    ai.faults.push('malformed', 'malformed');
    const garbled = await answer(await term(mod, 'draft quiet lattice'), /^No draft of “quiet lattice”: /);
    expect(garbled).toMatch(/the answer does not fit a glossary entry: not valid JSON/);

    const review = await term(editor, 'review');
    await answer(review, /^Draft \d+ of “murmur lattice”/);
    expect(chat()).not.toMatch(/Draft \d+ of “quiet lattice”/);
  });

  it('never shows the key: a refused key is reported without it in the chat or the logs; /metrics counts it all', async () => {
    ai.key = 'sk-rotated-OTHER-1111111111'; // the endpoint now wants another key, and echoes the one it got
    const refused = await answer(await term(mod, 'draft quiet lattice'), /^No draft of “quiet lattice”: /);
    expect(refused).toMatch(/401/);
    expect(refused).not.toContain(KEY);
    expect(chat()).not.toContain(KEY);
    expect(child.stdout() + child.stderr()).not.toContain(KEY);

    const metrics = await get('/metrics');
    expect(metrics).toMatch(/^scipop_ai_drafts_total\{outcome="ok"\} 1$/m);
    expect(metrics).toMatch(/^scipop_ai_drafts_total\{outcome="failed"\} 3$/m);
    expect(metrics).toMatch(/^scipop_ai_tokens_total\{kind="prompt"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^scipop_ai_draft_seconds_count 4$/m);
    expect(metrics).not.toContain(KEY);
  });
});
