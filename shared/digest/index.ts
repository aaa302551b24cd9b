export { buildDigest } from './build';
export type { BuildDigestOptions, Digest, DigestCandidate, DigestStory } from './build';
export { digestHeading, fieldHeading, fieldOf, OTHER_FIELD } from './headings';
export { RANK_WEIGHTS, storyScore } from './rank';
export type { StoryFacts } from './rank';
export { groupStories, linkKey, sameStory, titleTokens } from './similar';
export { digestMessages } from './split';
export type { DigestFits, DigestMessagesOptions } from './split';
