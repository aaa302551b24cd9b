import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { createGlossaryBundle, loadGlossary } from '../glossary/bundle';
import { createBackgroundListener, type BackgroundMessageHandlers } from '../messaging/background-protocol';
import { askBackground } from '../messaging/content-side';
import { DEFAULT_SETTINGS } from '../settings/schema';
import { createImportedPackStore } from '../settings/imported-packs';
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

const noSettings: Pick<BackgroundMessageHandlers, 'settings' | 'know'> = {
  settings: () => DEFAULT_SETTINGS,
  know: () => DEFAULT_SETTINGS,
};

function startBackground() {
  const service = createGlossaryService(bundle, createImportedPackStore(fakeBrowser.storage));
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
