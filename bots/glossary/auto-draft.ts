import { errorMessage } from '../../shared/errors';
import type { Drafter } from '../ai/drafter';
import { wantedKey } from '../store/glossary-types';
import type { CommunityGlossary } from './community';
import { AI_DRAFT_NOTE } from './term-commands';

/** Who an automatic draft is by: the model, proposing as a moderator would (it can never approve). */
const autoActor = (model: string) => ({
  platform: 'ai',
  id: model,
  name: `AI draft (${model})`,
  role: 'moderator' as const,
});

/**
 * Drafts the top `count` wanted terms with the language model, the news sentences that used each
 * as the prompt's data, and stores each as a draft for editors to review (`/term review`); nothing
 * is published. Terms already explained, claimed by an editor, or with a draft waiting are left
 * alone, so a run never drafts a term twice. Returns how many drafts were stored.
 */
export async function autoDraftWanted(deps: {
  glossary: CommunityGlossary;
  drafter: Drafter;
  count: number;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}): Promise<number> {
  const { glossary, drafter, count, log } = deps;
  if (count <= 0) return 0;
  const waiting = new Set((await glossary.drafts()).map((r) => `${r.lang}:${wantedKey(r.entry?.term ?? r.entryId)}`));
  let stored = 0;
  let tried = 0;
  for (const w of await glossary.wanted(count * 5)) {
    if (tried >= count) break;
    if (w.claimedBy || waiting.has(`${w.lang}:${wantedKey(w.term)}`) || (await glossary.findLive(w.term, w.lang)))
      continue;
    tried++;
    const draft = await drafter.draft({
      term: w.term,
      lang: w.lang === 'zh-Hans' ? 'zh-Hans' : 'en',
      examples: w.examples.map((e) => ({ text: e.text, ...(e.link ? { url: e.link } : {}) })),
    });
    if (!draft.ok) {
      log.warn({ term: w.term, lang: w.lang, reason: draft.reason }, 'no automatic draft of a wanted term');
      continue;
    }
    const actor = autoActor(draft.model);
    try {
      await glossary.propose(
        actor,
        actor.role,
        [{ lang: w.lang, entry: draft.entry }],
        `${AI_DRAFT_NOTE} ${draft.model}, from the wanted list`,
      );
      stored++;
    } catch (error) {
      log.warn({ term: w.term, err: errorMessage(error) }, 'could not store an automatic draft');
    }
  }
  if (tried > 0) log.info({ drafted: stored, tried }, 'drafted wanted terms for editors to review (/term review)');
  return stored;
}
