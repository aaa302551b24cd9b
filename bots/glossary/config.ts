import { z } from 'zod';

/** The community glossary's settings (`glossary:` in the config file); every one has a default. */
export const GlossaryConfigSchema = z
  .object({
    /** The community's name, shown by the extension as where an explanation comes from. */
    name: z.string().trim().min(1).max(80).default('SciPop community'),
    /** The license of the community's entries, stated in the published index and packs. */
    license: z.string().trim().min(1).default('CC-BY-SA-4.0'),
    /** How long subscribed readers wait before they check for a new revision. */
    checkAfterSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(900),
    /** Editors by platform id: `telegram:123456`, `discord:987654321098765432`. */
    editors: z.array(z.string().regex(/^[a-z]+:[^\s:]+$/, 'must be platform:id, e.g. telegram:123456')).default([]),
    /** Per platform, the chat (Telegram) or server (Discord) whose moderators are editors too. */
    editorsChats: z.record(z.string(), z.string()).default({}),
    /** How often a worker that did not make a change looks for one (it also looks after every poll cycle). */
    refreshSeconds: z.number().min(1).max(3600).default(10),
    /** Readers' requests for a term (POST …/glossary/v1/ask), which join the wanted list. */
    asks: z
      .object({
        enabled: z.boolean().default(true),
        /** Requests one client (by address) may make per UTC day. */
        perClientPerDay: z.number().int().min(1).default(20),
        /** Requests the whole network accepts per UTC day. */
        perDay: z.number().int().min(1).default(2000),
      })
      .strict()
      .prefault({}),
    /** The gap finder over the network's own news, run by the worker holding the maintenance role. */
    wanted: z
      .object({
        /** Off: only readers' requests fill the wanted list. */
        enabled: z.boolean().default(true),
        /** Items seen in the last this many days are read. */
        days: z.number().positive().max(90).default(7),
        /** How often it runs. */
        everyHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(24),
        /** Candidates kept per run. */
        top: z.number().int().min(1).max(500).default(50),
      })
      .strict()
      .prefault({}),
  })
  .strict();
/** See {@link GlossaryConfigSchema}. */
export type GlossaryConfig = z.infer<typeof GlossaryConfigSchema>;
