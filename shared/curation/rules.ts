import { z } from 'zod';

/** Posting caps of one channel; a post over a cap waits for the next window instead of being dropped. */
export const PostingCapsSchema = z
  .object({
    perHour: z.number().int().positive().optional(),
    perDay: z.number().int().positive().optional(),
  })
  .strict();
/** See {@link PostingCapsSchema}. */
export type PostingCaps = z.infer<typeof PostingCapsSchema>;

/** Who must approve a post: sources not marked trusted (the default), every post, or nobody. */
export const ApprovalModeSchema = z.enum(['untrusted', 'all', 'none']);
/** See {@link ApprovalModeSchema}. */
export type ApprovalMode = z.infer<typeof ApprovalModeSchema>;

/**
 * What one channel receives. Empty lists mean "no restriction": a channel with no rules gets
 * every item of every source. Keywords match case-insensitively in the title, summary and
 * categories; regular expressions use RE2 syntax (linear time, no backreferences or lookaround).
 */
export const ChannelRulesSchema = z
  .object({
    /** Source ids or feed URLs; an item must come from one of them. */
    sources: z.array(z.string().min(1)).default([]),
    /** Source tags (fields); an item's source must carry one of them. */
    tags: z.array(z.string().min(1)).default([]),
    /** At least one must occur. */
    include: z.array(z.string().min(1)).default([]),
    /** None may occur. */
    exclude: z.array(z.string().min(1)).default([]),
    /** At least one must match (RE2 syntax, case-insensitive). */
    includeRegex: z.array(z.string().min(1)).default([]),
    /** None may match. */
    excludeRegex: z.array(z.string().min(1)).default([]),
    /** Language prefixes (`en`, `zh`); an item without a language passes. */
    langs: z.array(z.string().min(1)).default([]),
    /** Items published longer ago than this are not posted. */
    maxAgeHours: z.number().positive().optional(),
    caps: PostingCapsSchema.default({}),
    approval: ApprovalModeSchema.default('untrusted'),
  })
  .strict();
/** Parsed channel rules, see {@link ChannelRulesSchema}. */
export type ChannelRules = z.infer<typeof ChannelRulesSchema>;
/** Channel rules as written in a config file (defaults not yet applied). */
export type ChannelRulesInput = z.input<typeof ChannelRulesSchema>;
