import { z } from 'zod';
import { formatProblem } from '../../shared/glossary/problems';
import { parsePack, parsePackText } from '../../shared/glossary/load';
import type { GlossaryPack } from '../../shared/glossary/schema';
import { PACKS_KEY } from './keys';
import type { StorageLike } from './store';

export { PACKS_KEY };

/** A pack the reader imported, with the name of the file it came from. */
export interface ImportedPack {
  file: string;
  pack: GlossaryPack;
}

const StoredSchema = z.array(z.object({ file: z.string(), pack: z.unknown() }));

/** The result of importing a file: the pack, or one line per problem (`file: entries[3].short: …`). */
export type ImportResult = { ok: true; pack: GlossaryPack; replaced: boolean } | { ok: false; errors: string[] };

/** Reads, adds and removes imported packs; each is validated with the bundled packs' schema. */
export interface ImportedPackStore {
  list(): Promise<ImportedPack[]>;
  importText(file: string, text: string): Promise<ImportResult>;
  remove(packId: string): Promise<void>;
}

/**
 * The imported-pack store over `storage.local`. Stored packs are validated again on read; while
 * the stored value stays the same, `list` answers the same array, so callers can cache per list.
 */
export function createImportedPackStore(storage: StorageLike): ImportedPackStore {
  let last: { raw: string; packs: ImportedPack[] } | undefined;
  const list = async (): Promise<ImportedPack[]> => {
    const value: unknown = (await storage.local.get(PACKS_KEY))[PACKS_KEY] ?? [];
    const raw = JSON.stringify(value);
    if (last?.raw === raw) return last.packs;
    const stored = StoredSchema.safeParse(value);
    const packs = !stored.success
      ? []
      : stored.data.flatMap(({ file, pack }) => {
          const parsed = parsePack(pack, file);
          return parsed.ok ? [{ file, pack: parsed.value }] : [];
        });
    last = { raw, packs };
    return packs;
  };
  return {
    list,
    async importText(file, text) {
      const parsed = parsePackText(text, file);
      if (!parsed.ok) return { ok: false, errors: parsed.problems.map(formatProblem) };
      const packs = await list();
      const replaced = packs.some((p) => p.pack.id === parsed.value.id && p.pack.lang === parsed.value.lang);
      const next = packs.filter((p) => !(p.pack.id === parsed.value.id && p.pack.lang === parsed.value.lang));
      next.push({ file, pack: parsed.value });
      await storage.local.set({ [PACKS_KEY]: next });
      return { ok: true, pack: parsed.value, replaced };
    },
    async remove(packId) {
      const packs = await list();
      await storage.local.set({ [PACKS_KEY]: packs.filter((p) => p.pack.id !== packId) });
    },
  };
}
