import { expect, it } from 'vitest';
import type { GlossaryEntry } from '../../shared/glossary/schema';
import { fetchedAt, type StoreHarness } from './harness';
import type { NewGlossaryChange } from './glossary-types';

const T0 = 1_700_000_000_000;
const alice = { platform: 'telegram', id: '11', name: 'Alice' };
const eddie = { platform: 'discord', id: '22', name: 'Eddie' };

const entry = (id: string, short: string): GlossaryEntry => ({
  id,
  term: id.replace(/-/g, ' '),
  aliases: [],
  avoid: [],
  fields: ['astronomy'],
  level: 2,
  short,
  long: `${short} More about it.`,
  related: [],
  sources: [{ title: 'Example', url: `https://example.org/${id}` }],
});
const edit = (id: string, short: string, note = ''): NewGlossaryChange => ({
  lang: 'en',
  entryId: id,
  action: 'edit',
  entry: entry(id, short),
  author: alice,
  note,
});

/** The community glossary's rows: drafts, decisions, the published revision, history, the key. */
export function defineGlossaryStateContract(harness: () => StoreHarness): void {
  it('keeps drafts apart from what is published until an editor approves one', async () => {
    const { store } = harness();
    expect(await store.glossaryRevisionNumber()).toBe(1);
    const draft = await store.saveGlossaryDraft(edit('hot-jupiter', 'A giant planet close to its star.', 'new'), T0);
    expect(draft).toMatchObject({ seq: 1, status: 'draft', author: alice, note: 'new', publishedRev: null });
    expect(await store.getGlossaryRevision(draft.id)).toEqual(draft);
    expect((await store.glossaryDrafts()).map((d) => d.id)).toEqual([draft.id]);
    expect(await store.publishedGlossaryRevisions()).toEqual([]);
    expect(await store.glossaryRevisionNumber()).toBe(1);

    const approved = await store.approveGlossaryDraft(draft.id, eddie, T0 + 5);
    expect(approved).toMatchObject({ status: 'approved', publishedRev: 2, decidedBy: eddie, decidedAt: T0 + 5 });
    expect(await store.glossaryRevisionNumber()).toBe(2);
    expect(await store.glossaryDrafts()).toEqual([]);
    expect(await store.approveGlossaryDraft(draft.id, eddie, T0 + 6)).toBeNull(); // decided once
    expect(await store.rejectGlossaryDraft(draft.id, eddie, T0 + 6)).toBe(false);
    expect(await store.glossaryRevisionNumber()).toBe(2);
    const published = await store.publishedGlossaryRevisions();
    expect(published).toHaveLength(1);
    expect(published[0]!.entry?.short).toBe('A giant planet close to its star.');
  });

  it('an edit of a live entry is a new draft; the old text stays published; a newer draft supersedes a waiting one', async () => {
    const { store } = harness();
    const first = await store.saveGlossaryDraft(edit('hot-jupiter', 'Version one.'), T0);
    await store.approveGlossaryDraft(first.id, eddie, T0 + 1);
    const second = await store.saveGlossaryDraft(edit('hot-jupiter', 'Version two.'), T0 + 2);
    const third = await store.saveGlossaryDraft(edit('hot-jupiter', 'Version three.'), T0 + 3);
    expect([second.seq, third.seq]).toEqual([2, 3]);
    expect((await store.getGlossaryRevision(second.id))?.status).toBe('superseded');
    expect((await store.publishedGlossaryRevisions()).map((r) => r.entry?.short)).toEqual(['Version one.']);
    expect(await store.rejectGlossaryDraft(third.id, eddie, T0 + 4)).toBe(true);
    expect(await store.getGlossaryRevision(third.id)).toMatchObject({ status: 'rejected', decidedBy: eddie });
    expect((await store.glossaryHistory('en', 'hot-jupiter')).map((r) => `${r.seq}:${r.status}`)).toEqual([
      '1:approved',
      '2:superseded',
      '3:rejected',
    ]);
    expect(await store.glossaryHistory('en', 'no-such-entry')).toEqual([]);
    expect(await store.getGlossaryRevision('no-such-id')).toBeUndefined();
  });

  it('publishes a retire or revert at once, each as the next revision, and survives a reopen', async () => {
    const h = harness();
    const a = await h.store.saveGlossaryDraft(edit('hot-jupiter', 'Version one.'), T0);
    await h.store.approveGlossaryDraft(a.id, eddie, T0 + 1);
    const retired = await h.store.publishGlossaryChange(
      { lang: 'en', entryId: 'hot-jupiter', action: 'retire', entry: null, author: eddie, note: 'obsolete' },
      T0 + 2,
    );
    expect(retired).toMatchObject({ seq: 2, status: 'approved', publishedRev: 3, entry: null, decidedBy: eddie });
    const again = await h.reopen();
    expect(await again.glossaryRevisionNumber()).toBe(3);
    expect((await again.publishedGlossaryRevisions()).map((r) => `${r.publishedRev}:${r.action}`)).toEqual([
      '2:edit',
      '3:retire',
    ]);
    expect((await again.publishedGlossaryRevisions(2)).map((r) => r.publishedRev)).toEqual([3]);
  });

  it('concurrent approvals each get their own revision number', async () => {
    const { store } = harness();
    const drafts = [];
    for (let i = 0; i < 6; i++) drafts.push(await store.saveGlossaryDraft(edit(`term-${i}`, `Short ${i}.`), T0 + i));
    const results = await Promise.all(drafts.map((d) => store.approveGlossaryDraft(d.id, eddie, T0 + 10)));
    expect(results.map((r) => r?.publishedRev).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await store.glossaryRevisionNumber()).toBe(7);
  });

  it('counts readers’ requests on the wanted list, most asked first; a dismissed term stays dismissed', async () => {
    const { store } = harness();
    await store.askGlossaryTerm('en', 'Dyson sphere', T0);
    await store.askGlossaryTerm('en', 'dyson  SPHERE', T0 + 1);
    await store.askGlossaryTerm('en', 'magnetar', T0 + 2);
    expect((await store.glossaryWanted(10)).map((w) => `${w.term}:${w.asks}`)).toEqual([
      'Dyson sphere:2',
      'magnetar:1',
    ]);
    expect(await store.dismissGlossaryWanted('en', 'Magnetar')).toBe(true);
    expect(await store.dismissGlossaryWanted('en', 'nothing')).toBe(false);
    await store.askGlossaryTerm('en', 'magnetar', T0 + 3);
    expect((await store.glossaryWanted(10)).map((w) => w.term)).toEqual(['Dyson sphere']);
  });

  it('keeps what the gap finder found in the news beside readers’ asks; a new run replaces the last one', async () => {
    const { store } = harness();
    expect(await store.glossaryGapsRunAt()).toBeNull();
    await store.askGlossaryTerm('en', 'magnetar', T0);
    await store.dismissGlossaryWanted('en', 'magnetar');
    await store.askGlossaryTerm('en', 'Dyson sphere', T0);
    const example = { text: 'A Dyson sphere would enclose a star.', link: 'https://news.example/1' };
    await store.recordGlossaryGaps(
      [
        { lang: 'en', term: 'dyson sphere', items: 4, sources: 2, examples: [example] },
        { lang: 'en', term: 'magnetar', items: 9, sources: 3, examples: [] },
        { lang: 'zh-Hans', term: '磁星', items: 2, sources: 1, examples: [] },
      ],
      T0 + 10,
    );
    expect(await store.glossaryGapsRunAt()).toBe(T0 + 10);
    const first = await store.glossaryWanted(10);
    expect(first.map((w) => `${w.term}:${w.asks}+${w.items}/${w.sources}`)).toEqual([
      'Dyson sphere:1+4/2', // the name as first written stays; the dismissed magnetar stays dismissed
      '磁星:0+2/1',
    ]);
    expect(first[0]!.examples).toEqual([example]);
    await store.recordGlossaryGaps([{ lang: 'zh-Hans', term: '磁星', items: 5, sources: 2, examples: [] }], T0 + 20);
    expect((await store.glossaryWanted(10)).map((w) => `${w.term}:${w.asks}+${w.items}/${w.sources}`)).toEqual([
      '磁星:0+5/2',
      'Dyson sphere:1+0/0',
    ]);
    expect(await store.glossaryGapsRunAt()).toBe(T0 + 20);
  });

  it('lets one person at a time claim a wanted term', async () => {
    const { store } = harness();
    await store.askGlossaryTerm('en', 'Dyson sphere', T0);
    expect(await store.claimGlossaryWanted('en', 'dyson sphere', alice, T0 + 1)).toBe(true);
    expect(await store.claimGlossaryWanted('en', 'Dyson Sphere', alice, T0 + 2)).toBe(true); // already hers
    expect(await store.claimGlossaryWanted('en', 'dyson sphere', eddie, T0 + 3)).toBe(false);
    expect(await store.claimGlossaryWanted('en', 'no such term', eddie, T0 + 3)).toBe(false);
    const [w] = await store.glossaryWanted(10);
    expect(w).toMatchObject({ claimedBy: alice, claimedAt: T0 + 2 });
  });

  it('gives the items seen since a time as text for the gap finder, newest first', async () => {
    const { store } = harness();
    const s = await store.addSource({ url: 'https://a.example/feed', title: 'A', tags: [], lang: 'en' }, T0);
    const state = fetchedAt(T0);
    const item = (key: string, summary: string) => ({
      key,
      title: `Title ${key}`,
      link: `https://example.org/${key}`,
      publishedAt: T0,
      data: { key, title: `Title ${key}`, summary, lang: 'en' },
      deliveries: [],
    });
    await store.commitFetch(s.id, state, [item('old', 'Old news.')], T0);
    await store.commitFetch(s.id, state, [item('new', 'A magnetar flared.')], T0 + 1000);
    expect(await store.recentItemTexts(T0 + 500, 10)).toEqual([
      {
        sourceId: s.id,
        title: 'Title new',
        summary: 'A magnetar flared.',
        link: 'https://example.org/new',
        lang: 'en',
      },
    ]);
    expect((await store.recentItemTexts(T0, 1)).map((i) => i.title)).toEqual(['Title new']);
  });

  it('counts the day’s AI drafts for every worker at once, and after a reopen; each day has its own', async () => {
    const h = harness();
    const taken = await Promise.all(Array.from({ length: 8 }, () => h.store.takeAiDraft('2026-12-07', 3)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await h.store.takeAiDraft('2026-12-07', 3)).toBe(false);
    expect(await h.store.takeAiDraft('2026-12-07', 4)).toBe(true); // a raised limit gives what it adds
    expect(await h.store.takeAiDraft('2026-12-08', 3)).toBe(true);
    expect(await h.store.takeAiDraft('2026-12-09', 0)).toBe(false);
    const again = await h.reopen();
    expect(await again.takeAiDraft('2026-12-07', 4)).toBe(false);
    expect(await again.takeAiDraft('2026-12-08', 3)).toBe(true);
    expect(await again.glossaryRevisionNumber()).toBe(1); // the counts live beside the revision, not in it
  });

  it('keeps the first signing key stored', async () => {
    const { store } = harness();
    expect(await store.glossarySigningKey('key-one')).toBe('key-one');
    expect(await store.glossarySigningKey('key-two')).toBe('key-one');
  });
}
