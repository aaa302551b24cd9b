/** The longest selection an `explain` message may carry (the schema and the hand-written checks share it). */
export const MAX_EXPLAIN_TEXT = 2000;

/** The longest selection "Ask the community" sends: a few words, not a passage. */
export const MAX_ASK_CHARS = 80;

/** The most words "Ask the community" sends. */
export const MAX_ASK_WORDS = 6;
