import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../shared/errors';
import { findGaps } from '../../shared/glossary/gaps';
import { COMMON_WORDS, COMMON_WORDS_ZH } from '../../shared/glossary/quality';
import type { GlossaryPack } from '../../shared/glossary/schema';
import type { Matcher } from '../../shared/matcher';
import type { FoundGap, GlossaryStateStore, ItemText } from '../store/glossary-types';

/** The gap finder over the network's own news (`glossary.wanted` in the config). */
export interface WantedSettings {
  /** Items seen in the last this many days are read. */
  days: number;
  /** How often the worker holding the maintenance role runs it. */
  everyHours: number;
  /** Candidates kept per run. */
  top: number;
}

/** Items read per run at most (the newest): enough for a busy network's week, bounded in memory. */
const MAX_ITEMS = 20_000;
/** Example sentences kept per term. */
const EXAMPLES = 2;
/** An example sentence is cut to this many characters around the term. */
const EXAMPLE_CHARS = 240;

const HAN = /\p{Script=Han}/u;

/** The sentence of `text` holding `term` (case folded for Latin script), cut around it when long. */
function sentenceWith(text: string, term: string): string | null {
  const at = HAN.test(term) ? text.indexOf(term) : text.toLowerCase().indexOf(term.toLowerCase());
  if (at < 0) return null;
  const before = text.slice(0, at);
  const start = Math.max(before.search(/[^.!?。！？]*$/u), 0);
  const endRel = text.slice(at + term.length).search(/[.!?](\s|$)|[。！？]/u);
  const end = endRel < 0 ? text.length : at + term.length + endRel + 1;
  let sentence = text.slice(start, end).trim();
  if (sentence.length > EXAMPLE_CHARS) {
    const from = Math.max(0, at - start - EXAMPLE_CHARS / 2);
    sentence = `…${sentence.slice(from, from + EXAMPLE_CHARS).trim()}…`;
  }
  return sentence;
}

/**
 * The terms the network's news uses and the glossary does not explain: `scipop glossary gaps` over
 * the items' titles and summaries, each candidate with how many items and sources used it and up
 * to two example sentences with their links. English and Chinese are ranked apart, so a busy
 * English feed does not crowd the Chinese candidates out.
 */
export function findWanted(items: readonly ItemText[], matcher: Pick<Matcher, 'find'>, top: number): FoundGap[] {
  const texts = items.map((i) => `${i.title}${HAN.test(i.title) ? '。' : '. '}${i.summary}`.trim());
  const zh = (i: number) => (items[i]!.lang ?? '').toLowerCase().startsWith('zh') || HAN.test(items[i]!.title);
  const found: FoundGap[] = [];
  for (const lang of ['en', 'zh-Hans'] as const) {
    const picked = texts.map((_, i) => i).filter((i) => zh(i) === (lang === 'zh-Hans'));
    if (picked.length === 0) continue;
    const candidates = findGaps(
      picked.map((i) => texts[i]!),
      { matcher, commonWords: COMMON_WORDS, commonZh: COMMON_WORDS_ZH, limit: top },
    );
    for (const c of candidates) {
      if ((lang === 'zh-Hans') !== (c.kind === 'zh')) continue;
      const using = picked.filter((i) => sentenceWith(texts[i]!, c.text) !== null);
      if (using.length === 0) continue;
      found.push({
        lang,
        term: c.text,
        items: using.length,
        sources: new Set(using.map((i) => items[i]!.sourceId)).size,
        examples: using
          .slice(0, EXAMPLES)
          .map((i) => ({ text: sentenceWith(texts[i]!, c.text)!, link: items[i]!.link })),
      });
    }
  }
  return found;
}

/**
 * {@link findWanted} in a worker thread, with the glossary compiled there from `packs`: reading a
 * busy network's week (20,000 items) takes seconds of CPU that the posting loop must not wait for.
 */
export function findWantedInThread(
  packs: readonly GlossaryPack[],
  items: readonly ItemText[],
  top: number,
): Promise<FoundGap[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./gaps-worker.mjs', import.meta.url), { workerData: { packs, items, top } });
    worker.unref(); // a stopping network does not wait for it: the next start runs it again
    worker.once('message', (msg: { found?: FoundGap[]; error?: string }) => {
      void worker.terminate();
      if (msg.found) resolve(msg.found);
      else reject(new Error(`the gap finder failed: ${msg.error ?? 'no answer'}`));
    });
    worker.once('error', (error) => reject(new Error(`the gap finder thread failed: ${errorMessage(error)}`)));
    worker.once('exit', (code) => reject(new Error(`the gap finder thread exited (${code})`)));
  });
}

/** The daily job: runs the gap finder when the last run is `everyHours` old (kept in the store, so restarts do not rerun it). */
export function createWantedJob(deps: {
  store: Pick<GlossaryStateStore, 'recentItemTexts' | 'recordGlossaryGaps' | 'glossaryGapsRunAt'>;
  /** The gap finder over the items (findWanted, or findWantedInThread in `scipop run`). */
  find(items: readonly ItemText[], top: number): Promise<FoundGap[]> | FoundGap[];
  settings: WantedSettings;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Runs after each run that recorded its findings (automatic drafts of the top terms). */
  after?: () => Promise<unknown>;
}): { runIfDue(now: number): Promise<boolean> } {
  const { store, settings, log } = deps;
  const everyMs = settings.everyHours * 3_600_000;
  let running = false;
  // Asked after every poll pass: the store is read again only once the last run it knew of is due.
  let notBefore = 0;
  return {
    async runIfDue(now) {
      if (running || now < notBefore) return false;
      running = true;
      try {
        const last = await store.glossaryGapsRunAt();
        if (last !== null && now - last < everyMs) {
          notBefore = last + everyMs;
          return false;
        }
        notBefore = now + everyMs;
        const t0 = Date.now();
        const items = await store.recentItemTexts(now - settings.days * 86_400_000, MAX_ITEMS);
        const found = await deps.find(items, settings.top);
        await store.recordGlossaryGaps(found, now);
        log.info(
          { items: items.length, terms: found.length, ms: Date.now() - t0 },
          'looked for terms the news uses and the glossary lacks (/term wanted lists them)',
        );
        await deps
          .after?.()
          .catch((error: unknown) =>
            log.warn({ err: errorMessage(error) }, 'the work after looking for wanted terms failed'),
          );
        return true;
      } catch (error) {
        notBefore = now + 3_600_000;
        log.warn({ err: errorMessage(error) }, 'could not look for wanted terms; trying again in an hour');
        return false;
      } finally {
        running = false;
      }
    },
  };
}
