import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledPacks } from '../../bots/glossary/bundled';
import { createSqliteStore } from '../../bots/store/sqlite-store';
import type { Store } from '../../bots/store/types';
import type { LoadedPack } from '../../shared/glossary/load';

/** The bundled packs, read once per test file (they are large). */
let bundled: LoadedPack[] | null = null;
export const bundledPacks = (): LoadedPack[] => (bundled ??= loadBundledPacks());

/** A real SQLite store in a fresh folder. */
export function tempStore(): { store: Store; file: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'scipop-living-'));
  const file = join(dir, 'scipop.db');
  const store = createSqliteStore(file);
  return {
    store,
    file,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clean entry in the pack format that passes every lint rule. */
export const circumbinary = {
  id: 'circumbinary-planet',
  term: 'circumbinary planet',
  fields: ['astronomy'],
  level: 2,
  short: 'A planet that orbits two stars at once, like Tatooine in Star Wars.',
  long: 'Such planets show that worlds can form in the disk of gas and dust around a pair of stars. Kepler found several by the dips in light as they crossed their stars.',
  sources: [{ title: 'NASA', url: 'https://science.nasa.gov/exoplanets/' }],
};

/** The one-message `/term add` of {@link circumbinary}, as a moderator types it in a chat. */
export const CIRCUMBINARY_ADD = [
  '/term add circumbinary planet',
  `short: ${circumbinary.short}`,
  `long: ${circumbinary.long}`,
  'field: astronomy',
  'level: 2',
  'source: NASA https://science.nasa.gov/exoplanets/',
].join('\n');

export const alice = { platform: 'telegram', id: '11', name: 'Alice' };
export const eddie = { platform: 'discord', id: '22', name: 'Eddie' };
