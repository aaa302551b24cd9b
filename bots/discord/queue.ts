import { withEdit } from '../curation/edits';
import { DiscordAPIError, Routes, type REST, type RepliableInteraction } from 'discord.js';
import { MessageSchema } from '../../shared/message/message';
import { queueButtons } from '../curation/queue-chat';
import type { QueuePlatform } from '../platform/commands';
import type { Delivery } from '../store/types';
import { heldFor } from '../tenancy/services';
import { buttonRows } from './buttons';
import { QUIET, type DiscordCommandDeps } from './context';
import { NO_MENTIONS, renderEmbed } from './render';

/** A queue post: the post as it would appear (with a moderator's edited summary), where it would go, and the buttons. */
async function queueMessage(deps: DiscordCommandDeps, row: Delivery, destination: string) {
  const parsed = MessageSchema.safeParse(row.message);
  const message = parsed.success ? withEdit(parsed.data, await deps.store.editedPost(row.id)) : undefined;
  const embed = message
    ? renderEmbed(message, { note: 'waiting for approval' }).embed
    : { description: `(unreadable post ${row.id})` };
  return {
    content: `Waiting for approval → ${destination}`,
    embeds: [embed],
    // Edit summary opens a form (a modal answers the button press).
    components: buttonRows(queueButtons(row.id, true)),
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
        body: await queueMessage(deps, row, names.get(row.channelId) ?? row.channelId),
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

/**
 * Discord's part of the neutral `/queue` (bots/curation/queue-chat.ts): operators count every
 * Discord destination's held posts and, with a moderators' channel, get them posted there; the
 * others see the oldest 5 here, each as its embed; a decision is written on the pressed post.
 */
export function discordQueue(
  interaction: RepliableInteraction,
  deps: DiscordCommandDeps,
  rest: REST | undefined,
): QueuePlatform {
  return {
    async held(scope) {
      // Operators see every Discord destination's queue; a server's moderators their server's, privately.
      if (!scope.actor.operator) return heldFor({ store: deps.store, now: deps.now ?? Date.now }, scope, 100);
      const discord = new Set((await deps.store.listChannels()).filter((c) => c.sink === 'discord').map((c) => c.id));
      return (await deps.store.heldDeliveries(null, 1000)).filter((d) => discord.has(d.channelId));
    },
    shown: 5,
    async elsewhere(scope, held) {
      const channel = deps.config.moderatorChannel;
      if (!channel || !scope.actor.operator || !rest) return null;
      const posted = await (deps.syncQueue ? deps.syncQueue() : syncQueue(rest, deps));
      return `${held} post(s) wait for approval in <#${channel}>${posted ? ` (${posted} just posted there)` : ''}.`;
    },
    async show(row) {
      const m = await queueMessage(deps, row, (await destinationsById(deps)).get(row.channelId) ?? row.channelId);
      await interaction.followUp({ ...QUIET, content: m.content, embeds: m.embeds, components: m.components });
    },
    deciders: '(Manage Server in its server)',
    // First, so the queue sync never reports this decision as made elsewhere.
    deciding: async (id) => void (await deps.state.closeQueuePost(id)),
    async decided({ approve, decided, row }) {
      if (!interaction.isButton()) return;
      const { user, message } = interaction;
      const verdict = decided
        ? `${approve ? '✅ Approved' : '🗑 Rejected'} by <@${user.id}> (${user.username})`
        : `Already decided${row?.decidedBy ? ` by ${describeDecider(row.decidedBy)}` : ''}: ${row?.status ?? 'gone'}.`;
      await interaction.update({
        content: `${message.content.replace(/^Waiting for approval/, decided ? 'Decided' : 'Waiting for approval')}\n${verdict}`,
        embeds: message.embeds.map((e) => e.toJSON()),
        components: [],
        allowedMentions: { parse: [] },
      });
    },
  };
}
