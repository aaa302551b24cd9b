import type { GlossaryPack } from '../../shared/glossary/schema';
import { compileMatcher, decodeBase64, encodeBase64, loadMatcher } from '../../shared/matcher';
import type { EntryInfo, Glossary, GlossaryBundle, TermFinder, TermMatch, FindOptions } from './types';

/** The compact table of what the page shows of each entry (no aliases: the matcher has them). */
export function entryInfos(packs: readonly GlossaryPack[]): EntryInfo[] {
  return packs.flatMap((pack) =>
    pack.entries.map((e) => {
      const info: EntryInfo = { id: e.id, lang: pack.lang, term: e.term, short: e.short, long: e.long, fields: e.fields, level: e.level, related: e.related };
      const source = e.sources[0];
      if (source) info.source = { title: source.title, url: source.url };
      return info;
    }),
  );
}

/** Builds the bundle shipped in the extension (run at build time, in Node, by wxt.config.ts). */
export function createGlossaryBundle(packs: readonly GlossaryPack[]): GlossaryBundle {
  const matcher = compileMatcher([...packs]);
  return {
    matcher: encodeBase64(matcher.serialize()),
    entries: entryInfos(packs),
    packs: packs.map((p) => ({ id: p.id, lang: p.lang, revision: p.revision, title: p.title })),
  };
}

/** Finds in several finders at once: leftmost-longest across all, the earlier finder on a tie. */
export function combineFinders(finders: readonly TermFinder[]): TermFinder {
  if (finders.length === 1) return finders[0]!;
  return {
    find(text, options?: FindOptions) {
      // firstOnly/seen are applied after merging, so one finder cannot claim a term another owns.
      const { firstOnly, seen, ...rest } = options ?? {};
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

/** Loads the bundled glossary plus the reader's imported packs (compiled here, they are small). */
export function loadGlossary(bundle: GlossaryBundle, imported: readonly GlossaryPack[] = []): Glossary {
  const finders: TermFinder[] = [loadMatcher(decodeBase64(bundle.matcher))];
  const entries = [...bundle.entries];
  if (imported.length > 0) {
    finders.push(compileMatcher([...imported]));
    entries.push(...entryInfos(imported));
  }
  const byKey = new Map<string, EntryInfo>();
  for (const e of entries) byKey.set(`${e.lang}\u0000${e.id}`, e);
  return {
    finder: combineFinders(finders),
    entry: (lang, id) => byKey.get(`${lang}\u0000${id}`),
    langs: [...new Set(entries.map((e) => e.lang))],
    entries,
  };
}
