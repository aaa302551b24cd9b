import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommunityGlossary } from '../../bots/glossary/community';
import { createInlineCompiler } from '../../bots/glossary/compiler';
import { createLiveGlossary } from '../../bots/glossary/live';
import { runTermButton, runTermCommand, type TermCommandDeps } from '../../bots/glossary/term-commands';
import { compileMatcher } from '../../shared/matcher';
import { bundledPacks, tempStore } from './community-fixtures';

// Each draft is linted against the whole glossary of its language: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

const mod = { platform: 'telegram', id: '11', name: 'Alice', role: 'moderator' as const };
const editor = { platform: 'discord', id: '22', name: 'Eddie', role: 'editor' as const };
const reader = { platform: 'telegram', id: '33', name: 'Rita', role: 'reader' as const };

const addMessage = [
  'add circumbinary planet',
  'short: A planet that orbits two stars at once, like Tatooine in Star Wars.',
  'long: Such planets show that worlds can form in the disk of gas and dust around a pair of stars.',
  'field: astronomy',
  'level: 2',
  'source: NASA https://science.nasa.gov/exoplanets/',
  'note: in this week’s news',
].join('\n');

describe('/term, platform-neutral, on a real store', () => {
  let h: ReturnType<typeof tempStore>;
  let deps: TermCommandDeps;
  let published = 0;
  beforeEach(() => {
    h = tempStore();
    published = 0;
    deps = {
      glossary: createCommunityGlossary({
        store: h.store,
        bundled: bundledPacks().map((p) => p.pack),
        clock: { now: () => new Date('2026-12-07T04:00:00Z') },
      }),
      published: () => published++,
    };
  });
  afterEach(() => h.cleanup());

  it('a moderator proposes, a non-editor cannot approve, an editor approves from the review card; the matcher uses it; revert works', async () => {
    expect((await runTermCommand(deps, reader, addMessage))[0]!.text).toMatch(/^Sorry: only the glossary's editors/);
    const [saved] = await runTermCommand(deps, mod, addMessage);
    expect(saved!.text).toContain('Saved as a draft');
    expect(saved!.text).toContain('A planet that orbits two stars at once');

    const cards = await runTermCommand(deps, editor, 'review');
    expect(cards).toHaveLength(1);
    expect(cards[0]!.text).toMatch(/^Draft 1 of “circumbinary planet” \[en\] by Alice — in this week’s news/);
    expect(cards[0]!.buttons!.map((b) => b.label)).toEqual(['Approve', 'Edit', 'Reject']);
    const approve = cards[0]!.buttons![0]!.data;

    expect(await runTermButton(deps, mod, approve)).toEqual({
      text: "Sorry: only the glossary's editors may approve drafts",
      closed: false,
    });
    expect(await h.store.glossaryRevisionNumber()).toBe(1);
    const decided = await runTermButton(deps, editor, approve);
    expect(decided).toEqual({
      text: '✅ Approved by Eddie: “circumbinary planet” [en] — published revision 2',
      closed: true,
    });
    expect(published).toBe(1);
    expect((await runTermButton(deps, editor, approve)).text).toBe('Not approved: already approved');

    const live = await createLiveGlossary({
      store: h.store,
      bundled: bundledPacks(),
      bundledMatcher: compileMatcher(bundledPacks().map((p) => p.pack)),
      compiler: createInlineCompiler(),
    });
    expect(live.find('TESS found a circumbinary planet.').map((m) => m.id)).toContain('circumbinary-planet');

    const [shown] = await runTermCommand(deps, reader, 'show circumbinary planet');
    expect(shown!.text).toContain('From the community glossary.');

    await runTermCommand(deps, mod, 'edit circumbinary planet\nshort: A planet that circles a pair of stars.');
    const [draft2] = await runTermCommand(deps, editor, 'review');
    await runTermButton(deps, editor, draft2!.buttons![0]!.data);
    expect((await runTermCommand(deps, reader, 'show circumbinary planet'))[0]!.text).toContain(
      'A planet that circles a pair of stars.',
    );
    expect((await runTermCommand(deps, mod, 'revert circumbinary planet 1'))[0]!.text).toMatch(/^Sorry: only/);
    expect((await runTermCommand(deps, editor, 'revert circumbinary planet 7'))[0]!.text).toBe(
      'Sorry: "circumbinary-planet" has no revision 7 (it has 1 to 2)',
    );
    expect((await runTermCommand(deps, editor, 'revert circumbinary planet 1'))[0]!.text).toBe(
      'Reverted “circumbinary planet” to revision 1 (now published revision 4).',
    );
    expect((await runTermCommand(deps, reader, 'show circumbinary planet'))[0]!.text).toContain(
      'A planet that orbits two stars at once',
    );
    const [history] = await runTermCommand(deps, reader, 'history circumbinary planet');
    expect(history!.text.split('\n')).toEqual([
      expect.stringMatching(
        /^1\. edit · approved \(revision 2\) · Alice · .* · decided by Eddie — in this week’s news$/,
      ),
      expect.stringMatching(/^2\. edit · approved \(revision 3\) · Alice · /),
      expect.stringMatching(/^3\. edit · approved \(revision 4\) · Eddie · .* — revert to revision 1$/),
    ]);
    await live.refresh();
    expect(live.entry('circumbinary-planet', 'en')?.short).toContain('orbits two stars at once');
    await live.close();
  });

  it('bad input is a plain answer and stores nothing', async () => {
    const answers = [
      await runTermCommand(deps, mod, addMessage.replace('two stars', '<b>two</b> stars')),
      await runTermCommand(deps, mod, 'add circumbinary planet\ncolour: blue'),
      await runTermCommand(deps, mod, 'add circumbinary planet\nfield: astrology'),
      await runTermCommand(deps, mod, 'add circumbinary planet\nlevel: 9'),
      await runTermCommand(deps, mod, `${addMessage}\nlong: ${'x'.repeat(3000)}`),
      await runTermCommand(deps, mod, 'add circumbinary planet\nshort: A planet.'),
      await runTermCommand(deps, mod, 'edit no such thing here\nshort: A thing.'),
      await runTermCommand(deps, editor, 'retire no such thing here'),
    ].map((cards) => cards[0]!.text);
    expect(answers[0]).toMatch(/markup/);
    expect(answers[1]).toMatch(/"colour" is not a field/);
    expect(answers[2]).toMatch(/"astrology" is not one of/);
    expect(answers[3]).toMatch(/level: write 1/);
    expect(answers[4]).toMatch(/too long/);
    expect(answers[5]).toMatch(/^Sorry: (long|fields|level|sources): is missing$/);
    expect(answers[6]).toMatch(/No live entry/);
    expect(answers[7]).toMatch(/No live entry/);
    expect(await h.store.glossaryDrafts()).toEqual([]);
    expect(await h.store.glossaryRevisionNumber()).toBe(1);
  });

  it('a revert to a revision that does not exist, and unknown or forged button data, change nothing', async () => {
    const [saved] = await runTermCommand(deps, mod, addMessage);
    expect(saved!.text).toMatch(/^Saved as a draft/);
    const [card] = await runTermCommand(deps, editor, 'review');
    const approve = card!.buttons![0]!.data;
    await runTermButton(deps, editor, approve);
    const before = {
      revision: await h.store.glossaryRevisionNumber(),
      history: await deps.glossary.history('en', 'circumbinary-planet'),
    };
    expect(before.revision).toBe(2);
    const answers = [
      (await runTermCommand(deps, editor, 'revert circumbinary planet 7'))[0]!.text,
      (await runTermCommand(deps, editor, 'revert circumbinary planet'))[0]!.text,
      (await runTermCommand(deps, editor, 'revert no such thing 1'))[0]!.text,
      (await runTermButton(deps, editor, 'approve:nosuchdraft')).text,
      (await runTermButton(deps, editor, approve)).text, // decided already
      (await runTermButton(deps, editor, 'publish:everything')).text,
      (await runTermButton(deps, editor, 'approve:../../x')).text,
    ];
    expect(answers).toEqual([
      'Sorry: "circumbinary-planet" has no revision 7 (it has 1 to 1)',
      '/term revert TERM REV — REV is a number from /term history TERM',
      'Sorry: "no-such-thing" has no community revisions in en',
      'Not approved: no draft with id nosuchdraft',
      'Not approved: already approved',
      'Unknown button.',
      'Unknown button.',
    ]);
    expect(await h.store.glossaryRevisionNumber()).toBe(before.revision);
    expect(await deps.glossary.history('en', 'circumbinary-planet')).toEqual(before.history);
    expect(await h.store.glossaryDrafts()).toEqual([]);
  });
});
