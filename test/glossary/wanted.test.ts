import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AiConfigSchema, resolveAiSettings } from '../../bots/ai/config';
import { createGlossaryDrafter } from '../../bots/ai/glossary-drafter';
import { autoDraftWanted } from '../../bots/glossary/auto-draft';
import { startFakeOpenAI } from '../fakes/openai/server';
import { createCommunityGlossary } from '../../bots/glossary/community';
import { compileGlossaryMatcher } from '../../bots/glossary/segmentation';
import { runTermCommand } from '../../bots/glossary/term-commands';
import { createWantedJob, findWanted, findWantedInThread } from '../../bots/glossary/wanted';
import { fetchedAt } from '../../bots/store/harness';
import type { Matcher } from '../../shared/matcher';
import { bundledPacks, tempStore } from './community-fixtures';

// Each draft is checked against the whole glossary of its language: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const T0 = Date.UTC(2026, 11, 7, 6);
const HOUR = 3_600_000;

// A week of news as the store keeps it: two sources writing about a (made-up) mission and a
// detector the glossary has no entry for, beside terms it explains (exoplanet, black hole).
const news = [
  [
    'a',
    'Hyperion Skylark launches',
    'The Hyperion Skylark mission will map dust around an exoplanet. Engineers tested it for years.',
  ],
  ['a', 'First light for Hyperion Skylark', 'Hyperion Skylark sent its first images of a black hole jet.'],
  ['b', 'A new eye on the sky', 'Scientists say Hyperion Skylark could find a thousand new worlds.'],
  ['b', 'Quiet week', 'The council met to discuss parking fees and a new library.'],
  [
    'b',
    '天关卫星首批数据发布',
    '天关卫星公布了首批X射线暂现源的观测数据。研究人员表示，天关卫星的数据将帮助检验黑洞理论。',
  ],
  ['a', '天关卫星再发新成果', '天关卫星的第二批数据显示，这类暂现源比预想的更常见。'],
] as const;

let matcher: Matcher;
let h: ReturnType<typeof tempStore>;
beforeEach(async () => {
  matcher ??= compileGlossaryMatcher(bundledPacks());
  h = tempStore();
  const sources = {
    a: await h.store.addSource({ url: 'https://a.example/feed', title: 'A', tags: [], lang: 'en' }, T0),
    b: await h.store.addSource({ url: 'https://b.example/feed', title: 'B', tags: [], lang: 'en' }, T0),
  };
  const state = fetchedAt(T0);
  for (const [i, [source, title, summary]] of news.entries()) {
    const key = `item-${i}`;
    const lang = /\p{Script=Han}/u.test(title) ? 'zh-cn' : 'en';
    await h.store.commitFetch(
      sources[source].id,
      state,
      [
        {
          key,
          title,
          link: `https://${source}.example/${key}`,
          publishedAt: T0,
          data: { key, title, summary, lang },
          deliveries: [],
        },
      ],
      T0 + i,
    );
  }
});
afterEach(() => h.cleanup());

