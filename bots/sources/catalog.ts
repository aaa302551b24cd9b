import { readFileSync } from 'node:fs';
import { StoreError, type Source, type Store } from '../store/types';
import { parseOpml, toOpml, type OpmlSource } from './opml';
import { errorMessage } from '../../shared/errors';

/** What an import did. */
export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  problems: string[];
}

/** Whether a string is an absolute http(s) URL a source may have. */
export function isFeedUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Adds the OPML's feeds to the store; a feed already there (same URL) gets the file's title, tags
 * and settings. Feeds with unusable URLs are reported, not imported.
 */
export async function importSources(store: Store, sources: readonly OpmlSource[], now: number): Promise<ImportReport> {
  const report: ImportReport = { added: 0, updated: 0, unchanged: 0, problems: [] };
  for (const s of sources) {
    if (!isFeedUrl(s.url)) {
      report.problems.push(`${s.title}: not an http(s) URL: ${s.url}`);
      continue;
    }
    const existing = await store.getSource(s.url);
    if (!existing) {
      await store.addSource(
        {
          url: s.url,
          title: s.title,
          siteUrl: s.siteUrl ?? null,
          tags: s.tags,
          lang: s.lang ?? null,
          intervalSec: s.intervalSec ?? null,
          trusted: s.trusted ?? true,
        },
        now,
      );
      report.added++;
      continue;
    }
    const patch = {
      title: s.title,
      siteUrl: s.siteUrl ?? existing.siteUrl,
      tags: s.tags,
      lang: s.lang ?? existing.lang,
      intervalSec: s.intervalSec ?? existing.intervalSec,
      trusted: s.trusted ?? existing.trusted,
    };
    const changed =
      patch.title !== existing.title ||
      patch.siteUrl !== existing.siteUrl ||
      !sameTags(patch.tags, existing.tags) ||
      patch.lang !== existing.lang ||
      patch.intervalSec !== existing.intervalSec ||
      patch.trusted !== existing.trusted;
    if (changed) {
      await store.updateSource(existing.id, patch);
      report.updated++;
    } else report.unchanged++;
  }
  return report;
}

/** Reads an OPML file and imports it; a file that is not OPML throws one clear line. */
export async function importOpmlFile(store: Store, file: string, now: number): Promise<ImportReport> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StoreError(
      'not-found',
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
  const parsed = parseOpml(text);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  return importSources(store, parsed.value, now);
}

/** A stored source as OPML carries it. */
export function toOpmlSource(s: Source): OpmlSource {
  const out: OpmlSource = { url: s.url, title: s.title, tags: s.tags, trusted: s.trusted };
  if (s.siteUrl) out.siteUrl = s.siteUrl;
  if (s.lang) out.lang = s.lang;
  if (s.intervalSec) out.intervalSec = s.intervalSec;
  return out;
}

/** Every stored source as an OPML 2.0 document. */
export async function exportOpml(store: Store, now = new Date()): Promise<string> {
  return toOpml((await store.listSources()).map(toOpmlSource), 'SciPop sources', now);
}

/** On a first run (no sources at all), imports the seed list; returns how many were added. */
export async function seedSources(store: Store, opmlFile: string | null, now: number): Promise<number> {
  if (!opmlFile || (await store.stats()).sources > 0) return 0;
  return (await importOpmlFile(store, opmlFile, now)).added;
}
