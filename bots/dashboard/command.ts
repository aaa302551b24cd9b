import { defineCommand } from '../platform/commands';
import { managedOf } from '../tenancy/scope';

/**
 * `/dashboard`: a moderator gets a one-time sign-in link to the dashboard, privately. It grants
 * what they moderate as the platform says right now (shared/curation/roles.ts): every channel for
 * an operator; for a channel's moderators, the channels here they manage (a Telegram group they
 * administer, a Discord server where they have Manage Server).
 */
export const dashboardCommand = defineCommand({
  name: 'dashboard',
  description: 'cmd.dashboard',
  access: 'moderator',
  standalone: true,
  args: [],
  async run(ctx, _args, deps) {
    if (!deps.dashboard)
      return ctx.reply(
        'The dashboard is not served on this network yet: its operator sets dashboard.baseUrl (or SCIPOP_DASHBOARD_URL) and SCIPOP_HTTP_PORT.',
      );
    if (!ctx.user) return ctx.reply(`Send ${ctx.command('dashboard')} from your own account, not as the channel.`);
    const scope = await ctx.scope();
    const channels = managedOf(scope);
    if (!scope.actor.operator && channels.length === 0)
      return ctx.reply(
        `You moderate no channel here. Send ${ctx.command('dashboard')} in the chat or server you moderate.`,
      );
    const url = await deps.dashboard.link({
      platform: ctx.platform,
      userId: ctx.user.id,
      name: ctx.user.name,
      operator: scope.actor.operator,
      channelIds: channels.map((c) => c.id),
    });
    const what = scope.actor.operator
      ? 'every channel (you are a network operator)'
      : channels.map((c) => c.title).join(', ');
    const text = `Your dashboard sign-in link for ${what}. It works once, for ${deps.dashboard.minutes} minutes, and only for you: do not share it.\n${ctx.link(url)}`;
    // Telegram sends it to the member's private chat with the bot and tells the group where it went;
    // Discord's answers are private already.
    await ctx.reply({ text, privately: true });
  },
});
