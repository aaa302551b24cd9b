import type { GlossaryPack } from '../../shared/glossary/schema';
import { compileMatcher, encodeBase64, loadMatcher, type CompileOptions } from '../../shared/matcher';
import { base64Bytes } from './base64';
import { EMPTY_COMMUNITY, type CommunityLayer } from './community';
import type {
  EntryIndex,
  EntryInfo,
  FindOptions,
  Glossary,
  GlossaryBundle,
  MatcherPayload,
  TermFinder,
  TermMatch,
} from './types';

/** The compact table of what the page shows of each entry (no aliases: the matcher has them). */
export function entryInfos(
  packs: readonly GlossaryPack[],
  originOf?: (pack: GlossaryPack, id: string) => string | undefined,
): EntryInfo[] {
  return packs.flatMap((pack) =>
    pack.entries.map((e) => {
      const info: EntryInfo = {
        id: e.id,
        lang: pack.lang,
        term: e.term,
        short: e.short,
        long: e.long,
        fields: e.fields,
        level: e.level,
        related: e.related,
      };
      const source = e.sources[0];
      if (source) info.source = { title: source.title, url: source.url };
      const origin = originOf?.(pack, e.id);
      if (origin) info.origin = origin;
      return info;
    }),
  );
}

/** Builds the bundle shipped in the extension (run at build time, in Node, by wxt.config.ts, with the blockers). */
export function createGlossaryBundle(packs: readonly GlossaryPack[], options: CompileOptions = {}): GlossaryBundle {
  const matcher = compileMatcher([...packs], options);
  const infos = entryInfos(packs);
  return {
    matcher: encodeBase64(matcher.serialize()),
    keys: infos.map((e) => `${e.lang}\t${e.id}`).join('\n'),
    entries: infos.map((e) => JSON.stringify(e)),
    packs: packs.map((p) => ({ id: p.id, lang: p.lang, revision: p.revision, title: p.title })),
  };
}

/** Finds in several finders at once: leftmost-longest across all, the earlier finder on a tie. */
export function combineFinders(finders: readonly TermFinder[]): TermFinder {
  if (finders.length === 1) return finders[0]!;
  // The same options object must reach the finders each time: they cache their filters per object.
  const inner = new WeakMap<FindOptions, FindOptions>();
  const empty: FindOptions = {};
  return {
    find(text, options?: FindOptions) {
      // firstOnly/seen are applied after merging, so one finder cannot claim a term another owns.
      const { firstOnly, seen } = options ?? empty;
      let rest = inner.get(options ?? empty);
      if (!rest) {
        const { firstOnly: _f, seen: _s, ...others } = options ?? empty;
        inner.set(options ?? empty, (rest = others));
      }
      const all: TermMatch[] = finders.flatMap((f) => f.find(text, rest));
      all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
      const out: TermMatch[] = [];
      let end = 0;
      for (const m of all) {
        if (m.start < end) continue;
        if (firstOnly && seen) {
          if (seen.has(m.id)) continue;
          seen.add(m.id);
        }
        out.push(m);
        end = m.end;
      }
      return out;
    },
  };
}

/**
 * Indexes the bundled entries plus the reader's imported packs and subscribed community glossaries:
 * on the same key a community entry wins, then an imported one; hidden bundled entries are gone.
 */
export function createEntryIndex(
  bundle: Pick<GlossaryBundle, 'keys' | 'entries'>,
  imported: readonly GlossaryPack[] = [],
  community: CommunityLayer = EMPTY_COMMUNITY,
): EntryIndex {
  const index = new Map<string, number>();
  const langs = new Set<string>();
  bundle.keys.split('\n').forEach((key, i) => {
    index.set(key, i);
    langs.add(key.slice(0, key.indexOf('\t')));
  });
  const parsed = new Map<number, EntryInfo>();
  const extra = new Map<string, EntryInfo>();
  const communityInfos = entryInfos(community.packs, (pack, id) => community.origins.get(`${pack.lang}\t${id}`));
  for (const e of [...entryInfos(imported, (pack) => pack.title), ...communityInfos]) {
    extra.set(`${e.lang}\t${e.id}`, e);
    langs.add(e.lang);
  }
  const byIndex = (i: number): EntryInfo => {
    let e = parsed.get(i);
    if (!e) parsed.set(i, (e = JSON.parse(bundle.entries[i]!) as EntryInfo));
    return e;
  };
  const entry = (lang: string, id: string): EntryInfo | undefined => {
    const key = `${lang}\t${id}`;
    const own = extra.get(key);
    if (own) return own;
    const i = community.hidden.has(key) ? undefined : index.get(key);
    return i === undefined ? undefined : byIndex(i);
  };
  return {
    entry,
    view(lang, id) {
      const e = entry(lang, id);
      if (!e) return undefined;
      const related = e.related.flatMap((rid) => {
        const r = entry(lang, rid);
        return r ? [{ id: r.id, lang: r.lang, term: r.term }] : [];
      });
      return { entry: e, related };
    },
    langs: [...langs],
    all: () => [
      ...bundle.entries.flatMap((_, i) => {
        const e = byIndex(i);
        return extra.has(`${e.lang}\t${e.id}`) || community.hidden.has(`${e.lang}\t${e.id}`) ? [] : [e];
      }),
      ...extra.values(),
    ],
  };
}

