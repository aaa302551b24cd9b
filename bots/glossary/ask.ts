/**
 * Readers asking for a term (`POST /glossary/v1/ask` with `{ text, lang }`): the extension sends the
 * selected words and the language, nothing of the page. Only a few plain words are taken; each
 * client (by address, kept in memory only) and the whole worker have a daily limit.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { LangSchema } from '../../shared/glossary/schema';
import { PUBLISHED_BASE_PATH } from '../../shared/glossary/published';
import type { OpsRoute } from '../engine/http-server';
import type { GlossaryStateStore } from '../store/glossary-types';

/** The path of the ask endpoint, relative to the index (the index's `ask`). */
export const ASK_PATH = 'ask';

const MAX_BODY = 1024;
const WORDS = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’·.\- ]*$/u;

/** What a reader may send: a few plain words and a language, nothing else. */
export const AskSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'is empty')
      .max(60, 'is too long (at most 60 characters)')
      .refine((t) => WORDS.test(t), 'must be plain words (letters, digits, spaces, hyphens)')
      .refine((t) => t.split(/\s+/).length <= 5, 'must be a few words (at most 5)'),
    lang: LangSchema,
  })
  .strict();

const CORS = { 'access-control-allow-origin': '*', 'content-type': 'application/json' };

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The POST route; `now` in ms (the day's counters reset at UTC midnight). */
export function askRoute(
  store: Pick<GlossaryStateStore, 'askGlossaryTerm'>,
  limits: { perClientPerDay: number; perDay: number },
  now: () => number = Date.now,
): OpsRoute {
  let day = -1;
  let total = 0;
  const perClient = new Map<string, number>();
  return async (req, res, path) => {
    if (path !== `${PUBLISHED_BASE_PATH}${ASK_PATH}` || req.method !== 'POST') return false;
    const answer = (status: number, body: object) => res.writeHead(status, CORS).end(JSON.stringify(body));
    const today = Math.floor(now() / 86_400_000);
    if (today !== day) {
      day = today;
      total = 0;
      perClient.clear();
    }
    const client = req.socket.remoteAddress ?? 'unknown';
    const used = perClient.get(client) ?? 0;
    if (used >= limits.perClientPerDay || total >= limits.perDay) {
      answer(429, { ok: false, error: 'too many requests today; try again tomorrow' });
      return true;
    }
    const text = await readBody(req);
    let json: unknown = null;
    try {
      json = text === null ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    const parsed = AskSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'body';
      answer(400, { ok: false, error: text === null ? 'body too large' : `${where}: ${issue?.message ?? 'invalid'}` });
      return true;
    }
    perClient.set(client, used + 1);
    total++;
    await store.askGlossaryTerm(parsed.data.lang, parsed.data.text, now());
    answer(202, { ok: true });
    return true;
  };
}
