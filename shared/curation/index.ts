export { ApprovalModeSchema, ChannelRulesSchema, PostingCapsSchema } from './rules';
export type { ApprovalMode, ChannelRules, ChannelRulesInput, PostingCaps } from './rules';
export { compileSafeRegex, MAX_PATTERN_LENGTH } from './regex';
export type { RegexResult, SafeRegex } from './regex';
export { capReached, compileRules, curate } from './curate';
export { describeFilters, editFilters, FILTER_KINDS, isFilterKind } from './filters';
export type { FilterKind } from './filters';
export type { CompiledRules, CurationItem, CurationSource, RulesResult, Verdict } from './curate';
