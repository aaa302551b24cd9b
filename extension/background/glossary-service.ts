import { createEntryIndex, createMatcherPayload } from '../glossary/bundle';
import type { EntryIndex, EntryView, GlossaryBundle, MatcherPayload } from '../glossary/types';
import type { ImportedPack, ImportedPackStore } from '../settings/imported-packs';

/** The background's glossary: the matcher for pages, and entries for tooltips. */
export interface GlossaryService {
  /** What a page loads: the serialized matchers (bundled and imported) and their languages. */
  payload(): Promise<MatcherPayload>;
  /** An entry with its related terms' names, bundled or imported; null when there is none. */
  view(lang: string, id: string): Promise<EntryView | null>;
  /** The imported packs changed (the next call reads them again in any case). */
  invalidate(): void;
}

/**
 * The glossary service over the bundle and the reader's imported packs. The packs are read from
 * storage at each call and the work is redone only when they changed: a page told of a change may
 * ask before this worker hears of it.
 */
export function createGlossaryService(bundle: GlossaryBundle, packs: ImportedPackStore): GlossaryService {
  let cached: { list: ImportedPack[]; index?: EntryIndex; payload?: MatcherPayload } | undefined;
  const current = async () => {
    const list = await packs.list();
    if (cached?.list !== list) cached = { list };
    return cached;
  };
  return {
    async payload() {
      const c = await current();
      return (c.payload ??= createMatcherPayload(
        bundle,
        c.list.map((p) => p.pack),
      ));
    },
    async view(lang, id) {
      const c = await current();
      return (
        (c.index ??= createEntryIndex(
          bundle,
          c.list.map((p) => p.pack),
        )).view(lang, id) ?? null
      );
    },
    invalidate() {
      cached = undefined;
    },
  };
}
