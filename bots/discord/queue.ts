import {
  ButtonStyle,
  MessageFlags,
  ComponentType,
  DiscordAPIError,
  Routes,
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  type REST,
} from 'discord.js';
import { MessageSchema } from '../../shared/message/message';
import type { Delivery } from '../store/types';
import { heldFor, mayDecide } from '../tenancy/services';
import type { Scope } from '../tenancy/scope';
import { answer, QUIET, type DiscordCommandDeps } from './context';
import { discordScope } from './scope';
import { NO_MENTIONS, renderEmbed } from './render';

/** Button ids: `scipop:q:a:<delivery>` approves, `scipop:q:r:<delivery>` rejects. */
export const QUEUE_BUTTON = /^scipop:q:([ar]):(.+)$/;

function buttons(id: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: `scipop:q:a:${id}` },
        { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Reject', custom_id: `scipop:q:r:${id}` },
      ],
    },
  ];
}

/** A queue post: the post as it would appear, where it would go, and the buttons. */
function queueMessage(row: Delivery, destination: string) {
  const parsed = MessageSchema.safeParse(row.message);
  const embed = parsed.success
    ? renderEmbed(parsed.data, { note: 'waiting for approval' }).embed
    : { description: `(unreadable post ${row.id})` };
  return {
    content: `Waiting for approval → ${destination}`,
    embeds: [embed],
    components: buttons(row.id),
    allowed_mentions: NO_MENTIONS,
  };
}

/** The destinations' display: the Discord channel when the destination is on Discord. */
async function destinationsById(deps: DiscordCommandDeps): Promise<Map<string, string>> {
  return new Map(
    (await deps.store.listChannels()).map((c) => [
      c.id,
      c.sink === 'discord' ? `<#${c.target.trim()}> (${c.title})` : `${c.title} (${c.sink})`,
    ]),
  );
}

/**
 * Shows every held post of a Discord destination in the moderators' channel, once each (the
 * store remembers which were shown, so neither a restart nor another worker repeats them). Returns how many it posted.
 */
export async function syncQueue(rest: REST, deps: DiscordCommandDeps): Promise<number> {
  const channel = deps.config.moderatorChannel;
  if (!channel) return 0;
  const names = await destinationsById(deps);
  const discord = (await deps.store.listChannels()).filter((c) => c.sink === 'discord');
  let posted = 0;
  for (const c of discord) {
    for (const row of await deps.store.heldDeliveries(c.id, 100)) {
      if (await deps.state.queuePost(row.id)) continue;
      const sent = (await rest.post(Routes.channelMessages(channel), {
        body: queueMessage(row, names.get(row.channelId) ?? row.channelId),
      })) as { id: string };
      await deps.state.recordQueuePost(
        { deliveryId: row.id, channelId: channel, messageId: sent.id },
        (deps.now ?? Date.now)(),
      );
      posted++;
    }
  }
  await closeDecidedElsewhere(rest, deps);
  return posted;
}

const describeDecider = (by: string | null) => (by ? by.replace(/^discord:(\d+)$/, '<@$1>') : 'someone');

/** Queue posts whose item was decided elsewhere (Telegram, the CLI, another queue post) lose their buttons and say so. */
async function closeDecidedElsewhere(rest: REST, deps: DiscordCommandDeps): Promise<void> {
  for (const post of await deps.state.openQueuePosts()) {
    const row = await deps.store.getDelivery(post.deliveryId);
    if (row?.status === 'held') continue;
    const verdict = !row
      ? 'No longer in the outbox.'
      : row.status === 'rejected'
        ? `🗑 Rejected by ${describeDecider(row.decidedBy)}`
        : `✅ Approved by ${describeDecider(row.decidedBy)}`;
    try {
      await rest.patch(Routes.channelMessage(post.channelId, post.messageId), {
        body: { content: `Decided elsewhere\n${verdict}`, components: [], allowed_mentions: NO_MENTIONS },
      });
    } catch (error) {
      if (!(error instanceof DiscordAPIError && (error.code === 10008 || error.code === 10003))) throw error; // message or channel deleted: nothing to close
    }
    await deps.state.closeQueuePost(post.deliveryId);
  }
}

