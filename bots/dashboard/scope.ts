import { managedChannels, type Actor } from '../../shared/curation';
import type { DashboardGrant } from '../store/dashboard-types';
import type { Store } from '../store/types';
import type { PlacedChannel, Scope } from '../tenancy/scope';

/**
 * A dashboard session's scope, for the tenancy services and roles every platform uses
 * (shared/curation/roles.ts): the actor is the signed-in moderator, and each channel is its own
 * place, so they manage exactly the channels their sign-in granted (operators: every channel).
 * `here` is every channel they manage: the dashboard shows them all at once.
 */
export async function dashboardScope(store: Pick<Store, 'listChannels'>, grant: DashboardGrant): Promise<Scope> {
  const actor: Actor = {
    platform: 'dashboard',
    userId: `${grant.platform}:${grant.userId}`,
    operator: grant.operator,
    places: grant.channelIds,
  };
  const all: PlacedChannel[] = (await store.listChannels()).map((channel) => ({
    id: channel.id,
    platform: 'dashboard',
    place: channel.id,
    channel,
  }));
  return { actor, here: managedChannels(actor, all), all };
}
