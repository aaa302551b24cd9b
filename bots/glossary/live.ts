/**
 * The glossary the bots use while they run: the bundled packs (compiled once) under the community
 * layer (compiled off the posting loop whenever the published revision grows). Posts and /explain
 * read whichever copy is current; a refresh swaps in the next one in a single assignment, so a
 * post is built from one consistent glossary and never waits for a compile.
 */
import { errorMessage } from '../../shared/errors';
import { communityPacks, communityStateAt, entryKey, type CommunityState } from '../../shared/glossary/community/layer';
import type { LoadedPack } from '../../shared/glossary/load';
import type { FindOptions, Match, Matcher } from '../../shared/matcher';
import { createTermGlossary, type TermGlossary, type TermInfo } from '../../shared/message/terms';
import type { GlossaryRevision, GlossaryStateStore } from '../store/glossary-types';
import type { MatcherCompiler } from './compiler';

/** One consistent copy: the community layer at one revision over the bundled glossary. */
interface Snapshot {
  revision: number;
  /** Bundled entries replaced or retired by the community (their matches are dropped). */
  gone: Set<string>;
  community: Matcher | null;
  glossary: TermGlossary;
  packs(): LoadedPack[];
}

/** The running glossary: a TermGlossary for posts, the packs for /explain, and its refresh. */
export interface LiveGlossary extends TermGlossary {
  /** The published revision in use. */
  readonly revision: number;
  /** The layered packs in use, as `/explain` reads them. */
  packs(): readonly LoadedPack[];
  /** Looks for a newer published revision and, when there is one, compiles and swaps it in; true if it did. */
  refresh(): Promise<boolean>;
  /** Refreshes every `everyMs` until closed. */
  startPolling(everyMs: number): void;
  close(): Promise<void>;
}

/** Leftmost-longest over two matchers' non-overlapping matches; the community's wins a tie. */
function mergeMatches(community: Match[], bundled: Match[]): Match[] {
  if (community.length === 0) return bundled;
  if (bundled.length === 0) return community;
  const all = [...community.map((m) => ({ m, c: 0 })), ...bundled.map((m) => ({ m, c: 1 }))].sort(
    (a, b) => a.m.start - b.m.start || b.m.end - b.m.start - (a.m.end - a.m.start) || a.c - b.c,
  );
  const out: Match[] = [];
  let end = -1;
  for (const { m } of all) {
    if (m.start < end) continue;
    out.push(m);
    end = m.end;
  }
  return out;
}

/** What a live glossary is built from. */
export interface LiveGlossaryDeps {
  store: GlossaryStateStore;
  bundled: readonly LoadedPack[];
  /** The bundled packs compiled once (at start). */
  bundledMatcher: Matcher;
  compiler: MatcherCompiler;
  log?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

/** Builds the live glossary at the store's current revision. */
export async function createLiveGlossary(deps: LiveGlossaryDeps): Promise<LiveGlossary> {
  // The bundled side is indexed once; a refresh builds only the community's side on this thread
  // (a few milliseconds for a thousand entries), so the posting loop barely notices it.
  const bundledTerms = createTermGlossary(
    deps.bundledMatcher,
    deps.bundled.map((p) => p.pack),
  );
  const build = async (state: CommunityState): Promise<Snapshot> => {
    const community = communityPacks(state);
    const matcher = community.length > 0 ? await deps.compiler.compile(community) : null;
    const gone = new Set<string>();
    for (const [lang, list] of state.entries) for (const e of list) gone.add(entryKey(lang, e.id));
    for (const [lang, ids] of state.retired) for (const id of ids) gone.add(entryKey(lang, id));
    const communityTerms = createTermGlossary(deps.bundledMatcher, community);
    const find = (text: string, options?: FindOptions) =>
      mergeMatches(
        matcher?.find(text, options) ?? [],
        deps.bundledMatcher.find(text, options).filter((m) => !gone.has(entryKey(m.lang, m.id))),
      );
    // The community's entry wins for its id; a replaced or retired bundled one is gone.
    const entry = (id: string, lang: string) =>
      communityTerms.entry(id, lang) ?? (gone.has(entryKey(lang, id)) ? undefined : bundledTerms.entry(id, lang));
    let packs: LoadedPack[] | null = null;
    return {
      revision: state.revision,
      gone,
      community: matcher,
      glossary: {
        find,
        entry,
        languages: [...new Set([...bundledTerms.languages, ...communityTerms.languages])],
      },
      // Built at the first /explain or draft after a change, not during the refresh.
      packs: () =>
        (packs ??= [
          ...deps.bundled.map((p) => ({
            file: p.file,
            pack: { ...p.pack, entries: p.pack.entries.filter((e) => !gone.has(entryKey(p.pack.lang, e.id))) },
          })),
          ...community.map((pack) => ({ file: `community/${pack.lang}`, pack })),
        ]),
    };
  };
  // Published revisions never change once written, so each refresh reads only the new ones.
  const seen: GlossaryRevision[] = [];
  const load = async (): Promise<CommunityState> => {
    const revision = await deps.store.glossaryRevisionNumber();
    seen.push(...(await deps.store.publishedGlossaryRevisions(seen.at(-1)?.publishedRev ?? 0)));
    return communityStateAt(seen, revision);
  };

  let current = await build(await load());
  let inFlight: Promise<boolean> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const refresh = (): Promise<boolean> => {
    // One refresh at a time; a caller during one waits for it (and then the revision is current).
    inFlight ??= (async () => {
      try {
        if ((await deps.store.glossaryRevisionNumber()) === current.revision) return false;
        const next = await build(await load());
        if (next.revision <= current.revision) return false;
        current = next;
        deps.log?.info({ revision: next.revision }, 'community glossary updated');
        return true;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };

  return {
    get revision() {
      return current.revision;
    },
    get languages() {
      return current.glossary.languages;
    },
    find: (text, options) => current.glossary.find(text, options),
    entry: (id, lang): TermInfo | undefined => current.glossary.entry(id, lang),
    packs: () => current.packs(),
    refresh,
    startPolling(everyMs) {
      if (timer) return;
      timer = setInterval(() => {
        refresh().catch((error: unknown) =>
          deps.log?.warn(
            { err: errorMessage(error) },
            'could not refresh the community glossary; keeping the last copy',
          ),
        );
      }, everyMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight?.catch(() => false);
      await deps.compiler.close();
    },
  };
}
