import { z } from 'zod';

/** Whether the runtime knows an IANA time zone name (`Asia/Shanghai`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The days a weekly digest can go out on. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/**
 * A channel's digest: `every` day (or week, on `day`) `at` a local time in `timezone`, the best
 * `size` stories since the last one. `digest-only` sends nothing else to the channel; `also-live`
 * posts as usual and sends the digest on top.
 */
export const DigestConfigSchema = z
  .object({
    every: z.enum(['daily', 'weekly']).default('daily'),
    /** The weekday of a weekly digest. */
    day: z.enum(WEEKDAYS).default('monday'),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time as HH:MM, such as "08:00"')
      .default('08:00'),
    timezone: z
      .string()
      .default('UTC')
      .refine(isTimeZone, {
        error: (issue) =>
          `unknown time zone ${JSON.stringify(issue.input)}: use an IANA name such as "Asia/Shanghai", "Europe/Berlin" or "UTC"`,
      }),
    size: z.number().int().min(1).max(50).default(10),
    mode: z.enum(['digest-only', 'also-live']).default('digest-only'),
  })
  .strict();
/** See {@link DigestConfigSchema}. */
export type DigestConfig = z.infer<typeof DigestConfigSchema>;
