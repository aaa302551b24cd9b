import { CHAT_LANGS, parseChatLang, type ChatLang } from '../../shared/i18n/lang';
import { defineCommand, placeWord, say, sentences, textArg } from '../platform/commands';
import { targetsOf } from '../tenancy/scope';

/** A language as its own speakers name it, for replies. */
const langName = (ctx: { lang?: ChatLang }, lang: ChatLang) =>
  say(ctx, lang === 'en' ? 'lang.name.en' : 'lang.name.zh');

/**
 * `lang [en | zh-Hans]`: shows or sets the language of the destinations posting here: their posts'
 * fixed words and term explanations, and every reply of the bots here. A moderator sets it for the
 * destinations here they manage; the answer already speaks the new language.
 */
export const langCommand = defineCommand({
  name: 'lang',
  description: 'cmd.lang',
  access: 'moderator',
  args: [{ name: 'language', description: 'cmd.lang.language', kind: 'text', choices: CHAT_LANGS }],
  async run(ctx, args, deps) {
    const scope = await ctx.scope();
    const here = targetsOf(scope);
    if (here.length === 0) return ctx.reply(say(ctx, 'lang.notDestination', { place: placeWord(ctx) }));
    const typed = textArg(args, 'language');
    if (!typed) {
      const lines = here.map((c) => say(ctx, 'lang.current', { title: c.title, lang: langName(ctx, c.lang ?? 'en') }));
      return ctx.reply(
        [
          ...lines,
          say(ctx, 'lang.howTo', {
            en: ctx.command('lang', { language: 'en' }),
            zh: ctx.command('lang', { language: 'zh-Hans' }),
          }),
        ].join('\n'),
      );
    }
    const lang = parseChatLang(typed);
    if (!lang) return ctx.reply(say(ctx, 'lang.unknown', { value: ctx.quote(typed.slice(0, 40)) }));
    for (const c of here) await deps.store.upsertChannel({ ...c, lang }, deps.now());
    const live = (await deps.channelsChanged?.()) ?? false;
    ctx.lang = lang;
    const fromFile = here.some((c) => c.origin !== 'chat');
    await ctx.reply(
      sentences(ctx, [
        say(ctx, 'lang.set', { titles: here.map((c) => c.title).join(', '), lang: langName(ctx, lang) }),
        say(ctx, live ? 'lang.live' : 'lang.nextRestart'),
        ...(fromFile ? [say(ctx, 'lang.fromFile')] : []),
      ]),
    );
  },
});
