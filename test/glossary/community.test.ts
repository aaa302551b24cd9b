import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommunityGlossary, GlossaryDeniedError, type CommunityGlossary } from '../../bots/glossary/community';
import { createInlineCompiler, createThreadCompiler } from '../../bots/glossary/compiler';
import { createLiveGlossary } from '../../bots/glossary/live';
import { compileMatcher } from '../../shared/matcher';
import type { Store } from '../../bots/store/types';
import { alice, bundledPacks, eddie, circumbinary, tempStore } from './community-fixtures';

// Each draft is linted against the whole glossary of its language: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

const clock = { now: () => new Date('2026-12-07T04:00:00Z') };
const bundledMatcher = compileMatcher(bundledPacks().map((p) => p.pack));

describe('the community glossary on a real store', () => {
  let h: ReturnType<typeof tempStore>;
  let store: Store;
  let g: CommunityGlossary;
  beforeEach(() => {
    h = tempStore();
    store = h.store;
    g = createCommunityGlossary({ store, bundled: bundledPacks().map((p) => p.pack), clock });
  });
  afterEach(() => h.cleanup());

  it('a moderator proposes, a moderator may not approve, an editor does; the live glossary uses it after a refresh', async () => {
    const live = await createLiveGlossary({
      store,
      bundled: bundledPacks(),
      bundledMatcher,
      compiler: createInlineCompiler(),
    });
    const text = 'Astronomers found a circumbinary planet around a nearby star.';
    expect(live.find(text).map((m) => m.id)).not.toContain('circumbinary-planet');
    const [draft] = await g.propose(alice, 'moderator', [{ lang: 'en', entry: circumbinary }], 'seen in the news');
    expect(draft!.problems).toEqual([]);
    await expect(g.approve(alice, 'moderator', [draft!.revision.id])).rejects.toThrow(GlossaryDeniedError);
    await expect(g.propose(alice, 'reader', [{ lang: 'en', entry: circumbinary }])).rejects.toThrow(
      GlossaryDeniedError,
    );
    expect(await live.refresh()).toBe(false);
    const [decision] = await g.approve(eddie, 'editor', [draft!.revision.id]);
    expect(decision).toMatchObject({ ok: true, revision: { publishedRev: 2, decidedBy: eddie } });
    expect(await live.refresh()).toBe(true);
    expect(live.revision).toBe(2);
    expect(live.find(text).map((m) => m.text)).toContain('circumbinary planet');
    expect(live.entry('circumbinary-planet', 'en')?.short).toBe(circumbinary.short);
    expect(live.packs().some((p) => p.pack.entries.some((e) => e.id === 'circumbinary-planet'))).toBe(true);
    await live.close();
  });

  it('a draft with lint problems is saved but not approved, with the problems in plain words', async () => {
    const bad = {
      ...circumbinary,
      short: 'A circumbinary planet is a circumbinary planet.',
      sources: [{ title: 'x', url: 'nope' }],
    };
    const [draft] = await g.propose(alice, 'moderator', [{ lang: 'en', entry: bad }]);
    expect(draft!.problems).toEqual(
      expect.arrayContaining(['short explanation: uses "circumbinary planet" to explain itself']),
    );
    expect(draft!.problems.some((p) => p.startsWith('source 1 url:'))).toBe(true);
    const [decision] = await g.approve(eddie, 'editor', [draft!.revision.id]);
    expect(decision).toMatchObject({ ok: false, reason: expect.stringContaining('lint problems') });
    expect(await store.glossaryRevisionNumber()).toBe(1);
    expect((await g.review()).map((d) => d.revision.id)).toEqual([draft!.revision.id]);
  });

  it('a form another entry claims is a problem ("exoplanet" is bundled)', async () => {
    const [draft] = await g.propose(alice, 'editor', [
      { lang: 'en', entry: { ...circumbinary, aliases: ['exoplanet'] } },
    ]);
    expect(draft!.problems.join('\n')).toContain('already claimed by "exoplanet"');
  });

  it('refuses bad input and stores nothing: markup, oversized fields, unknown fields, bad language, unknown ids', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...circumbinary, short: 'A <b>giant</b> planet.' }, 'en', /markup/],
      [{ ...circumbinary, long: 'x'.repeat(5000) }, 'en', /too long/],
      [{ ...circumbinary, short: 'See [this](https://evil.example).' }, 'en', /markup/],
      [{ ...circumbinary, id: 'Not A Slug' }, 'en', /id: must be a lowercase slug/],
      [{ ...circumbinary, fields: [] }, 'en', /fields/],
      [circumbinary, 'english', /not a language tag/],
    ];
    for (const [entry, lang, message] of cases) {
      await expect(g.propose(alice, 'editor', [{ lang, entry }])).rejects.toThrow(message);
    }
    await expect(g.propose(alice, 'editor', [{ lang: 'en', entry: circumbinary }], 'x'.repeat(400))).rejects.toThrow(
      /note is too long/,
    );
    // One bad entry refuses the whole file.
    await expect(
      g.propose(alice, 'editor', [
        { lang: 'en', entry: circumbinary },
        { lang: 'en', entry: { ...circumbinary, id: 'x', short: '<script>' } },
      ]),
    ).rejects.toThrow(/entry 2: /);
    expect(await store.glossaryDrafts()).toEqual([]);
    expect(await g.approve(eddie, 'editor', ['no-such-id'])).toEqual([
      { id: 'no-such-id', ok: false, reason: 'no draft with id no-such-id', problems: [] },
    ]);
    await expect(g.revert(eddie, 'editor', 'en', 'circumbinary-planet', 3)).rejects.toThrow(/no community revisions/);
    await expect(g.retire(eddie, 'editor', 'en', 'no-such-entry')).rejects.toThrow(/no live entry/);
    expect(await store.glossaryRevisionNumber()).toBe(1);
    expect(await store.publishedGlossaryRevisions()).toEqual([]);
  });

  it('edits keep the old text live until approved; revert restores any revision; retire takes a bundled entry out', async () => {
    const live = await createLiveGlossary({
      store,
      bundled: bundledPacks(),
      bundledMatcher,
      compiler: createThreadCompiler(),
    });
    const [v1] = await g.propose(alice, 'editor', [{ lang: 'en', entry: circumbinary }]);
    await g.approve(eddie, 'editor', [v1!.revision.id]);
    const v2text = 'A planet that circles a pair of stars, so it can have two sunsets a day.';
    const [v2] = await g.propose(alice, 'moderator', [{ lang: 'en', entry: { ...circumbinary, short: v2text } }]);
    await live.refresh();
    expect(live.entry('circumbinary-planet', 'en')?.short).toBe(circumbinary.short); // the draft is not live
    await g.approve(eddie, 'editor', [v2!.revision.id]);
    await live.refresh();
    expect(live.entry('circumbinary-planet', 'en')?.short).toBe(v2text);

    await expect(g.revert(alice, 'moderator', 'en', 'circumbinary-planet', 1)).rejects.toThrow(GlossaryDeniedError);
    await expect(g.revert(eddie, 'editor', 'en', 'circumbinary-planet', 9)).rejects.toThrow(
      /no revision 9 \(it has 1 to 2\)/,
    );
    const reverted = await g.revert(eddie, 'editor', 'en', 'circumbinary-planet', 1);
    expect(reverted).toMatchObject({ seq: 3, status: 'approved', note: 'revert to revision 1' });
    await live.refresh();
    expect(live.entry('circumbinary-planet', 'en')?.short).toBe(circumbinary.short);
    expect((await g.history('en', 'circumbinary-planet')).map((r) => `${r.seq} ${r.status} ${r.author.name}`)).toEqual([
      '1 approved Alice',
      '2 approved Alice',
      '3 approved Eddie',
    ]);

    const exo = 'The telescope studied an exoplanet.';
    expect(live.find(exo).map((m) => m.id)).toContain('exoplanet');
    await expect(g.retire(alice, 'moderator', 'en', 'exoplanet')).rejects.toThrow(GlossaryDeniedError);
    await g.retire(eddie, 'editor', 'en', 'exoplanet', 'too broad');
    await live.refresh();
    expect(live.find(exo).map((m) => m.id)).not.toContain('exoplanet');
    expect(live.entry('exoplanet', 'en')).toBeUndefined();
    await live.close();
  });
});
