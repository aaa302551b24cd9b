import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../shared/errors';
import { lintPacks } from '../../shared/glossary/lint';
import { compileMatcher } from '../../shared/matcher';
import type { LoadedPack } from '../../shared/glossary/load';
import { formatPath, type Problem } from '../../shared/glossary/problems';
import { qualityProblems } from '../../shared/glossary/quality';
import { longLimit, shortLimit, type GlossaryEntry } from '../../shared/glossary/schema';

const DRAFT_FILE = '(draft)';

/**
 * The glossary's lint and quality checks for one entry, among the packs of its language: what
 * `scipop glossary lint` would say if the entry were in the glossary (replacing the entry with its
 * id, if there is one), in plain words (`short: too long (212 > 160)`).
 */
export function entryProblems(packs: readonly LoadedPack[], entry: GlossaryEntry, lang: string): string[] {
  const inLang = packs.filter((p) => p.pack.lang === lang);
  const others = inLang.map((p) => ({
    ...p,
    pack: { ...p.pack, entries: p.pack.entries.filter((e) => e.id !== entry.id) },
  }));
  const draft: LoadedPack = {
    file: DRAFT_FILE,
    pack: { format: 1, id: 'draft', title: 'Draft', lang, revision: 1, license: 'CC-BY-4.0', entries: [entry] },
  };
  const all = [...others, draft];
  const limits = lengthProblems(entry, lang);
  const mine = (p: Problem) => p.file === DRAFT_FILE;
  const shown = (p: Problem) => `${formatPath(p.path.slice(2)) || 'entry'}: ${p.message}`;
  // The other entries are context only, and both checks share one compiled matcher (the slow part).
  const options = {
    only: (file: string) => file === DRAFT_FILE,
    matchers: new Map([[lang, compileMatcher(all.map((p) => p.pack))]]),
  };
  return [
    ...limits,
    ...[...lintPacks(all, new Date(), options), ...qualityProblems(all, options)].filter(mine).map(shown),
  ];
}

function lengthProblems(entry: GlossaryEntry, lang: string): string[] {
  const out: string[] = [];
  const short = [...entry.short].length;
  const long = [...entry.long].length;
  if (short > shortLimit(lang)) out.push(`short: too long (${short} > ${shortLimit(lang)})`);
  if (long > longLimit(lang)) out.push(`long: too long (${long} > ${longLimit(lang)})`);
  return out;
}

/** Resolves names to the ids of entries of a language by term or alias, any case. */
export function relatedIdsIn(packs: readonly LoadedPack[]) {
  const byName = new Map<string, Map<string, string>>();
  for (const { pack } of packs) {
    const names = byName.get(pack.lang) ?? new Map<string, string>();
    for (const e of pack.entries) for (const form of [e.term, ...e.aliases, e.id]) names.set(form.toLowerCase(), e.id);
    byName.set(pack.lang, names);
  }
  return (names: readonly string[], lang: string) => {
    const known = byName.get(lang) ?? new Map<string, string>();
    const ids: string[] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const id = known.get(name.trim().toLowerCase());
      if (id && !ids.includes(id)) ids.push(id);
      else if (!id) unknown.push(name);
    }
    return { ids, unknown };
  };
}

/** {@link entryProblems} in a worker thread, so the bots go on answering while a draft is checked. */
export function entryProblemsInThread(
  packs: readonly LoadedPack[],
  entry: GlossaryEntry,
  lang: string,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./check-worker.mjs', import.meta.url), { workerData: { packs, entry, lang } });
    worker.unref(); // a stopping network does not wait for a draft's checks
    worker.once('message', (msg: { problems?: string[]; error?: string }) => {
      void worker.terminate();
      if (msg.problems) resolve(msg.problems);
      else reject(new Error(`the glossary checks failed: ${msg.error ?? 'no answer'}`));
    });
    worker.once('error', (error) => reject(new Error(`the glossary checks' thread failed: ${errorMessage(error)}`)));
    worker.once('exit', (code) => reject(new Error(`the glossary checks' thread exited (${code})`)));
  });
}