/** The languages of a bundle's entries, from its keys. */
export function bundleLangs(bundle: Pick<GlossaryBundle, 'keys'>): string[] {
  const langs = new Set<string>();
  for (const key of bundle.keys.split('\n')) langs.add(key.slice(0, key.indexOf('\t')));
  return [...langs];
}

/**
 * What the background sends a page: the bundled matcher as built, plus ones compiled here for the
 * subscribed community glossaries (first, so they win a tie) and the reader's imported packs, so a
 * page compiles nothing and loads no pack schema. The bundled entries a community replaced or
 * retired are listed for the page to hide.
 */
export function createMatcherPayload(
  bundle: Pick<GlossaryBundle, 'matcher' | 'keys'>,
  imported: readonly GlossaryPack[],
  community: CommunityLayer = EMPTY_COMMUNITY,
): MatcherPayload {
  const langs = new Set(bundleLangs(bundle));
  const matchers: string[] = [];
  const hidden: string[][] = [];
  if (community.packs.length > 0) {
    matchers.push(encodeBase64(compileMatcher(community.packs).serialize()));
    hidden.push([]);
    for (const p of community.packs) langs.add(p.lang);
  }
  matchers.push(bundle.matcher);
  hidden.push([...community.hidden]);
  if (imported.length > 0) {
    matchers.push(encodeBase64(compileMatcher([...imported]).serialize()));
    hidden.push([]);
    for (const p of imported) langs.add(p.lang);
  }
  return community.hidden.size > 0 ? { matchers, langs: [...langs], hidden } : { matchers, langs: [...langs] };
}

/** A finder that does not report the entries of `hidden` (`lang<TAB>id`). */
export function hidingFinder(finder: TermFinder, hidden: ReadonlySet<string>): TermFinder {
  if (hidden.size === 0) return finder;
  // As in combineFinders: "first occurrence only" is applied after hiding, or a hidden match would
  // count as the first; and the same options object must reach the finder each time.
  const inner = new WeakMap<FindOptions, FindOptions>();
  return {
    find(text, options) {
      const visible = (ms: TermMatch[]) => ms.filter((m) => !hidden.has(`${m.lang}\t${m.id}`));
      if (!options?.firstOnly) return visible(finder.find(text, options));
      let rest = inner.get(options);
      if (!rest) {
        const { firstOnly: _f, seen: _s, ...others } = options;
        inner.set(options, (rest = others));
      }
      const seen = options.seen ?? new Set<string>();
      return visible(finder.find(text, rest)).filter((m) => !seen.has(m.id) && seen.add(m.id));
    },
  };
}

/**
 * Runs one step of loading, each in a task of its own, so that loading never holds the page's main
 * thread for long; `(work) => work()` runs the steps at once.
 */
export type LoadStep = <T>(work: () => T) => T | Promise<T>;

/**
 * A page's glossary from the background's payload; explanations come through `view`. Decoding a
 * matcher and building its tables are separate steps (each 5–20 ms for the bundled glossary).
 */
export async function loadGlossary(
  payload: MatcherPayload,
  view: Glossary['view'],
  step: LoadStep = (work) => work(),
  cache?: Map<string, TermFinder>,
): Promise<Glossary> {
  const finders: TermFinder[] = [];
  const loaded = new Map<string, TermFinder>();
  for (const [i, text] of payload.matchers.entries()) {
    // A page reloads its glossary when a subscription or an imported pack changes: the matchers
    // that did not change (the bundled one above all) are not decoded and built again.
    let finder = cache?.get(text);
    if (!finder) {
      const bytes = await step(() => base64Bytes(text));
      finder = await step(() => loadMatcher(bytes));
    }
    loaded.set(text, finder);
    finders.push(hidingFinder(finder, new Set(payload.hidden?.[i] ?? [])));
  }
  if (cache) {
    cache.clear();
    for (const [text, finder] of loaded) cache.set(text, finder);
  }
  return { finder: combineFinders(finders), langs: [...payload.langs], view };
}
