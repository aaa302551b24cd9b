import { renderPlainText } from '../../shared/message/plain-text';
import { defineCommand, placeWord, say } from '../platform/commands';
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
      await ctx.reply(say(ctx, 'digest.try', { preview: ctx.command('digest', { action: 'preview' }) }));
      return;
    }
    const scope = await ctx.scope();
    const wanted = typeof args.channel === 'string' ? args.channel.trim() : '';
    const channels = wanted ? managedOf(scope).filter((c) => c.id === wanted) : targetsOf(scope);
    if (channels.length === 0) {
      await ctx.reply(
        wanted
          ? say(ctx, 'digest.noChannel', { channel: ctx.quote(wanted) })
          : scope.actor.operator
            ? say(ctx, 'digest.nothingHereOperator', {
                place: placeWord(ctx),
                example: ctx.command('digest', { action: 'preview', channel: 'CHANNEL-ID' }),
              })
            : say(ctx, 'digest.nothingHere', { place: placeWord(ctx) }),
      );
      return;
    }
    const blocks: string[] = [];
    for (const channel of channels) {
      const p = await previewDigest(deps.store, channel, deps.now());
      const head = say(ctx, 'digest.previewHead', {
        title: channel.title,
        due: dueText(p.dueAt, p.config.timezone),
        stories: say(ctx, 'digest.stories', { n: p.stories }),
        messages: say(ctx, 'digest.messages', { n: p.parts.length }),
      });
      const note = p.configured ? [] : [say(ctx, 'digest.notSet')];
      blocks.push([head, ...note, '', ...p.parts.map(renderPlainText).join('\n\n— — —\n\n').split('\n')].join('\n'));
    }
    await ctx.reply({ text: blocks.join('\n\n'), privately: true });
  },
});
