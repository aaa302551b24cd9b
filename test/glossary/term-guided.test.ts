import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommunityGlossary } from '../../bots/glossary/community';
import type { CommandDeps, Reply } from '../../bots/platform/commands';
import { explainer } from '../../bots/platform/types';
import { createConsoleChat, type ConsoleChat } from '../support/console-chat';
import { bundledPacks, circumbinary, tempStore } from './community-fixtures';

// `/term add TERM` guided one field at a time, through the console chat (the third adapter): each
// answer is checked as it is given, the state travels in the questions, and the last answer stores
// the draft exactly as the one-message form would.

let h: ReturnType<typeof tempStore>;
let chat: ConsoleChat;
let errors: string[];

beforeEach(() => {
  h = tempStore();
  errors = [];
  const deps: CommandDeps = {
    store: h.store,
    fetcher: { fetch: () => Promise.reject(new Error('no feed fetches in this test')) },
    parse: () => Promise.reject(new Error('no feed parsing in this test')),
    explain: explainer({}),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: (o: object) => void errors.push(JSON.stringify(o)) },
    now: () => Date.UTC(2026, 11, 7),
    term: {
      glossary: createCommunityGlossary({
        store: h.store,
        bundled: bundledPacks().map((p) => p.pack),
        clock: { now: () => new Date(Date.UTC(2026, 11, 7)) },
      }),
      editors: { editors: [], editorsChats: {} },
    },
  };
  chat = createConsoleChat(deps, { moderators: ['ada'] });
});
afterEach(() => h.cleanup());

/** The one reply, which must be a question. */
const question = (replies: Reply[]): Reply => {
  expect(replies).toHaveLength(1);
  expect(replies[0]!.ask, replies[0]!.text).toBe(true);
  return replies[0]!;
};

describe('/term add, guided', () => {
  it('asks for each field in turn, asks again with the reason when an answer is wrong, then stores the draft', async () => {
    let q = question(await chat.say('ada', '/term add circumbinary planet'));
    expect(q.text).toBe(
      [
        'Adding “circumbinary planet” to the glossary — step 1 of 6',
        '',
        'Reply to this message with the short: one or two plain sentences that say what it is. Reply "cancel" to stop.',
      ].join('\n'),
    );
    q = question(await chat.answer('ada', q, 'A planet. '.repeat(20)));
    expect(q.text.split('\n')[0]).toBe('⚠ short: too long (199 > 160); say it in fewer words');
    q = question(await chat.answer('ada', q, circumbinary.short));
    expect(q.text).toContain(`step 2 of 6\nshort: ${circumbinary.short}\n`);
    q = question(await chat.answer('ada', q, `${circumbinary.long}\n`));
    q = question(await chat.answer('ada', q, 'stargazing'));
    expect(q.text.split('\n')[0]).toMatch(/^⚠ field: "stargazing" is not one of [a-z-]+, .*\bastronomy\b/);
    q = question(await chat.answer('ada', q, 'astronomy'));
    q = question(await chat.answer('ada', q, '4'));
    expect(q.text.split('\n')[0]).toBe('⚠ level: write 1 (common), 2 (informed) or 3 (specialist)');
    q = question(await chat.answer('ada', q, '2'));
    q = question(await chat.answer('ada', q, 'NASA <b>https://science.nasa.gov/exoplanets/</b>'));
    expect(q.text.split('\n')[0]).toBe('⚠ source: plain text only, no markup');
    q = question(await chat.answer('ada', q, 'NASA https://science.nasa.gov/exoplanets/'));
    expect(q.text).toContain('step 6 of 6');
    expect(await h.store.glossaryDrafts()).toEqual([]); // nothing stored until the last answer

    const done = await chat.answer('ada', q, 'none');
    expect(done[0]!.text).toMatch(/^Saved as a draft; an editor will review it/);
    const [draft] = await h.store.glossaryDrafts();
    expect(draft!.entry).toMatchObject({
      id: 'circumbinary-planet',
      term: 'circumbinary planet',
      short: circumbinary.short,
      long: circumbinary.long,
      fields: ['astronomy'],
      level: 2,
      aliases: [],
      sources: [{ title: 'NASA', url: 'https://science.nasa.gov/exoplanets/' }],
    });
    expect(draft!.author).toMatchObject({ platform: 'console', id: 'ada' });
    expect(errors).toEqual([]);
  });

  it('stops on "cancel" with nothing stored; a non-moderator’s answers are refused', async () => {
    const q = question(await chat.say('ada', '/term add circumbinary planet'));
    expect((await chat.answer('bob', q, circumbinary.short))[0]!.text).toMatch(
      /^Sorry: only the glossary's editors and the moderators of a channel this network serves can use \/term/,
    );
    expect((await chat.answer('ada', q, 'Cancel'))[0]!.text).toBe(
      'Stopped adding “circumbinary planet”; nothing was stored.',
    );
    expect(await h.store.glossaryDrafts()).toEqual([]);
  });

  it('still takes the whole entry in one message, and says when the term already has an entry', async () => {
    const one = await chat.say(
      'ada',
      `/term add circumbinary planet short: ${circumbinary.short} long: ${circumbinary.long} field: astronomy level: 2 source: NASA https://science.nasa.gov/exoplanets/`,
    );
    expect(one[0]!.ask).toBeUndefined();
    expect(one[0]!.text).toMatch(/^Saved as a draft/);
    expect((await chat.say('ada', '/term add exoplanet'))[0]!.text).toMatch(
      /^“exoplanet” already has an entry \(exoplanet\)/,
    );
  });
});
