import { z } from 'zod';

/** The languages a community channel can speak: its posts' fixed words, the bots' replies, its terms' explanations. */
export const CHAT_LANGS = ['en', 'zh-Hans'] as const;

/** See {@link CHAT_LANGS}. */
export const ChatLangSchema = z.enum(CHAT_LANGS, {
  error: (issue) => `unknown language ${JSON.stringify(issue.input)}: use "en" or "zh-Hans"`,
});
/** See {@link CHAT_LANGS}. */
export type ChatLang = z.infer<typeof ChatLangSchema>;

/** The language a channel speaks when nobody chose one and the platform said nothing. */
export const DEFAULT_CHAT_LANG: ChatLang = 'en';

/**
 * The channel language for a platform's locale or language code: every Chinese one (`zh`, `zh-CN`,
 * `zh-TW`, `zh-hans`, `zh-Hant-HK`) is `zh-Hans`, the one Chinese the catalogue and glossary are
 * written in; anything else, or nothing, is English.
 */
export function chatLangOf(locale: string | null | undefined): ChatLang {
  return /^zh(?:[-_]|$)/i.test((locale ?? '').trim()) ? 'zh-Hans' : 'en';
}

/** A stored or typed value as a channel language (`zh`, `ZH-hans`, `中文` are zh-Hans), or null when it names none. */
export function parseChatLang(value: unknown): ChatLang | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (/^(?:en|en-[a-z]{2}|english|英文|英语)$/i.test(v)) return 'en';
  if (/^(?:zh(?:-hans|-cn|-sg)?|chinese|中文|简体中文|汉语)$/i.test(v)) return 'zh-Hans';
  return null;
}
