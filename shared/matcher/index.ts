import { createMatcher } from './find';
import { deserializeMatcher } from './serialize';
import type { Matcher } from './types';

export { compileMatcher, compileMatcherData } from './compile';
export { createMatcher } from './find';
export { STANDALONE_ACRONYMS, formNeedsContext, isShortAcronym } from './context';
export { encodeBase64, decodeBase64 } from './base64';
export { SERIALIZED_VERSION } from './serialize';
export type { CompileOptions, FindOptions, Match, Matcher, MatcherData, MatcherEntry } from './types';

/** A matcher from its serialized form (serialize()), without compiling anything. */
export function loadMatcher(bytes: Uint8Array): Matcher {
  return createMatcher(deserializeMatcher(bytes));
}