describe('the wanted list from the network’s own news', () => {
  it('finds the terms the news uses and the glossary lacks, with item and source counts and an example', async () => {
    const found = findWanted(await h.store.recentItemTexts(T0 - 7 * 24 * HOUR, 1000), matcher, 20);
    const skylark = found.find((f) => f.term === 'Hyperion Skylark');
    expect(skylark).toEqual({
      lang: 'en',
      term: 'Hyperion Skylark',
      items: 3,
      sources: 2,
      examples: [
        // Newest item first; each example is the sentence that uses the term, with the item's link.
        { text: 'Scientists say Hyperion Skylark could find a thousand new worlds.', link: 'https://b.example/item-2' },
        { text: 'First light for Hyperion Skylark.', link: 'https://a.example/item-1' },
      ],
    });
    const zh = found.find((f) => f.term === '天关卫星'); // Einstein Probe, not in the bundled glossary
    expect(zh).toMatchObject({ lang: 'zh-Hans', items: 2, sources: 2 });
    expect(zh!.examples[0]!.text).toBe('天关卫星再发新成果。'); // the newest item's first sentence with it
    // Terms the glossary explains are not wanted, nor ordinary words.
    const terms = found.map((f) => f.term.toLowerCase());
    expect(terms).not.toContain('exoplanet');
    expect(terms).not.toContain('black hole');
    expect(terms.some((t) => /parking|library|council/.test(t))).toBe(false);
  });

  it('finds the same in a worker thread (as scipop run does, off the posting loop)', async () => {
    const items = await h.store.recentItemTexts(T0 - 7 * 24 * HOUR, 1000);
    const packs = bundledPacks().map((p) => p.pack);
    expect(await findWantedInThread(packs, items, 20)).toEqual(findWanted(items, matcher, 20));
  });

  it('runs once per period (the time kept in the store), and /term wanted shows the counts; one editor claims a term', async () => {
    const logs: string[] = [];
    const log = {
      info: (_: object, m?: string) => void logs.push(m ?? ''),
      warn: (_: object, m?: string) => void logs.push(m ?? ''),
    };
    const job = () =>
      createWantedJob({
        store: h.store,
        find: (items, top) => findWanted(items, matcher, top),
        settings: { days: 7, everyHours: 24, top: 20 },
        log,
      });
    expect(await job().runIfDue(T0 + HOUR)).toBe(true);
    expect(logs).toEqual(['looked for terms the news uses and the glossary lacks (/term wanted lists them)']);
    // A restarted worker (a new job) does not run it again within the day.
    expect(await job().runIfDue(T0 + 2 * HOUR)).toBe(false);
    await h.store.askGlossaryTerm('en', 'Hyperion Skylark', T0 + 2 * HOUR);

    const g = createCommunityGlossary({
      store: h.store,
      bundled: bundledPacks().map((p) => p.pack),
      clock: { now: () => new Date(T0 + 3 * HOUR) },
    });
    const mod = { platform: 'telegram', id: '1', name: 'Mo', role: 'moderator' as const };
    const eddie = { platform: 'discord', id: '22', name: 'Eddie', role: 'editor' as const };
    const reader = { platform: 'telegram', id: '3', name: 'Rea', role: 'reader' as const };
    const [list] = await runTermCommand({ glossary: g }, mod, 'wanted');
    expect(list!.text.split('\n').slice(0, 3)).toEqual([
      'Terms wanted (/term wanted claim TERM to write one; /term wanted dismiss TERM to drop one):',
      '• Hyperion Skylark [en] — in 3 items from 2 sources; asked 1 time',
      '  “Scientists say Hyperion Skylark could find a thousand new worlds.” https://b.example/item-2',
    ]);
    expect((await runTermCommand({ glossary: g }, eddie, 'wanted claim hyperion skylark'))[0]!.text).toBe(
      '“hyperion skylark” is yours to write: /term add hyperion skylark when you are ready.',
    );
    expect((await runTermCommand({ glossary: g }, mod, 'wanted claim Hyperion Skylark'))[0]!.text).toBe(
      'Eddie is already writing “Hyperion Skylark” (since 2026-12-07 09:00).',
    );
    expect((await runTermCommand({ glossary: g }, reader, 'wanted claim Hyperion Skylark'))[0]!.text).toMatch(
      /claim wanted terms/,
    );
    expect((await runTermCommand({ glossary: g }, mod, 'wanted'))[0]!.text).toContain(
      '• Hyperion Skylark [en] — in 3 items from 2 sources; asked 1 time — Eddie is writing it',
    );
    // The next day's run replaces the counts with what the last week holds.
    expect(await job().runIfDue(T0 + 25 * HOUR)).toBe(true);
    const [after] = await h.store.glossaryWanted(1);
    expect(after).toMatchObject({ term: 'Hyperion Skylark', items: 3, asks: 1, claimedBy: { name: 'Eddie' } });
  });

  it('drafts the top wanted terms with the news sentences as data (ai.autoDraft), for editors to review; nothing is published', async () => {
    const fake = await startFakeOpenAI({
      brain: ({ term }) => ({
        id: 'hyperion-skylark',
        term,
        aliases: [],
        related: [],
        short: 'A space telescope that maps the dust around planets of other stars.',
        long: 'The mission in these test items is made up. It shows how a draft is made from the news and waits for an editor.',
        level: 2,
        fields: ['astronomy'],
        sources: [{ title: 'Example page', url: 'https://example.org/hyperion-skylark' }],
      }),
    });
    try {
      const logs: string[] = [];
      const log = {
        info: (_: object, m?: string) => void logs.push(m ?? ''),
        warn: (_: object, m?: string) => void logs.push(m ?? ''),
      };
      const packs = bundledPacks();
      const settings = resolveAiSettings(
        AiConfigSchema.parse({ baseUrl: fake.baseUrl, model: 'fake-model-3', autoDraft: 1 }),
        {},
      )!;
      const drafter = createGlossaryDrafter(settings, { packs: () => packs, clock: { now: () => new Date(T0) } });
      const g = createCommunityGlossary({
        store: h.store,
        bundled: packs.map((p) => p.pack),
        clock: { now: () => new Date(T0) },
      });
      await h.store.askGlossaryTerm('en', 'Hyperion Skylark', T0);
      await createWantedJob({
        store: h.store,
        find: (items, top) => findWanted(items, matcher, top),
        settings: { days: 7, everyHours: 24, top: 20 },
        log,
        after: () => autoDraftWanted({ glossary: g, drafter, count: 1, log }),
      }).runIfDue(T0 + HOUR);

      const [draft, ...more] = await g.review();
      expect(more).toEqual([]);
      expect(draft!.revision).toMatchObject({
        status: 'draft',
        entryId: 'hyperion-skylark',
        author: { platform: 'ai', id: 'fake-model-3', name: 'AI draft (fake-model-3)' },
        note: 'AI draft by fake-model-3, from the wanted list',
      });
      expect(await h.store.glossaryRevisionNumber()).toBe(1); // nothing published
      // The news sentences went to the model as data.
      expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain(
        'Scientists say Hyperion Skylark could find a thousand new worlds.',
      );
      expect(logs).toContain('drafted wanted terms for editors to review (/term review)');

      // The next run leaves a term with a draft waiting alone, and so a claimed one.
      const asked = fake.requests.length;
      await autoDraftWanted({ glossary: g, drafter, count: 1, log });
      expect(
        fake.requests
          .map((r) => JSON.stringify(r.body.messages))
          .slice(asked)
          .join(),
      ).not.toContain('Hyperion Skylark');
    } finally {
      await fake.close();
    }
  });
});
