import type { GlossaryPack } from '../../shared/glossary/schema';

/** A subscribed community glossary as the reader's glossary uses it: its name, packs and retirements. */
export interface CommunitySource {
  name: string;
  packs: readonly GlossaryPack[];
  /** Bundled entry ids the community retired, by language. */
  retired: Readonly<Record<string, readonly string[]>>;
}

/** Every subscribed glossary merged: its packs, who wrote each entry, and the bundled entries to hide. */
export interface CommunityLayer {
  packs: GlossaryPack[];
  /** `lang<TAB>id` → the community's name. */
  origins: Map<string, string>;
  /** `lang<TAB>id` of bundled entries that a community replaced (same id) or retired. */
  hidden: Set<string>;
}

/**
 * Merges the subscriptions, the earlier subscription first when two have the same entry. A
 * community entry replaces the bundled one with its id in its language; a retired bundled id is
 * hidden in the language it was retired in.
 */
export function communityLayer(sources: readonly CommunitySource[]): CommunityLayer {
  const origins = new Map<string, string>();
  const hidden = new Set<string>();
  const packs: GlossaryPack[] = [];
  for (const source of sources) {
    for (const pack of source.packs) {
      const entries = pack.entries.filter((e) => {
        const key = `${pack.lang}\t${e.id}`;
        if (origins.has(key)) return false;
        origins.set(key, source.name);
        hidden.add(key);
        return true;
      });
      if (entries.length > 0) packs.push({ ...pack, entries });
    }
    for (const [lang, ids] of Object.entries(source.retired)) for (const id of ids) hidden.add(`${lang}\t${id}`);
  }
  return { packs, origins, hidden };
}

/** No subscription: nothing added, nothing hidden. */
export const EMPTY_COMMUNITY: CommunityLayer = { packs: [], origins: new Map(), hidden: new Set() };
