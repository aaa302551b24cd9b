import type { z } from 'zod';
import { charLength, type Problem } from './problems';
import { GlossaryPackSchema, longLimit, shortLimit, type GlossaryPack } from './schema';
import { errorMessage } from '../errors';

/** A parse result: the value, or every problem found (never just the first). */
export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** A pack together with the file it came from, as the lint rules and the CLI see it. */
export interface LoadedPack {
  file: string;
  pack: GlossaryPack;
}

function zodProblems(file: string, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ file, path: issue.path, message: describeIssue(issue) }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is required (${issue.expected})`;
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/**
 * Validates a pack read from JSON. Every schema problem is collected, then the length limits of
 * the pack's language are checked, so one run of lint shows the author all that is wrong.
 */
export function parsePack(json: unknown, file: string): Result<GlossaryPack> {
  const parsed = GlossaryPackSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: zodProblems(file, parsed.error) };
  const pack = parsed.data;
  const problems: Problem[] = [];
  const maxShort = shortLimit(pack.lang);
  const maxLong = longLimit(pack.lang);
  pack.entries.forEach((entry, i) => {
    const short = charLength(entry.short);
    if (short > maxShort)
      problems.push({ file, path: ['entries', i, 'short'], message: `too long (${short} > ${maxShort})` });
    const long = charLength(entry.long);
    if (long > maxLong)
      problems.push({ file, path: ['entries', i, 'long'], message: `too long (${long} > ${maxLong})` });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: pack };
}

/** Parses the text of a pack file; bad JSON is one problem with the parser's own position. */
export function parsePackText(text: string, file: string): Result<GlossaryPack> {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, problems: [{ file, path: [], message: `not valid JSON (${errorMessage(error)})` }] };
  }
  return parsePack(json, file);
}
