import type { Registry } from 'prom-client';
import type { LoadedPack } from '../../shared/glossary/load';
import type { AiSettings } from './config';
import { createDraftBudget, type DraftCounter } from './budget';
import { createDrafter, type Drafter } from './drafter';
import { entryProblems, entryProblemsInThread, relatedIdsIn } from './glossary-check';
import { createDraftMetrics } from './metrics';
import { createChatModel } from './model';

/** What a drafter for the network's glossary takes from the composition root. */
export interface GlossaryDrafterDeps {
  /** The glossary drafts are checked against (the bundled packs, plus the community's when there is one). */
  packs: () => readonly LoadedPack[];
  clock: { now(): Date };
  fetch?: typeof globalThis.fetch;
  registry?: Registry;
  /** Where the day's drafts are counted (the store, shared by the workers); else in this process. */
  counter?: DraftCounter;
  /** Runs the glossary checks in a worker thread (`scipop run`, which must go on answering meanwhile). */
  checkInThread?: boolean;
}

/** A drafter on the configured endpoint, with the settings' budgets and the glossary's checks. */
export function createGlossaryDrafter(settings: AiSettings, deps: GlossaryDrafterDeps): Drafter {
  const model = createChatModel({
    baseUrl: settings.baseUrl,
    model: settings.model,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    temperature: settings.temperature,
    timeoutMs: settings.timeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  // The name index is rebuilt only when the glossary changes (packs() returns a new array then),
  // not for every draft.
  let indexed: { packs: readonly LoadedPack[]; find: ReturnType<typeof relatedIdsIn> } | null = null;
  const namesOf = (packs: readonly LoadedPack[]) => {
    if (indexed?.packs !== packs) indexed = { packs, find: relatedIdsIn(packs) };
    return indexed.find;
  };
  return createDrafter({
    model,
    budget: createDraftBudget(settings.draftsPerDay, settings.concurrency, deps.counter),
    tokensPerDraft: settings.tokensPerDraft,
    maxAnswerTokens: settings.maxAnswerTokens,
    check: (entry, lang) =>
      deps.checkInThread ? entryProblemsInThread(deps.packs(), entry, lang) : entryProblems(deps.packs(), entry, lang),
    relatedIds: (names, lang) => namesOf(deps.packs())(names, lang),
    clock: deps.clock,
    ...(deps.registry ? { metrics: createDraftMetrics(deps.registry) } : {}),
  });
}
