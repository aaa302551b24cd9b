import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ChannelRulesSchema, compileRules } from '../../shared/curation';
import { DigestConfigSchema } from '../../shared/digest/config';
import { ChatLangSchema } from '../../shared/i18n/lang';
import { AiConfigSchema } from '../ai/config';
import { DashboardConfigSchema } from '../dashboard/config';
import { DiscordConfigSchema } from '../discord/config';
import { GlossaryConfigSchema } from '../glossary/config';
import { TelegramConfigSchema } from '../telegram/config';
import { errorMessage } from '../../shared/errors';

/** The curated list `npm start` uses when the store has no sources yet. */
export const DEFAULT_SOURCES_OPML = fileURLToPath(new URL('../sources/default-sources.opml', import.meta.url));

/** One destination: a chat/channel on a sink, with its curation rules. */
export const ChannelConfigSchema = z
  .object({
    id: z.string().regex(/^[\w:.-]+$/, 'must be letters, digits and : . _ -'),
    sink: z.string().min(1),
    /** Chat id (Telegram), channel id (Discord), or a label (console). */
    target: z.string().min(1),
    title: z.string().optional(),
    rules: ChannelRulesSchema.prefault({}),
    /** A digest of the channel's best stories, daily or weekly (docs/moderators.md, "Digests"). */
    digest: DigestConfigSchema.optional(),
    /**
     * The language the channel speaks: its posts' fixed words, the bots' replies, its terms'
     * explanations (docs/moderators.md, "Language"). Absent: the platform's (or English).
     */
    lang: ChatLangSchema.optional(),
  })
  .strict();
/** See {@link ChannelConfigSchema}. */
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;

/** The whole bot configuration. Every setting has a default, so an empty file is valid. */
export const ConfigSchema = z
  .object({
    sources: z
      .object({
        /** OPML imported when the store has no sources (first run); null to start empty. */
        seedOpml: z.string().nullable().default(DEFAULT_SOURCES_OPML),
        defaultIntervalMinutes: z.number().positive().default(10),
        /** Bounds for a feed's own `ttl` and the server's Cache-Control max-age. */
        minIntervalMinutes: z.number().positive().default(2),
        maxIntervalMinutes: z
          .number()
          .positive()
          .default(24 * 60),
        /** ± this fraction of the interval, so sources do not fetch in lockstep. */
        jitter: z.number().min(0).max(0.5).default(0.1),
        maxBackoffMinutes: z
          .number()
          .positive()
          .default(12 * 60),
        /** Consecutive failures after which a source is paused and moderators told. */
        pauseAfterFailures: z.number().int().positive().default(10),
        /** How many of the newest items a source's first fetch posts (0: none, so subscribing never floods). */
        firstFetchPosts: z.number().int().min(0).default(0),
        /**
         * Items their feed has not listed for this many days are forgotten (0: never), keeping the
         * store from growing forever. An item still in the feed's last copy is never forgotten.
         */
        forgetItemsAfterDays: z.number().int().min(0).default(90),
      })
      .strict()
      .prefault({}),
    fetch: z
      .object({
        timeoutSeconds: z.number().positive().default(20),
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).default(5),
        perHostConcurrency: z.number().int().positive().default(2),
        /** Feeds fetched and processed at once. */
        concurrency: z.number().int().positive().default(32),
        userAgent: z.string().optional(),
      })
      .strict()
      .prefault({}),
    delivery: z
      .object({
        /** A send that failed is retried with backoff up to this many attempts. */
        maxAttempts: z.number().int().positive().default(8),
        /** Destinations sent to at once (one send at a time per destination, in order). */
        channelConcurrency: z.number().int().positive().default(8),
        /** What to do with a row a crash left between send and mark: resend (never lose) or skip (never repeat). */
        inDoubt: z.enum(['resend', 'skip']).default('resend'),
        maxTerms: z.number().int().min(0).max(3).default(3),
      })
      .strict()
      .prefault({}),
    /** Several `scipop run` processes on one PostgreSQL store (see README, Deployment). */
    workers: z
      .object({
        /**
         * The longest a dead worker's destinations, roles and sources wait for another worker
         * (heartbeats come every quarter of it); its unrecorded sends are resolved by `delivery.inDoubt`.
         */
        leaseSeconds: z.number().min(1).max(3600).default(30),
      })
      .strict()
      .prefault({}),
    /** The Telegram bot (used when TELEGRAM_BOT_TOKEN is set). */
    telegram: TelegramConfigSchema.prefault({}),
    /** The Discord bot (used when DISCORD_BOT_TOKEN is set). */
    discord: DiscordConfigSchema.prefault({}),
    /** The community glossary: its name, editors, and how it is published (docs/living-glossary.md). */
    glossary: GlossaryConfigSchema.prefault({}),
    /** The moderators' dashboard, served on SCIPOP_HTTP_PORT (off without `baseUrl`; docs/operators.md). */
    dashboard: DashboardConfigSchema.prefault({}),
    /** The language model that writes first drafts of glossary entries (off without `baseUrl`). */
    ai: AiConfigSchema.prefault({}),
    channels: z.array(ChannelConfigSchema).prefault([{ id: 'console', sink: 'console', target: 'stdout' }]),
  })
  .strict();
/** See {@link ConfigSchema}. */
export type Config = z.infer<typeof ConfigSchema>;

/** A config problem: the file and one line per issue. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'config';
}

/** Validates a parsed config object, checking channel regexes too, and collects every problem. */
export function parseConfig(data: unknown, file = 'config'): Config {
  const parsed = ConfigSchema.safeParse(data ?? {});
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(problems.join('\n'));
  }
  const ids = new Set<string>();
  parsed.data.channels.forEach((channel, i) => {
    if (ids.has(channel.id)) problems.push(`${file}: channels.${i}.id: duplicate channel id "${channel.id}"`);
    ids.add(channel.id);
    const rules = compileRules(channel.rules);
    if (!rules.ok) for (const e of rules.errors) problems.push(`${file}: channels.${i}.rules.${e}`);
  });
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return parsed.data;
}

/**
 * The configuration without a file (`npm start`): every default, one console channel, and each
 * new source's newest item printed once, so a first start shows the network working. A config
 * file's own default is 0, so subscribing a real channel never floods it.
 */
export const NO_FILE_CONFIG = { sources: { firstFetchPosts: 1 } } as const;

/** Reads a YAML or JSON config file (JSON is YAML); no file means {@link NO_FILE_CONFIG}. */
export function loadConfig(file?: string): Config {
  if (!file) return parseConfig(NO_FILE_CONFIG);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML/JSON (${errorMessage(error).split('\n')[0]})`);
  }
  return parseConfig(data, file);
}
