// The community layer over the bundled packs: which entries are live after a run of published
// revisions, and the packs the bots compile from them.
import type { GlossaryPack } from '../schema';
import type { GlossaryEntry } from '../schema';
import type { GlossaryRevision } from './model';

/** What the published revisions leave live, by language: community entries and retired ids. */
export interface CommunityState {
  /** The published revision these entries are at (1: nothing published yet). */
  revision: number;
  /** When that revision was published (epoch ms; 0 for revision 1). */
  publishedAt: number;
  entries: Map<string, GlossaryEntry[]>;
  /** Every retired entry id, by language (community ones and bundled ones). */
  retired: Map<string, string[]>;
}

/** The key of an entry across languages. */
export const entryKey = (lang: string, id: string): string => `${lang}\u0000${id}`;

/**
 * Replays published revisions (any order; sorted here by published revision) up to `upTo`, giving
 * the live community entries and retired ids at that revision.
 */
export function communityStateAt(revisions: readonly GlossaryRevision[], upTo: number): CommunityState {
  const live = new Map<string, GlossaryRevision>();
  let publishedAt = 0;
  const sorted = revisions
    .filter((r) => r.publishedRev !== null && r.publishedRev <= upTo)
    .sort((a, b) => a.publishedRev! - b.publishedRev!);
  for (const r of sorted) {
    live.set(entryKey(r.lang, r.entryId), r);
    publishedAt = Math.max(publishedAt, r.decidedAt ?? 0);
  }
  const entries = new Map<string, GlossaryEntry[]>();
  const retired = new Map<string, string[]>();
  for (const r of [...live.values()].sort((a, b) => (a.entryId < b.entryId ? -1 : 1))) {
    if (r.action === 'edit' && r.entry) {
      const list = entries.get(r.lang) ?? [];
      list.push(r.entry);
      entries.set(r.lang, list);
    } else {
      const list = retired.get(r.lang) ?? [];
      list.push(r.entryId);
      retired.set(r.lang, list);
    }
  }
  return { revision: Math.max(1, upTo), publishedAt, entries, retired };
}

/** The bundled packs with the entries the community replaced or retired left out. */
export function bundledWithout(bundled: readonly GlossaryPack[], state: CommunityState): GlossaryPack[] {
  const gone = new Set<string>();
  for (const [lang, list] of state.entries) for (const e of list) gone.add(entryKey(lang, e.id));
  for (const [lang, ids] of state.retired) for (const id of ids) gone.add(entryKey(lang, id));
  if (gone.size === 0) return [...bundled];
  return bundled.map((p) => ({ ...p, entries: p.entries.filter((e) => !gone.has(entryKey(p.lang, e.id))) }));
}

/** The community entries as packs (one per language), in the bundled pack format. */
export function communityPacks(state: CommunityState, name = 'community'): GlossaryPack[] {
  return [...state.entries].map(([lang, entries]) => ({
    format: 1,
    id: `community-${lang.toLowerCase()}`,
    title: `${name} (${lang})`,
    lang,
    revision: state.revision,
    license: 'community',
    entries,
  }));
}

/** Bundled and community together, as one glossary: the community's entry wins for its id. */
export function layeredPacks(bundled: readonly GlossaryPack[], state: CommunityState): GlossaryPack[] {
  return [...bundledWithout(bundled, state), ...communityPacks(state)];
}
