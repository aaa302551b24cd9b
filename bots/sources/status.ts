import { defineCommand } from '../platform/commands';
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
      `Sources${operator ? '' : ` ${platform?.sourcesHere ?? 'used here'}`}: ${sources.length - paused} active, ${paused} paused, ${failing.length} failing`,
      ...failing.slice(0, 5).map((s) => `  • ${s.title}: ${s.lastError ?? 'error'} (×${s.failures})`),
      ...(operator
        ? [
            `Outbox: ${stats.deliveries.pending} waiting, ${stats.deliveries.sent} sent, ${stats.deliveries.failed} failed; approval queue: ${stats.deliveries.held}`,
          ]
        : []),
      ...(queueHere ? [`Approval queue here: ${held.length}`] : []),
      here.length
        ? `This ${ctx.placeName} receives: ${here.map((c) => c.title).join(', ')}`
        : `This ${ctx.placeName} is not a SciPop destination.`,
      ...(platform?.paused ?? []).map((p) => `Paused destination ${p.where}: ${p.reason}`),
      ...(platform?.more ?? []),
    ];
    await ctx.reply(lines.join('\n'));
  },
});
