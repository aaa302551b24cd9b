import { z } from 'zod';

const Snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits; Developer Mode → Copy ID)');

/** How one destination (a config channel with `sink: discord`) is posted to. */
export const DiscordDestinationSchema = z
  .object({
    /** In an announcement channel: publish each post to the servers that follow it. */
    crosspost: z.boolean().default(false),
    /** Post through a channel webhook named after the source, with its icon (needs Manage Webhooks). */
    webhook: z.boolean().default(false),
    /** Forum channels: field or hashtag (without #) → forum tag name, when the names differ. */
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();
/** See {@link DiscordDestinationSchema}. */
export type DiscordDestination = z.infer<typeof DiscordDestinationSchema>;

/** The `discord:` section of the config file (used when DISCORD_BOT_TOKEN is set). */
export const DiscordConfigSchema = z
  .object({
    /** Servers whose slash commands are registered at start; empty: every server the bot is in. */
    guilds: z.array(Snowflake).default([]),
    /** Also register the commands globally (they take up to an hour to appear everywhere). */
    globalCommands: z.boolean().default(false),
    /**
     * The network's operators on Discord: these users, and members carrying one of these roles
     * (in the server where they act), manage every source and channel. Everyone else with Manage
     * Server manages only that server's destinations (docs/moderators.md).
     */
    operators: z
      .object({ users: z.array(Snowflake).default([]), roles: z.array(Snowflake).default([]) })
      .strict()
      .prefault({}),
    /** Where the approval queue and notices (paused sources and destinations) go. */
    moderatorChannel: Snowflake.nullable().default(null),
    /** Per destination, by the config channel's id. */
    destinations: z.record(z.string(), DiscordDestinationSchema.prefault({})).default({}),
    /** Show the source's site icon (its /favicon.ico) beside its name. */
    sourceIcons: z.boolean().default(true),
    /** A 429 asking to wait longer than this goes back to the outbox instead of blocking delivery. */
    maxRetryAfterSeconds: z.number().int().positive().default(60),
    /** A paused destination is tried again after this long (a /scipop resume does it at once). */
    pausedRecheckMinutes: z.number().positive().default(60),
    /** How often held posts are looked for and shown in the moderators' channel. */
    queueSyncSeconds: z.number().positive().default(15),
    /**
     * Where earlier versions of SciPop kept the Discord state (paused destinations, queue posts,
     * webhooks); default beside SCIPOP_DB. Now read once, on start, into the store (which keeps it since).
     */
    stateFile: z.string().optional(),
  })
  .strict();
/** See {@link DiscordConfigSchema}. */
export type DiscordConfig = z.infer<typeof DiscordConfigSchema>;
