import { errorMessage } from '../../shared/errors';
import { GlossaryEntrySchema, type GlossaryEntry } from '../../shared/glossary/schema';
import type { DraftBudget } from './budget';
import { checkFirst } from './check-first';
import type { ChatModel } from './model';
import {
  DraftAnswerSchema,
  draftMessages,
  fixMessage,
  repairMessage,
  type ChatMessage,
  type DraftRequest,
} from './prompt';

/** A draft the model wrote: the whole entry, what the checks still find, and what to check first. */
export interface Draft {
  ok: true;
  entry: GlossaryEntry;
  lang: DraftRequest['lang'];
  /** The glossary checks' problems left after the model's one chance to fix them (plain words). */
  problems: string[];
  /** Problems the first answer had (empty when it passed first time). */
  firstProblems: string[];
  /** The model's name, for the review card ("AI draft, <model>"). */
  model: string;
  /** Numbers, dates, superlatives and the (unverified) sources, for the editor. */
  checkFirst: string[];
  /** Related names the model gave that no entry of the glossary has. */
  unknownRelated: string[];
  tokens: number;
  requests: number;
  seconds: number;
}

/** A draft that could not be made, with the reason in plain words; nothing partial is kept. */
export interface FailedDraft {
  ok: false;
  reason: string;
  model: string;
  tokens: number;
  requests: number;
  seconds: number;
}

/** Counts for /metrics. */
export interface DraftMetrics {
  drafted(outcome: 'ok' | 'problems' | 'failed', seconds: number, tokens: { prompt: number; answer: number }): void;
}

/** What {@link createDrafter} needs. */
export interface DrafterDeps {
  model: ChatModel;
  budget: DraftBudget;
  tokensPerDraft: number;
  maxAnswerTokens: number;
  /** The glossary lint and quality checks for one entry of a language, as plain-word problems. */
  check(entry: GlossaryEntry, lang: string): string[] | Promise<string[]>;
  /** The ids of existing entries with these names in a language; names not found are left out. */
  relatedIds(names: readonly string[], lang: string): { ids: string[]; unknown: string[] };
  clock: { now(): Date };
  metrics?: DraftMetrics;
}

/** Writes drafts of glossary entries. Never publishes anything: the caller stores a draft for review. */
export interface Drafter {
  draft(request: DraftRequest): Promise<Draft | FailedDraft>;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** The JSON object in an answer: the whole text, or the object inside a code fence or prose. */
function parseAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1] ?? text;
  const start = fenced.indexOf('{');
  const end = fenced.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('no JSON object in the answer');
  return JSON.parse(fenced.slice(start, end + 1));
}

/**
 * Drafts an entry: asks the model (JSON schema, JSON mode or text, whatever the server takes),
 * validates the answer with zod (one repair request when it does not parse or fit), runs the
 * glossary checks, and gives the model one chance to fix what they find. Budgets: the day's drafts,
 * the tokens of one draft over every request, requests at once (with the client's retries and
 * time-outs within them).
 */
export function createDrafter(deps: DrafterDeps): Drafter {
  return {
    async draft(request) {
      const started = deps.clock.now();
      let tokens = 0;
      let promptTokens = 0;
      let requests = 0;
      const finish = <T extends Draft | FailedDraft>(
        result: Omit<T, 'model' | 'tokens' | 'requests' | 'seconds'>,
      ): T => {
        const seconds = (deps.clock.now().getTime() - started.getTime()) / 1000;
        const out = { ...result, model: deps.model.name, tokens, requests, seconds } as T;
        deps.metrics?.drafted(!out.ok ? 'failed' : out.problems.length > 0 ? 'problems' : 'ok', seconds, {
          prompt: promptTokens,
          answer: tokens - promptTokens,
        });
        return out;
      };
      if (!(await deps.budget.takeDraft(started))) {
        return finish<FailedDraft>({
          ok: false,
          reason: 'today’s drafts are used up (ai.draftsPerDay); try again tomorrow',
        });
      }
      const messages: ChatMessage[] = draftMessages(request);
      let repaired = false;
      let fixed = false;
      let firstProblems: string[] | null = null;
      for (;;) {
        const left = deps.tokensPerDraft - tokens;
        if (left <= 0)
          return finish<FailedDraft>({ ok: false, reason: `over the draft’s token budget (${deps.tokensPerDraft})` });
        let answer;
        try {
          requests++;
          answer = await deps.budget.slot(() =>
            deps.model.complete(messages, { maxTokens: Math.min(deps.maxAnswerTokens, left) }),
          );
        } catch (error) {
          return finish<FailedDraft>({ ok: false, reason: `the model did not answer: ${errorMessage(error)}` });
        }
        tokens += answer.promptTokens + answer.answerTokens;
        promptTokens += answer.promptTokens;
        let entry: GlossaryEntry;
        let unknownRelated: string[];
        try {
          ({ entry, unknownRelated } = toEntry(answer.text, request, deps));
        } catch (error) {
          const reason = errorMessage(error);
          if (repaired)
            return finish<FailedDraft>({ ok: false, reason: `the answer does not fit a glossary entry: ${reason}` });
          repaired = true;
          messages.push({ role: 'assistant', content: answer.text.slice(0, 4000) }, repairMessage(reason));
          continue;
        }
        let problems: string[];
        try {
          problems = await deps.check(entry, request.lang);
        } catch (error) {
          return finish<FailedDraft>({ ok: false, reason: `the glossary checks did not run: ${errorMessage(error)}` });
        }
        firstProblems ??= problems;
        if (problems.length > 0 && !fixed) {
          fixed = true;
          messages.push({ role: 'assistant', content: answer.text.slice(0, 4000) }, fixMessage(problems));
          continue;
        }
        return finish<Draft>({
          ok: true,
          entry,
          lang: request.lang,
          problems,
          firstProblems,
          checkFirst: checkFirst(entry),
          unknownRelated,
        });
      }
    },
  };
}

function toEntry(
  text: string,
  request: DraftRequest,
  deps: DrafterDeps,
): { entry: GlossaryEntry; unknownRelated: string[] } {
  let json: unknown;
  try {
    json = parseAnswer(text);
  } catch (error) {
    throw new Error(`not valid JSON (${errorMessage(error)})`);
  }
  const answer = DraftAnswerSchema.safeParse(json);
  if (!answer.success) {
    throw new Error(
      answer.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
        .join('; '),
    );
  }
  const a = answer.data;
  const term = a.term.trim();
  const aliases = [...new Set(a.aliases.map((s) => s.trim()).filter((s) => s && s !== term))];
  const { ids, unknown } = deps.relatedIds(a.related, request.lang);
  const parsed = GlossaryEntrySchema.safeParse({
    id: request.id ?? (slug(a.id) || slug(request.term)),
    term,
    aliases,
    fields: [...new Set(a.fields)],
    level: a.level,
    short: a.short,
    long: a.long,
    related: ids,
    sources: a.sources,
  });
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  return { entry: parsed.data, unknownRelated: unknown };
}
