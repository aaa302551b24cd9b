import { ChannelType, type ChatInputCommandInteraction } from 'discord.js';
import { ApprovalModeSchema } from '../../shared/curation';
import { chatLangOf, type ChatLang } from '../../shared/i18n/lang';
import { translate, type MessageKey, type MessageParams } from '../../shared/i18n/translate';
import { sentences } from '../platform/commands';
import { answer, channelsHere, option, type DiscordCommandDeps } from './context';

/** Channel kinds a destination can be (text, announcement, forum, threads). */
const POSTABLE = new Set<number>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

const applied = (lang: ChatLang, live: boolean) => translate(lang, live ? 'dc.applied.now' : 'dc.applied.restart');

/**
 * `/scipop subscribe [tags] [approval]`: makes the channel where it is typed a destination (a
 * `chat` channel in the store, which config-file syncs leave alone); `/scipop unsubscribe` undoes it.
 */
export async function runSubscribeCommand(
  sub: 'subscribe' | 'unsubscribe',
  interaction: ChatInputCommandInteraction,
  deps: DiscordCommandDeps,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const here = await channelsHere(deps, interaction.channelId);
  // A new destination speaks its server's language (Discord's guild locale) until a moderator's /lang.
  const lang = here.length > 0 ? (here.find((c) => c.lang)?.lang ?? 'en') : chatLangOf(interaction.guildLocale);
  const t = (key: MessageKey, params?: MessageParams) => translate(lang, key, params);
  if (sub === 'unsubscribe') {
    const mine = here.filter((c) => c.origin === 'chat');
    if (mine.length === 0) {
      return answer(interaction, t(here.length ? 'dc.unsubscribe.fromFile' : 'dc.unsubscribe.none'));
    }
    for (const c of mine) await deps.store.removeChannel(c.id);
    return answer(
      interaction,
      sentences({ lang }, [t('dc.unsubscribe.done'), applied(lang, (await deps.channelsChanged?.()) ?? false)]),
    );
  }
  const type = interaction.channel?.type;
  if (type !== undefined && !POSTABLE.has(type)) return answer(interaction, t('dc.subscribe.notPostable'));
  if (here.length > 0)
    return answer(interaction, t('dc.subscribe.already', { titles: here.map((c) => c.title).join(', ') }));
  const approval = ApprovalModeSchema.safeParse(option(interaction, 'approval') || 'untrusted');
  if (!approval.success) return answer(interaction, t('dc.subscribe.badApproval'));
  const tags = option(interaction, 'tags')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => t.replace(/^#/, '').toLowerCase());
  const name =
    interaction.channel && 'name' in interaction.channel && interaction.channel.name
      ? `#${interaction.channel.name}`
      : interaction.channelId;
  await deps.store.upsertChannel(
    {
      id: `discord-${interaction.channelId}`,
      sink: 'discord',
      target: interaction.channelId,
      title: name,
      rules: { tags, approval: approval.data },
      origin: 'chat',
      lang,
    },
    now(),
  );
  const live = (await deps.channelsChanged?.()) ?? false;
  const what = tags.length ? t('dc.subscribe.tagged', { tags: tags.join(', ') }) : t('dc.subscribe.every');
  const queue =
    approval.data === 'none'
      ? []
      : [t(approval.data === 'all' ? 'dc.subscribe.queueAll' : 'dc.subscribe.queueUntrusted')];
  await answer(interaction, sentences({ lang }, [t('dc.subscribe.done', { what }), ...queue, applied(lang, live)]));
}
