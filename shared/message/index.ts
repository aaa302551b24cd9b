export {
  DigestLineSchema,
  DigestLinkSchema,
  DigestPartSchema,
  DigestSectionSchema,
  MessageSchema,
  MessageTermSchema,
} from './message';
export type { DigestLine, DigestLink, DigestPart, DigestSection, Message, MessageTerm } from './message';
export { createTermGlossary, pickTerms } from './terms';
export type { RankedTerm, TermGlossary, TermInfo } from './terms';
export { buildMessage, toHashtag } from './build';
export type { BuildMessageOptions, MessageItem, MessageSource } from './build';
export { renderPlainText } from './plain-text';
