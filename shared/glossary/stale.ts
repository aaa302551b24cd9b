import type { LoadedPack } from './load';

/** A volatile entry whose facts were not checked within the window. */
export interface StaleEntry {
  file: string;
  index: number;
  id: string;
  lang: string;
  /** The last review (YYYY-MM-DD), or null when the entry was never reviewed. */
  reviewed: string | null;
}

/** The day `months` calendar months before `today` (UTC), as YYYY-MM-DD; the 31st clamps to the month's end. */
export function monthsBefore(today: Date, months: number): string {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() - months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(today.getUTCDate(), last))).toISOString().slice(0, 10);
}

/**
 * The volatile entries not reviewed within `months` months of `today` (never reviewed counts as
 * stale), oldest review first, then by file and position.
 */
export function staleEntries(packs: readonly LoadedPack[], months: number, today: Date): StaleEntry[] {
  const cutoff = monthsBefore(today, months);
  const out: StaleEntry[] = [];
  for (const { file, pack } of packs) {
    pack.entries.forEach((e, index) => {
      if (!e.volatile) return;
      if (e.reviewed !== undefined && e.reviewed >= cutoff) return;
      out.push({ file, index, id: e.id, lang: pack.lang, reviewed: e.reviewed ?? null });
    });
  }
  return out.sort((a, b) => (a.reviewed ?? '').localeCompare(b.reviewed ?? ''));
}
