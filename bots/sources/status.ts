import { defineCommand, placeWord, say } from '../platform/commands';
import { heldFor, statusSourcesFor } from '../tenancy/services';

/**
 * `status`: the sources the actor's destinations use (operators: the network's) and their failures,
 * the outbox and approval queue (network totals for operators only), what this place receives, and
 * what only the platform knows (paused destinations, its own lines: `CommandContext.status`).
 */
export const statusCommand = defineCommand({
  name: 'status',
  description: 'cmd.status',
  access: 'moderator',
  args: [],
  async run(ctx, _args, deps) {
    const scope = await ctx.scope();
    const operator = scope.actor.operator;
    const here = scope.here.map((c) => c.channel);
    const tenancy = { store: deps.store, now: () => deps.now() };
    // An operator outside a destination sees the network's queue in the outbox line instead.
    const queueHere = !operator || here.length > 0;
    const [stats, sources, held, platform] = await Promise.all([
      deps.store.stats(),
      statusSourcesFor(tenancy, scope),
      queueHere ? heldFor(tenancy, scope, 1000) : [],
      ctx.status?.(scope),
    ]);
    const failing = sources.filter((s) => s.active && s.failures > 0);
    const paused = sources.filter((s) => !s.active).length;
    const lines = [
      say(ctx, operator ? 'status.sourcesAll' : 'status.sources', {
        which: platform?.sourcesHere ?? say(ctx, 'status.sources.here'),
        active: sources.length - paused,
        paused,
        failing: failing.length,
      }),
      ...failing.slice(0, 5).map((s) => `  • ${s.title}: ${s.lastError ?? say(ctx, 'status.error')} (×${s.failures})`),
      ...(operator
        ? [
            say(ctx, 'status.outbox', {
              pending: stats.deliveries.pending,
              sent: stats.deliveries.sent,
              failed: stats.deliveries.failed,
              held: stats.deliveries.held,
            }),
          ]
        : []),
      ...(queueHere ? [say(ctx, 'status.queueHere', { n: held.length })] : []),
      here.length
        ? say(ctx, 'status.receives', { place: placeWord(ctx), titles: here.map((c) => c.title).join(', ') })
        : say(ctx, 'status.notDestination', { place: placeWord(ctx) }),
      ...(platform?.paused ?? []).map((p) =>
        say(ctx, 'status.pausedDestination', { where: p.where, reason: p.reason }),
      ),
      ...(platform?.more ?? []),
    ];
    await ctx.reply(lines.join('\n'));
  },
});
