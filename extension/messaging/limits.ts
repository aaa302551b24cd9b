/** The longest selection an `explain` message may carry (the schema and the hand-written checks share it). */
export const MAX_EXPLAIN_TEXT = 2000;
