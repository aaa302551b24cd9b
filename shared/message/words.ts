import type { ChatLang } from '../i18n/lang';
import { translate, type MessageKey, type MessageParams } from '../i18n/translate';
import type { Message, MessageTerm } from './message';

const primary = (lang: string) => lang.toLowerCase().split('-')[0] ?? '';

/** A fixed word of a post (`post.keyTerms`) in the language of the channel it goes to. */
export function postWord(message: Pick<Message, 'chatLang'>, key: MessageKey, params?: MessageParams): string {
  return translate(message.chatLang ?? 'en', key, params);
}

/**
 * What a post says after a term explained in another language than its channel's (a Chinese
 * channel's term with no Chinese entry yet, explained from the English one); null when none is due.
 */
export function fallbackNote(message: Pick<Message, 'chatLang'>, term: Pick<MessageTerm, 'lang'>): string | null {
  const lang: ChatLang = message.chatLang ?? 'en';
  if (lang === 'en' || primary(term.lang) === primary(lang)) return null;
  const of = translate(lang, primary(term.lang) === 'zh' ? 'lang.name.zh' : 'lang.name.en');
  return translate(lang, 'post.fallback', { lang: of });
}
