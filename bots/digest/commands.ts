import { renderPlainText } from '../../shared/message/plain-text';
import { defineCommand } from '../platform/commands';
import { managedOf, targetsOf } from '../tenancy/scope';
import { dueText, previewDigest } from './preview';

/**
 * `digest preview [CHANNEL]`: the next digest of this place's channels as it stands now, to the
 * moderator alone (a private answer), as the console sink would print it. An operator outside a
 * destination names the channel.
 */
export const digestCommand = defineCommand({
  name: 'digest',
  description: 'cmd.digest',
  access: 'moderator',
  args: [
    { name: 'action', description: 'cmd.digest.action', kind: 'text', required: true, choices: ['preview'] },
    { name: 'channel', description: 'cmd.digest.channel', kind: 'text' },
  ],
  async run(ctx, args, deps) {
    if (args.action !== 'preview') {
      await ctx.reply(`Try ${ctx.command('digest', { action: 'preview' })}.`);
      return;
    }
    const scope = await ctx.scope();
    const wanted = typeof args.channel === 'string' ? args.channel.trim() : '';
    const channels = wanted ? managedOf(scope).filter((c) => c.id === wanted) : targetsOf(scope);
    if (channels.length === 0) {
      await ctx.reply(
        wanted
          ? `No channel ${ctx.quote(wanted)} that you manage.`
          : `No channel posts into this ${ctx.placeName}: use it where the digest goes${scope.actor.operator ? `, or name the channel: ${ctx.command('digest', { action: 'preview', channel: 'CHANNEL-ID' })}` : ''}.`,
      );
      return;
    }
    const blocks: string[] = [];
    for (const channel of channels) {
      const p = await previewDigest(deps.store, channel, deps.now());
      const head = `Next digest for “${channel.title}”: due ${dueText(p.dueAt, p.config.timezone)}, ${p.stories === 1 ? '1 story' : `${p.stories} stories`} so far, ${p.parts.length === 1 ? '1 message' : `${p.parts.length} messages`}.`;
      const note = p.configured
        ? []
        : [
            'No digest is set for this channel: this is how a daily 08:00 UTC one would look (operators set `digest:` in its config).',
          ];
      blocks.push([head, ...note, '', ...p.parts.map(renderPlainText).join('\n\n— — —\n\n').split('\n')].join('\n'));
    }
    await ctx.reply({ text: blocks.join('\n\n'), privately: true });
  },
});
