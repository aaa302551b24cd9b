import { createEntryIndex, createMatcherPayload } from '../glossary/bundle';
import { communityLayer, type CommunityLayer } from '../glossary/community';
import type { EntryIndex, EntryView, GlossaryBundle, MatcherPayload } from '../glossary/types';
import type { ImportedPack, ImportedPackStore } from '../settings/imported-packs';
import type { SubscribedCopy } from '../subscriptions/update';

/** The background's glossary: the matcher for pages, and entries for tooltips. */
export interface GlossaryService {
  /** What a page loads: the serialized matchers (community, bundled, imported) and their languages. */
  payload(): Promise<MatcherPayload>;
  /** An entry with its related terms' names, from any source; null when there is none. */
  view(lang: string, id: string): Promise<EntryView | null>;
  /** The imported packs or subscriptions changed (the next call reads them again in any case). */
  invalidate(): void;
}

/** Where the copies of subscribed community glossaries come from (the subscription store). */
export interface SubscribedCopies {
  copies(): Promise<SubscribedCopy[]>;
}

/** The community layer of the subscriptions' copies in use. */
export function layerOf(copies: readonly SubscribedCopy[]): CommunityLayer {
  return communityLayer(copies.map((c) => ({ name: c.index.name, packs: c.packs, retired: c.index.retired })));
}

/**
 * The glossary service over the bundle, the reader's imported packs and subscribed community
 * glossaries. They are read from storage at each call and the work is redone only when they
 * changed: a page told of a change may ask before this worker hears of it.
 */
export function createGlossaryService(
  bundle: GlossaryBundle,
  packs: ImportedPackStore,
  subscribed: SubscribedCopies = { copies: async () => [] },
): GlossaryService {
  let cached:
    | {
        list: ImportedPack[];
        copies: SubscribedCopy[];
        layer: CommunityLayer;
        index?: EntryIndex;
        payload?: MatcherPayload;
      }
    | undefined;
  const current = async () => {
    const [list, copies] = await Promise.all([packs.list(), subscribed.copies()]);
    if (cached?.list !== list || cached.copies !== copies) cached = { list, copies, layer: layerOf(copies) };
    return cached;
  };
  return {
    async payload() {
      const c = await current();
      return (c.payload ??= createMatcherPayload(
        bundle,
        c.list.map((p) => p.pack),
        c.layer,
      ));
    },
    async view(lang, id) {
      const c = await current();
      return (
        (c.index ??= createEntryIndex(
          bundle,
          c.list.map((p) => p.pack),
          c.layer,
        )).view(lang, id) ?? null
      );
    },
    invalidate() {
      cached = undefined;
    },
  };
}
