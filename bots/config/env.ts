import { z } from 'zod';

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim()));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * Everything the bots read from the environment, parsed once here and nowhere else. Secrets
 * (tokens) come only from here, never from the config file, and are never logged.
 */
export const EnvSchema = z.object({
  TELEGRAM_BOT_TOKEN: optionalText,
  DISCORD_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: optionalText.pipe(z.url({ error: 'TELEGRAM_API_ROOT must be a URL' }).optional()),
  DISCORD_API_BASE: optionalText.pipe(z.url({ error: 'DISCORD_API_BASE must be a URL' }).optional()),
  /** A SQLite file path, or `postgres://user@host:5432/db?schema=name` for the shared PostgreSQL store. */
  SCIPOP_DB: optionalText.transform((v) => v ?? './data/scipop.db'),
  SCIPOP_HTTP_PORT: optionalText
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number({ error: 'SCIPOP_HTTP_PORT must be a port number' }).int().min(0).max(65535).optional()),
  SCIPOP_ALLOW_PRIVATE_NETWORKS: flag,
  SCIPOP_LOG_LEVEL: optionalText.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  /**
   * Test-only failpoint: `after-send:N` kills the process with SIGKILL right after the Nth
   * successful send and before its mark, to test the crash window. Never set it in production.
   */
  SCIPOP_FAILPOINT: optionalText,
  /** The public address of the server on SCIPOP_HTTP_PORT, for dashboard sign-in links; overrides `dashboard.baseUrl`. */
  SCIPOP_DASHBOARD_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: 'SCIPOP_DASHBOARD_URL must be an http(s) URL' }).optional(),
  ),
  /** The OpenAI-compatible endpoint that drafts glossary entries; overrides `ai.baseUrl`. */
  SCIPOP_AI_BASE_URL: optionalText.pipe(z.url({ error: 'SCIPOP_AI_BASE_URL must be a URL' }).optional()),
  /** The model drafts are asked of; overrides `ai.model`. */
  SCIPOP_AI_MODEL: optionalText,
  /** The endpoint's API key: only ever from here, never from the config file, never logged. */
  SCIPOP_AI_API_KEY: optionalText,
});
/** The parsed environment, see {@link EnvSchema}. */
export type Env = z.infer<typeof EnvSchema>;

/** Parses the environment; a bad value is one line per problem naming the variable. */
export function parseEnv(env: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
}

/** The names of the secrets in the environment, for redacting logs. */
export const SECRET_ENV_KEYS = ['TELEGRAM_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'SCIPOP_AI_API_KEY'] as const;
