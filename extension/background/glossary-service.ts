import { createEntryIndex } from '../glossary/bundle';
import type { EntryIndex, EntryView, GlossaryBundle, MatcherPayload } from '../glossary/types';
import type { ImportedPackStore } from '../settings/imported-packs';

/** The background's glossary: the matcher for pages, and entries for tooltips. */
export interface GlossaryService {
  /** What a page loads once: the serialized matcher and the entry keys. */
  payload(): MatcherPayload;
  /** An entry with its related terms' names, bundled or imported; null when there is none. */
  view(lang: string, id: string): Promise<EntryView | null>;
  /** The imported packs changed. */
  invalidate(): void;
}

/** The glossary service over the bundle and the reader's imported packs. */
export function createGlossaryService(bundle: GlossaryBundle, packs: ImportedPackStore): GlossaryService {
  let index: Promise<EntryIndex> | undefined;
  const current = () => (index ??= packs.list().then((list) => createEntryIndex(bundle, list.map((p) => p.pack))));
  return {
    payload: () => ({ matcher: bundle.matcher, keys: bundle.keys }),
    async view(lang, id) {
      return (await current()).view(lang, id) ?? null;
    },
    invalidate() {
      index = undefined;
    },
  };
}
