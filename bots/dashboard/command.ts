import { defineCommand, say } from '../platform/commands';
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
    if (!deps.dashboard) return ctx.reply(say(ctx, 'dashboard.off'));
    if (!ctx.user) return ctx.reply(say(ctx, 'dashboard.ownAccount', { dashboard: ctx.command('dashboard') }));
    const scope = await ctx.scope();
    const channels = managedOf(scope);
    if (!scope.actor.operator && channels.length === 0)
      return ctx.reply(say(ctx, 'dashboard.noChannel', { dashboard: ctx.command('dashboard') }));
    const url = await deps.dashboard.link({
      platform: ctx.platform,
      userId: ctx.user.id,
      name: ctx.user.name,
      operator: scope.actor.operator,
      channelIds: channels.map((c) => c.id),
    });
    const what = scope.actor.operator ? say(ctx, 'dashboard.everyChannel') : channels.map((c) => c.title).join(', ');
    const text = `${say(ctx, 'dashboard.link', { what, minutes: deps.dashboard.minutes })}\n${ctx.link(url)}`;
    // Telegram sends it to the member's private chat with the bot and tells the group where it went;
    // Discord's answers are private already.
    await ctx.reply({ text, privately: true });
  },
});
