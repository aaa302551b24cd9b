import { GlossaryInputError } from '../../shared/glossary/community/model';
import { FIELDS, longLimit, shortLimit } from '../../shared/glossary/schema';
import type { ChatForm } from '../platform/commands';
import { parseTermForm } from './term-form';

/**
 * `/term add TERM` guided one field at a time, where the platform lets a member answer a question
 * by replying to it (Telegram). Each question carries the answers so far, so the state lives in the
 * chat, not in a worker: whichever worker takes the reply goes on, and the member sees their entry
 * grow. Each answer is checked as it is given; a wrong one is asked again with the reason.
 */
const STEPS = [
  { key: 'short', ask: 'the short: one or two plain sentences that say what it is' },
  { key: 'long', ask: 'the long: a paragraph on why it matters and how it works' },
  { key: 'field', ask: `the field: one or more of ${FIELDS.join(', ')}` },
  { key: 'level', ask: 'the level: 1 (common), 2 (informed) or 3 (specialist)' },
  { key: 'source', ask: 'a source: a title and its https URL' },
  { key: 'aliases', ask: 'other names of the same thing, comma-separated, or "none"', optional: true },
] as const;

const HEADER = /^(?:⚠ [^\n]*\n)?Adding “(.+?)” to the glossary — step (\d+) of \d+\n/;

/** Which messages are the guided form's questions. */
export const GUIDED_QUESTION = /^(?:⚠ [^\n]*\n)?Adding “.+?” to the glossary — step \d+ of \d+\n/;

const HAN = /\p{Script=Han}/u;

/** The question for step `index` (0-based), with the answers so far and the last answer's problem. */
function question(term: string, index: number, lines: readonly string[], problem?: string): string {
  const step = STEPS[index]!;
  return [
    ...(problem ? [`⚠ ${problem}`] : []),
    `Adding “${term}” to the glossary — step ${index + 1} of ${STEPS.length}`,
    ...lines,
    '',
    `Reply to this message with ${step.ask}. Reply "cancel" to stop.`,
  ].join('\n');
}

/** The first question of a guided `/term add`. */
export function firstQuestion(term: string): string {
  return question(term, 0, []);
}

/** The problem with an answer to one step, or null when it can be used. */
export function checkAnswer(key: string, value: string, lang: string): string | null {
  if (key === 'short' && [...value].length > shortLimit(lang))
    return `short: too long (${[...value].length} > ${shortLimit(lang)}); say it in fewer words`;
  if (key === 'long' && [...value].length > longLimit(lang))
    return `long: too long (${[...value].length} > ${longLimit(lang)})`;
  if (/[<>]/.test(value)) return `${key}: plain text only, no markup`;
  try {
    parseTermForm([`${key}: ${value}`]);
    return null;
  } catch (error) {
    if (error instanceof GlossaryInputError) return error.message.split('\n')[0]!;
    throw error;
  }
}

/** What comes after an answer: the next question, the finished `/term add` input, or a stop. */
export type GuidedNext = { ask: string } | { done: string } | { cancelled: string };

/** Goes on from the question a member replied to, with their answer. */
export function answerGuided(asked: string, answer: string): GuidedNext {
  const head = HEADER.exec(asked);
  if (!head) throw new GlossaryInputError('that is not a question of /term add');
  const term = head[1]!;
  const index = Number(head[2]) - 1;
  const step = STEPS[index];
  if (!step)
    throw new GlossaryInputError('that question is from another version of SciPop; start again with /term add');
  // The answers so far are the key: value lines under the header.
  const lines = asked
    .slice(head[0].length)
    .split('\n')
    .filter((l) => /^[a-z]+: /.test(l));
  const value = answer.replace(/\s+/g, ' ').trim();
  if (/^cancel$/i.test(value)) return { cancelled: `Stopped adding “${term}”; nothing was stored.` };
  const skipped = 'optional' in step && /^(none|-|skip)$/i.test(value);
  const problem =
    skipped || value === ''
      ? value === ''
        ? `${step.key}: is empty`
        : null
      : checkAnswer(step.key, value, HAN.test(term) ? 'zh-Hans' : 'en');
  if (problem) return { ask: question(term, index, lines, problem) };
  const next = skipped ? lines : [...lines, `${step.key}: ${value}`];
  if (index + 1 < STEPS.length) return { ask: question(term, index + 1, next) };
  return { done: [`add ${term}`, ...next].join('\n') };
}

/** The five fields of a `/term add` form (Discord's modal); other names come later with /term edit. */
export function termForm(term: string): ChatForm {
  const lang = HAN.test(term) ? 'zh-Hans' : 'en';
  return {
    id: term.slice(0, 80),
    title: `Add “${term}”`.slice(0, 45),
    fields: [
      { name: 'short', label: 'Short: what it is, in a sentence or two', required: true, max: shortLimit(lang) },
      { name: 'long', label: 'Long: why it matters, how it works', long: true, required: true, max: longLimit(lang) },
      { name: 'field', label: 'Field(s)', required: true, placeholder: FIELDS.slice(0, 6).join(', ') + ', …' },
      { name: 'level', label: 'Level: 1 common, 2 informed, 3 specialist', required: true, max: 1 },
      { name: 'source', label: 'Source: a title and its https URL', required: true },
    ],
  };
}

/** A submitted `/term add` form: the `/term add` input, or every field's problem in plain words. */
export function submittedTermForm(
  term: string,
  values: Record<string, string>,
): { done: string } | { problems: string[] } {
  const lang = HAN.test(term) ? 'zh-Hans' : 'en';
  const lines: string[] = [];
  const problems: string[] = [];
  for (const { name } of termForm(term).fields) {
    const value = (values[name] ?? '').replace(/\s+/g, ' ').trim();
    const problem = value === '' ? `${name}: is empty` : checkAnswer(name, value, lang);
    if (problem) problems.push(problem);
    else lines.push(`${name}: ${value}`);
  }
  return problems.length > 0 ? { problems } : { done: [`add ${term}`, ...lines].join('\n') };
}
