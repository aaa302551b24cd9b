import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { createGlossaryBundle, loadGlossary } from '../glossary/bundle';
import { createBackgroundListener, type BackgroundMessageHandlers } from '../messaging/background-protocol';
import { askBackground } from '../messaging/content-side';
import { DEFAULT_SETTINGS } from '../settings/schema';
import { createImportedPackStore } from '../settings/imported-packs';
import { createSubscriptionStore } from '../subscriptions/store';
import { createGlossaryService } from './glossary-service';

const source = [{ title: 'Ref', url: 'https://example.org/ref' }];
const entry = (id: string, term: string, related: string[] = [], aliases: string[] = []) => ({
  id,
  term,
  aliases,
  avoid: [],
  fields: ['astronomy' as const],
  level: 2 as const,
  short: `${term}, briefly.`,
  long: `${term}, at length.`,
  related,
  sources: source,
});
const bundled: GlossaryPack = {
  format: 1,
  id: 'sky',
  title: 'Sky',
  lang: 'en',
  revision: 1,
  license: 'CC0-1.0',
  entries: [entry('exoplanet', 'exoplanet', ['transit-method']), entry('transit-method', 'transit method')],
};
const bundle = createGlossaryBundle([bundled]);

const noSettings: Omit<BackgroundMessageHandlers, 'glossary' | 'entry'> = {
  settings: () => DEFAULT_SETTINGS,
  know: () => DEFAULT_SETTINGS,
  'check-subscription': () => ({ ok: false }),
  'ask-offer': () => null,
  'ask-community': () => ({ sent: false }),
};

function startBackground() {
  const service = createGlossaryService(
    bundle,
    createImportedPackStore(fakeBrowser.storage),
    createSubscriptionStore(fakeBrowser.storage),
  );
  fakeBrowser.runtime.onMessage.addListener(
    createBackgroundListener({
      ...noSettings,
      glossary: () => service.payload(),
      entry: (m) => service.view(m.lang, m.id),
    }) as never,
  );
  return service;
}

beforeEach(() => fakeBrowser.reset());

