import { z } from 'zod';
import { SendLimitsSchema } from './limiter';

/** The `telegram:` section of the config file. */
export const TelegramConfigSchema = z
  .object({
    /** Telegram user ids that moderate every destination (and hear notices in private chat). */
    moderators: z.array(z.number().int()).default([]),
    /** Link previews under text posts, by default and per channel id. */
    linkPreviews: z.boolean().default(false),
    channelLinkPreviews: z.record(z.string(), z.boolean()).default({}),
    /** How long an answer of getChatMember is trusted. */
    adminCacheSeconds: z.number().positive().default(300),
    limits: SendLimitsSchema.prefault({}),
    /** A 429 asking to wait longer than this goes back to the outbox instead of blocking. */
    maxRetryAfterSeconds: z.number().int().positive().default(120),
    /** Receive updates by webhook instead of long polling. */
    webhook: z
      .object({ url: z.url(), port: z.number().int().min(1).max(65535), secretToken: z.string().optional() })
      .strict()
      .optional(),
    /**
     * Where earlier versions of SciPop kept the Telegram state (send journal, paused destinations);
     * default beside SCIPOP_DB. Now read once, on start, into the store (which keeps it since).
     */
    stateFile: z.string().optional(),
  })
  .strict();
/** See {@link TelegramConfigSchema}. */
export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;
