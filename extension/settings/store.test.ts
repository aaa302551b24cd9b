import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createImportedPackStore, PACKS_KEY } from './imported-packs';
import { migrateSettings } from './migrate';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings } from './schema';
import { createSettingsStore, isActiveOn } from './store';

beforeEach(() => fakeBrowser.reset());

describe('settings in storage.local', () => {
  it('starts from the defaults and stores each change validated, with its version', async () => {
    const store = createSettingsStore(fakeBrowser.storage);
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    await store.update({ maxLevel: 2, known: ['crispr'] });
    const stored = (await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as Settings;
    expect(stored).toMatchObject({ version: 1, maxLevel: 2, known: ['crispr'], languages: 'both' });
    expect(await store.get()).toEqual(stored);
  });

  it('refuses an invalid change and keeps what was stored', async () => {
    const store = createSettingsStore(fakeBrowser.storage);
    await store.update({ style: 'dotted' });
    await expect(store.update({ maxLevel: 7 as never })).rejects.toThrow();
    await expect(store.update({ known: ['Not A Slug'] })).rejects.toThrow();
    expect((await store.get()).style).toBe('dotted');
  });

  it('tells watchers in other pages about each change, and stops when asked', async () => {
    const writer = createSettingsStore(fakeBrowser.storage);
    const seen: Settings[] = [];
    const stop = createSettingsStore(fakeBrowser.storage).watch((s) => seen.push(s));
    await writer.update({ enabled: false });
    await fakeBrowser.storage.local.set({ other: 1 });
    stop();
    await writer.update({ enabled: true });
    expect(seen.map((s) => s.enabled)).toEqual([false]);
  });

  it('reads the site switch and the global switch together', () => {
    const s = { ...DEFAULT_SETTINGS, disabledSites: ['www.example.org'] };
    expect(isActiveOn(s, 'WWW.example.org')).toBe(false);
    expect(isActiveOn(s, 'example.org')).toBe(true);
    expect(isActiveOn({ ...s, enabled: false }, 'example.org')).toBe(false);
  });
});

describe('migrating stored settings', () => {
  it('migrates an unversioned object, keeping its valid values', () => {
    expect(migrateSettings({ maxLevel: 1, known: ['dna'] })).toEqual({
      ...DEFAULT_SETTINGS,
      maxLevel: 1,
      known: ['dna'],
    });
  });

  it('falls back per key, so one bad value never loses the known terms', () => {
    const out = migrateSettings({
      version: 1,
      maxLevel: 9,
      style: 'blink',
      known: ['dna', 'NOT OK', 'mrna'],
      disabledSites: ['Example.ORG', 'bad host!'],
    });
    expect(out.maxLevel).toBe(DEFAULT_SETTINGS.maxLevel);
    expect(out.style).toBe(DEFAULT_SETTINGS.style);
    expect(out.known).toEqual(['dna', 'mrna']);
    expect(out.disabledSites).toEqual(['example.org']);
  });

  it('gives the defaults for garbage', () => {
    for (const junk of [undefined, null, 3, 'x', []]) expect(migrateSettings(junk)).toEqual(DEFAULT_SETTINGS);
  });
});

const pack = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 1,
    id: 'my-terms',
    title: 'My terms',
    lang: 'en',
    revision: 1,
    license: 'CC0-1.0',
    entries: [
      {
        id: 'widget',
        term: 'widget',
        fields: ['engineering'],
        level: 2,
        short: 'A small device.',
        long: 'A small device with a purpose.',
        sources: [{ title: 'Somewhere', url: 'https://example.org/widget' }],
      },
    ],
    ...over,
  });

describe('imported glossary packs', () => {
  it("validates with the bundled packs' schema and lists every problem as file: path: message", async () => {
    const store = createImportedPackStore(fakeBrowser.storage);
    const bad = await store.importText(
      'mine.json',
      pack({ lang: 'english', entries: [{ id: 'Widget', term: 'widget', fields: [], level: 5 }] }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toContain('mine.json: lang: must be a BCP 47 tag such as en or zh-Hans');
    expect(bad.errors).toContain('mine.json: entries[0].id: must be a lowercase slug (a-z, 0-9, single hyphens)');
    expect(bad.errors).toContain('mine.json: entries[0].fields: needs at least one field');
    expect(bad.errors.some((e) => e.startsWith('mine.json: entries[0].short: is required'))).toBe(true);
    expect(await store.importText('x.json', '{ nope')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^x\.json: not valid JSON/)],
    });
    expect(await store.list()).toEqual([]);
  });

  it('stores a valid pack, replaces it on re-import, and removes it', async () => {
    const store = createImportedPackStore(fakeBrowser.storage);
    expect(await store.importText('mine.json', pack())).toMatchObject({ ok: true, replaced: false });
    expect(await store.importText('mine-v2.json', pack({ revision: 2 }))).toMatchObject({ ok: true, replaced: true });
    const list = await store.list();
    expect(list.map((p) => [p.file, p.pack.revision])).toEqual([['mine-v2.json', 2]]);
    await store.remove('my-terms');
    expect(await store.list()).toEqual([]);
  });

  it('drops a stored pack that no longer validates instead of failing every page', async () => {
    await fakeBrowser.storage.local.set({
      [PACKS_KEY]: [
        { file: 'old.json', pack: { format: 99 } },
        { file: 'ok.json', pack: JSON.parse(pack()) },
      ],
    });
    expect((await createImportedPackStore(fakeBrowser.storage).list()).map((p) => p.file)).toEqual(['ok.json']);
  });
});