/** `/scipop queue`: posts what is not shown yet, and answers with the count (or, without a moderators' channel, the posts themselves). */
export async function runQueueCommand(
  rest: REST,
  interaction: Parameters<typeof answer>[0],
  deps: DiscordCommandDeps,
  scope: Scope,
): Promise<void> {
  // Operators see every Discord destination's queue; a server's moderators their server's, privately.
  const discord = new Set((await deps.store.listChannels()).filter((c) => c.sink === 'discord').map((c) => c.id));
  const held = scope.actor.operator
    ? (await deps.store.heldDeliveries(null, 1000)).filter((d) => discord.has(d.channelId))
    : await heldFor({ store: deps.store, now: deps.now ?? Date.now }, scope, 100);
  if (held.length === 0) return answer(interaction, 'The approval queue is empty.');
  if (deps.config.moderatorChannel && scope.actor.operator) {
    const posted = await syncQueue(rest, deps);
    return answer(
      interaction,
      `${held.length} post(s) wait for approval in <#${deps.config.moderatorChannel}>${posted ? ` (${posted} just posted there)` : ''}.`,
    );
  }
  const names = await destinationsById(deps);
  await answer(interaction, `${held.length} post(s) wait for approval${held.length > 5 ? '; the oldest 5:' : ':'}`);
  for (const row of held.slice(0, 5)) {
    const m = queueMessage(row, names.get(row.channelId) ?? row.channelId);
    await interaction.followUp({ ...QUIET, content: m.content, embeds: m.embeds, components: m.components });
  }
}

/** An Approve / Reject click: re-checks the permission, decides, and edits the queue post to say who decided. */
export async function onQueueButton(interaction: ButtonInteraction, deps: DiscordCommandDeps): Promise<void> {
  const m = QUEUE_BUTTON.exec(interaction.customId);
  if (!m) return;
  const [, action, id] = m;
  const now = deps.now ?? Date.now;
  // Checked against the post's own channel: a component id replayed or forged in another server
  // (where the presser has Manage Server) must not reach this community's queue.
  const scope = await discordScope(interaction, deps);
  if (!(await mayDecide({ store: deps.store, now }, scope, id!))) {
    await interaction.reply({
      ...QUIET,
      flags: MessageFlags.Ephemeral,
      content: 'Only this post’s channel moderators (Manage Server in its server) can decide on it.',
    });
    return;
  }
  await deps.state.closeQueuePost(id!); // first, so the queue sync never reports this decision as made elsewhere
  const decided = await deps.store.decideDelivery(
    id!,
    action === 'a' ? 'approve' : 'reject',
    `discord:${interaction.user.id}`,
    now(),
  );
  const row = await deps.store.getDelivery(id!);
  const verdict = decided
    ? `${action === 'a' ? '✅ Approved' : '🗑 Rejected'} by <@${interaction.user.id}> (${interaction.user.username})`
    : `Already decided${row?.decidedBy ? ` by ${row.decidedBy.replace(/^discord:(\d+)$/, '<@$1>')}` : ''}: ${row?.status ?? 'gone'}.`;
  const embeds = interaction.message.embeds.map((e) => e.toJSON());
  await interaction.update({
    content: `${interaction.message.content.replace(/^Waiting for approval/, decided ? 'Decided' : 'Waiting for approval')}\n${verdict}`,
    embeds,
    components: [],
    allowedMentions: { parse: [] },
  });
  deps.log.info(
    { delivery: id, decision: action === 'a' ? 'approve' : 'reject', by: interaction.user.id, decided },
    'queue decision',
  );
}
