import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AiConfigSchema, resolveAiSettings } from '../../bots/ai/config';
import { createGlossaryDrafter } from '../../bots/ai/glossary-drafter';
import { createCommunityGlossary } from '../../bots/glossary/community';
import { runTermCommand, type TermCommandDeps } from '../../bots/glossary/term-commands';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/server';
import { bundledPacks, tempStore } from './community-fixtures';

// Each draft is linted against the whole glossary of its language: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

const mod = { platform: 'telegram', id: '11', name: 'Alice', role: 'moderator' as const };
const editor = { platform: 'discord', id: '22', name: 'Eddie', role: 'editor' as const };
const reader = { platform: 'telegram', id: '33', name: 'Rita', role: 'reader' as const };

const GOOD = {
  id: 'glimmer-vortex',
  term: 'glimmer vortex',
  aliases: [],
  related: [],
  short: 'A swirl of faint light that a test model invents for this check.',
  long: 'Nothing in nature is called this. The test uses it so that no entry has the same name. It was named in 2026.',
  level: 2,
  fields: ['astronomy'],
  sources: [{ title: 'Example page', url: 'https://example.org/glimmer-vortex' }],
};

describe('/term draft: a language model writes, a person approves', () => {
  let h: ReturnType<typeof tempStore>;
  let fake: FakeOpenAI;
  let deps: TermCommandDeps;
  let published = 0;
  let notes: string[] = [];
  beforeEach(async () => {
    h = tempStore();
    published = 0;
    notes = [];
    fake = await startFakeOpenAI({
      brain: ({ fixes }) => {
        notes.push(fixes.join(';'));
        return GOOD;
      },
    });
    const packs = bundledPacks();
    const settings = resolveAiSettings(AiConfigSchema.parse({ baseUrl: fake.baseUrl, model: 'fake-model-7' }), {})!;
    deps = {
      glossary: createCommunityGlossary({
        store: h.store,
        bundled: packs.map((p) => p.pack),
        clock: { now: () => new Date('2026-12-07T04:00:00Z') },
      }),
      published: () => published++,
      drafter: createGlossaryDrafter(settings, { packs: () => packs, clock: { now: () => new Date() } }),
    };
  });
  afterEach(async () => {
    await fake.close();
    h.cleanup();
  });

  it('stores the model’s draft for review, marked as an AI draft with what to check first, and publishes nothing', async () => {
    expect((await runTermCommand(deps, reader, 'draft glimmer vortex'))[0]!.text).toMatch(
      /only moderators and editors/,
    );
    expect(fake.requests).toHaveLength(0);
    const [saved] = await runTermCommand(deps, mod, 'draft glimmer vortex');
    expect(saved!.text).toMatch(/^Saved as a draft, not published/);
    expect(saved!.text).toContain('by Alice — AI draft by fake-model-7');
    expect(saved!.text).toContain('A swirl of faint light');
    expect(saved!.text).toMatch(/Written by a language model[\s\S]*dates: 2026[\s\S]*sources \(unverified\)/);
    expect(published).toBe(0);
    expect(await h.store.glossaryRevisionNumber()).toBe(1);
    expect(await deps.glossary.findLive('glimmer vortex')).toBeUndefined();

    const [card] = await runTermCommand(deps, editor, 'review');
    expect(card!.text).toContain('AI draft by fake-model-7');
    expect(card!.text).toContain('Written by a language model');
    expect(card!.buttons!.map((b) => b.label)).toEqual(['Approve', 'Edit', 'Reject']);
  });

  it('passes an editor’s note to a redraft, with the draft it changes as data, and says so on the card', async () => {
    await runTermCommand(deps, mod, 'draft glimmer vortex');
    const [saved] = await runTermCommand(deps, editor, 'redraft glimmer vortex | simpler, for children');
    expect(saved!.text).toContain('AI draft by fake-model-7, asked: simpler, for children');
    const asked = fake.requests.at(-1)!.body.messages[1]!.content;
    expect(asked).toContain('The editor asks for this redraft: "simpler, for children"');
    // The model sees what it is to change: the waiting draft, fenced as data like the news.
    expect(asked).toMatch(
      /The entry as it stands, to change as the editor asks \(data\):\n(<<<SCIPOP-[0-9a-f]{12}-)BEGIN\n\{"term":"glimmer vortex".*"short":"A swirl of faint light[^\n]*\n\1END/,
    );
    // The first draft asked for none.
    expect(fake.requests[0]!.body.messages[1]!.content).not.toContain('The entry as it stands');
    // The redraft takes the place of the draft it changes in the review queue.
    const drafts = (await runTermCommand(deps, editor, 'review')).map((c) => c.text.split('\n')[0]);
    expect(drafts).toEqual([
      'Draft 2 of “glimmer vortex” [en] by Eddie — AI draft by fake-model-7, asked: simpler, for children',
    ]);
  });

  it('counts the day’s drafts in the store: another worker, or this one restarted, shares the allowance', async () => {
    const settings = resolveAiSettings(
      AiConfigSchema.parse({ baseUrl: fake.baseUrl, model: 'fake-model-7', draftsPerDay: 1 }),
      {},
    )!;
    const packs = bundledPacks();
    const worker = () =>
      createGlossaryDrafter(settings, { packs: () => packs, clock: { now: () => new Date() }, counter: h.store });
    const one = { ...deps, drafter: worker() };
    const two = { ...deps, drafter: worker() };
    expect((await runTermCommand(one, mod, 'draft glimmer vortex'))[0]!.text).toMatch(/^Saved as a draft/);
    const [refused] = await runTermCommand(two, mod, 'draft glimmer vortex');
    expect(refused!.text).toBe(
      'No draft of “glimmer vortex”: today’s drafts are used up (ai.draftsPerDay); try again tomorrow',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a failed draft in the chat with its reason, storing nothing', async () => {
    fake.faults.push('malformed', 'wrong-shape');
    const [failed] = await runTermCommand(deps, mod, 'draft glimmer vortex');
    expect(failed!.text).toMatch(/^No draft of “glimmer vortex”: the answer does not fit a glossary entry/);
    expect(await runTermCommand(deps, editor, 'review')).toEqual([{ text: 'No drafts are waiting.' }]);
  });

  it('says how to set drafting up when no model is configured', async () => {
    const { drafter: _unused, ...without } = deps;
    const [reply] = await runTermCommand(without, mod, 'draft glimmer vortex');
    expect(reply!.text).toMatch(/^Drafting is not set up on this network: .*ai\.baseUrl/);
  });
});
