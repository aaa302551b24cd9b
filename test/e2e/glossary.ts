import { listPackFiles, readPackFiles } from '../../bots/glossary/bundled';
import type { GlossaryEntry } from '../../shared/glossary/schema';

/** A bundled entry as its pack file has it, so tests compare the tooltip with the source of truth. */
export function bundledEntry(lang: string, id: string): GlossaryEntry {
  for (const { pack } of readPackFiles(listPackFiles()).packs) {
    if (pack.lang !== lang) continue;
    const entry = pack.entries.find((e) => e.id === id);
    if (entry) return entry;
  }
  throw new Error(`no bundled entry ${lang}:${id}`);
}
