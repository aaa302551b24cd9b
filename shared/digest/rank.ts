// How a digest orders its stories. Documented for moderators in docs/moderators.md ("Digests").

/** The weights of {@link storyScore}. */
export const RANK_WEIGHTS = {
  /** Points for each source beyond the first that carried the story. */
  perExtraSource: 4,
  /** Points for a story published at the digest's time; halves every `halfLifeHours`. */
  recency: 2,
  halfLifeHours: 24,
} as const;

/** What ranking looks at in a (merged) story. */
export interface StoryFacts {
  /** How many different sources carried it. */
  sources: number;
  /** The glossary level of its most specialist explained term: 1 common, 2 informed, 3 specialist; 0 for none. */
  level: number;
  /** Hours from its newest publication to the digest's time (never negative). */
  ageHours: number;
}

/**
 * A story's rank: `4 × (sources − 1) + level + 2 × 0.5^(age / 24 h)`. A story two sources carried
 * outranks any single-source one of the same age; among those, specialist terms come first (a
 * digest is where the jargon-heavy news is worth a reader's minute); recency breaks the rest.
 */
export function storyScore(facts: StoryFacts): number {
  const age = Math.max(0, facts.ageHours);
  return (
    RANK_WEIGHTS.perExtraSource * Math.max(0, facts.sources - 1) +
    Math.max(0, facts.level) +
    RANK_WEIGHTS.recency * 0.5 ** (age / RANK_WEIGHTS.halfLifeHours)
  );
}