describe('the glossary between background and page', () => {
  it('gives a page the serialized matcher, which finds terms, and explanations one at a time', async () => {
    startBackground();
    const payload = await askBackground(fakeBrowser.runtime, { type: 'glossary' });
    expect(payload).toBeDefined();
    const glossary = await loadGlossary(
      payload!,
      async (lang, id) => (await askBackground(fakeBrowser.runtime, { type: 'entry', lang, id })) ?? undefined,
    );
    expect(glossary.langs).toEqual(['en']);
    expect(glossary.finder.find('An exoplanet seen by the transit method.').map((m) => m.id)).toEqual([
      'exoplanet',
      'transit-method',
    ]);
    const view = await glossary.view('en', 'exoplanet');
    expect(view?.entry.short).toBe('exoplanet, briefly.');
    expect(view?.related).toEqual([{ id: 'transit-method', lang: 'en', term: 'transit method' }]);
    expect(await glossary.view('en', 'no-such-term')).toBeUndefined();
  });

  it("serves imported packs' entries once the packs change", async () => {
    startBackground();
    expect(await askBackground(fakeBrowser.runtime, { type: 'entry', lang: 'en', id: 'widget' })).toBeNull();
    const pack = { ...bundled, id: 'mine', entries: [entry('widget', 'widget')] };
    expect(
      await createImportedPackStore(fakeBrowser.storage).importText('mine.json', JSON.stringify(pack)),
    ).toMatchObject({ ok: true });
    // No invalidate(): a page told of the change may ask before the worker hears of it.
    expect((await askBackground(fakeBrowser.runtime, { type: 'entry', lang: 'en', id: 'widget' }))?.entry.term).toBe(
      'widget',
    );
    const payload = await askBackground(fakeBrowser.runtime, { type: 'glossary' });
    expect(payload?.matchers).toHaveLength(2);
    const glossary = await loadGlossary(payload!, async () => undefined);
    expect(glossary.finder.find('A widget near an exoplanet.').map((m) => m.id)).toEqual(['widget', 'exoplanet']);
  });

  it('lets a subscribed community replace and retire bundled entries, and names it as the origin', async () => {
    startBackground();
    const subs = createSubscriptionStore(fakeBrowser.storage);
    const url = 'https://lab.example/glossary/v1/index.json';
    await subs.add({ url, key: 'k' }, 1);
    const community = {
      ...bundled,
      id: 'community-en',
      title: 'Lab (en)',
      entries: [
        { ...entry('exoplanet', 'exoplanet'), short: 'A planet of another star, as the lab says.' },
        entry('hot-jupiter', 'hot Jupiter'),
        // Same term as a bundled entry with another id: the community wins the tie.
        entry('transit', 'transit method'),
      ],
    };
    const index = {
      format: 1 as const,
      name: 'Lab community',
      revision: 3,
      published: '2026-12-07T04:00:00Z',
      checkAfterSeconds: 3600,
      license: 'CC-BY-4.0',
      files: [],
      retired: {},
      diffs: [],
    };
    await subs.record(url, { revision: 3 }, { url, index, packs: [community] });
    const payload = await askBackground(fakeBrowser.runtime, { type: 'glossary' });
    expect(payload?.matchers).toHaveLength(2);
    const view = async (lang: string, id: string) =>
      (await askBackground(fakeBrowser.runtime, { type: 'entry', lang, id })) ?? undefined;
    const glossary = await loadGlossary(payload!, view);
    const text = 'An exoplanet, a hot Jupiter, found by the transit method.';
    expect(glossary.finder.find(text).map((m) => m.id)).toEqual(['exoplanet', 'hot-jupiter', 'transit']);
    expect(glossary.finder.find(text, { firstOnly: true, seen: new Set() }).map((m) => m.id)).toEqual([
      'exoplanet',
      'hot-jupiter',
      'transit',
    ]);
    expect((await view('en', 'exoplanet'))?.entry).toMatchObject({
      short: 'A planet of another star, as the lab says.',
      origin: 'Lab community',
    });
    expect((await view('en', 'transit-method'))?.entry.origin).toBeUndefined();

    // Revision 4 retires the bundled transit-method and drops the community's exoplanet.
    const retiring = { ...index, revision: 4, retired: { en: ['transit-method'] } };
    await subs.record(
      url,
      { revision: 4 },
      { url, index: retiring, packs: [{ ...community, entries: [entry('hot-jupiter', 'hot Jupiter')] }] },
    );
    const next = await loadGlossary((await askBackground(fakeBrowser.runtime, { type: 'glossary' }))!, view);
    expect(next.finder.find('The transit method finds an exoplanet.').map((m) => m.id)).toEqual(['exoplanet']);
    expect(await view('en', 'transit-method')).toBeUndefined();
    expect((await view('en', 'exoplanet'))?.entry.origin).toBeUndefined();

    // A page keeps the matchers that did not change: only the community's is decoded again.
    const cache = new Map();
    let steps = 0;
    const counted = <T>(work: () => T) => (steps++, work());
    await loadGlossary((await askBackground(fakeBrowser.runtime, { type: 'glossary' }))!, view, counted, cache);
    expect(steps).toBe(4);
    await subs.record(url, { revision: 5 }, { url, index: { ...retiring, revision: 5 }, packs: [community] });
    steps = 0;
    const fifth = await loadGlossary(
      (await askBackground(fakeBrowser.runtime, { type: 'glossary' }))!,
      view,
      counted,
      cache,
    );
    expect(steps).toBe(2);
    expect(cache.size).toBe(2);
    expect(fifth.finder.find('A hot Jupiter and an exoplanet.').map((m) => m.id)).toEqual(['hot-jupiter', 'exoplanet']);

    await subs.remove(url);
    const none = await loadGlossary((await askBackground(fakeBrowser.runtime, { type: 'glossary' }))!, view);
    expect(none.finder.find('The transit method finds an exoplanet.').map((m) => m.id)).toEqual([
      'transit-method',
      'exoplanet',
    ]);
  });

  it('ignores malformed requests', async () => {
    const listener = createBackgroundListener({
      ...noSettings,
      glossary: () => ({ matchers: [], langs: [] }),
      entry: () => null,
    });
    for (const junk of [
      undefined,
      { type: 'entry' },
      { type: 'entry', lang: 'EN!', id: 'x' },
      { type: 'entry', lang: 'en', id: '../x' },
      { type: 'dump' },
      { type: 'know', id: 'Not A Slug' },
    ]) {
      expect(listener(junk)).toBeUndefined();
    }
  });
});
