import { z } from 'zod';

/**
 * The `ai:` section of the config file: an OpenAI-compatible chat-completions endpoint (a local
 * Ollama, llama.cpp's server or vLLM, or a hosted API) that writes first drafts of glossary
 * entries. The key never lives here: it comes from SCIPOP_AI_API_KEY only.
 */
export const AiConfigSchema = z
  .object({
    /** The endpoint's base URL, up to and including `/v1` (e.g. `http://127.0.0.1:11434/v1` for Ollama). */
    baseUrl: z.url({ error: 'must be a URL such as http://127.0.0.1:11434/v1' }).optional(),
    /** The model name the endpoint knows (`llama3.1:8b`, `gpt-4o-mini`, …). */
    model: z.string().trim().min(1).optional(),
    temperature: z.number().min(0).max(2).default(0.3),
    /** Drafts started per day (UTC) by the network, the chat and automatic drafting together (counted in the store). */
    draftsPerDay: z.number().int().min(0).default(50),
    /** Tokens (prompt and answer, every attempt of one draft together) a draft may use. */
    tokensPerDraft: z.number().int().positive().default(6000),
    /** The longest answer asked for in one request. */
    maxAnswerTokens: z.number().int().positive().default(1500),
    /** Requests to the endpoint at once. */
    concurrency: z.number().int().positive().default(2),
    /** One request's time limit; retries (429, 5xx, time-outs) come on top, within the draft's budget. */
    timeoutSeconds: z.number().positive().default(60),
    /** Retries of one request after a 429, a 5xx or a time-out, with backoff (honouring retry-after). */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /**
     * The top this many wanted terms are drafted automatically after each run of the gap finder
     * (daily), with the news sentences that used them; 0 (the default) turns it off. Drafts wait
     * for an editor like any other; they count against `draftsPerDay`.
     */
    autoDraft: z.number().int().min(0).max(50).default(0),
  })
  .strict();
/** See {@link AiConfigSchema}. */
export type AiConfig = z.infer<typeof AiConfigSchema>;

/** What drafting needs to run: the endpoint, the model, the key, and the budgets. */
export interface AiSettings extends Omit<AiConfig, 'baseUrl' | 'model'> {
  baseUrl: string;
  model: string;
  /** From SCIPOP_AI_API_KEY; local servers need none. */
  apiKey?: string;
}

/** The environment variables that override the file (and carry the key). */
export interface AiEnv {
  SCIPOP_AI_BASE_URL?: string | undefined;
  SCIPOP_AI_MODEL?: string | undefined;
  SCIPOP_AI_API_KEY?: string | undefined;
}

/** How to set drafting up, for the commands to say when it is not. */
export const AI_NOT_CONFIGURED =
  'drafting is not set up: set ai.baseUrl and ai.model in the config file (or SCIPOP_AI_BASE_URL and SCIPOP_AI_MODEL), and SCIPOP_AI_API_KEY if the endpoint needs a key';

/** The drafting settings, or null when no endpoint or no model is configured. */
export function resolveAiSettings(config: AiConfig, env: AiEnv): AiSettings | null {
  const baseUrl = env.SCIPOP_AI_BASE_URL ?? config.baseUrl;
  const model = env.SCIPOP_AI_MODEL ?? config.model;
  if (!baseUrl || !model) return null;
  const { baseUrl: _b, model: _m, ...rest } = config;
  return { ...rest, baseUrl, model, ...(env.SCIPOP_AI_API_KEY ? { apiKey: env.SCIPOP_AI_API_KEY } : {}) };
}
