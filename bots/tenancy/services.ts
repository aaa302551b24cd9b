import type { ChatLang } from '../../shared/i18n/lang';
import { translate, type MessageKey, type MessageParams } from '../../shared/i18n/translate';
import type { Delivery, NewSource, Source, Store, Subscription } from '../store/types';
import { managedOf, targetsOf, type Scope } from './scope';

/**
 * The moderator commands' logic, platform-neutral: each takes the scope (who acts, where) and
 * returns what to tell them. Operators act on the network; a channel's moderators act on the
 * subscriptions of the channels here they manage, never on another community's.
 */
export interface TenancyDeps {
  store: Store;
  now: () => number;
}

/** Up to this many sources a channel's list reads one by one; more, the network's list at once. */
const FEW_SOURCES = 200;

/** A source as a moderator sees it: with this channel's subscription, when they are not an operator. */
export interface SourceView {
  source: Source;
  /** The subscription of the actor's channel (null: operators' network-wide view). */
  subscription: Subscription | null;
  /** How many channels subscribe to it (operators only; null otherwise). */
  subscribers: number | null;
}

/**
 * `/sources`: an operator outside a destination sees every source; anyone in a destination sees
 * what it receives (its subscriptions), and nothing of other channels.
 */
export async function sourcesFor(deps: TenancyDeps, scope: Scope): Promise<SourceView[]> {
  if (scope.actor.operator && targetsOf(scope).length === 0) {
    const subs = await deps.store.listSubscriptions();
    // Counted in one pass: a network of 10,000 sources must not scan every subscription per source.
    const counts = new Map<string, number>();
    for (const s of subs) if (s.pausedReason === null) counts.set(s.sourceId, (counts.get(s.sourceId) ?? 0) + 1);
    return (await deps.store.listSources()).map((source) => ({
      source,
      subscription: null,
      subscribers: counts.get(source.id) ?? 0,
    }));
  }
  // The channels here and their subscriptions only: a channel of a big network reads its own
  // sources, not the network's (one by one while few, else the whole list once).
  const subs = (await Promise.all(scope.here.map((c) => deps.store.listSubscriptions({ channelId: c.id })))).flat();
  const ids = [...new Set(subs.map((s) => s.sourceId))];
  const found =
    ids.length <= FEW_SOURCES
      ? (await Promise.all(ids.map((id) => deps.store.getSource(id)))).filter((x): x is Source => x !== undefined)
      : await deps.store.listSources();
  const sources = new Map(found.map((s) => [s.id, s]));
  return subs
    .filter((s) => sources.has(s.sourceId))
    .map((s) => ({ source: sources.get(s.sourceId)!, subscription: s, subscribers: null }));
}

/** Finds a source by id, id suffix or URL among those the actor can see; a string is the answer instead. */
export async function findSourceFor(
  deps: TenancyDeps,
  scope: Scope,
  ref: string,
  lang: ChatLang = 'en',
): Promise<Source | string> {
  if (!ref) return translate(lang, 'sources.whichPlain');
  const visible = scope.actor.operator
    ? await deps.store.listSources()
    : (await sourcesFor(deps, scope)).map((v) => v.source);
  const exact = visible.find((s) => s.id === ref || s.url === ref);
  if (exact) return exact;
  const matches = visible.filter((s) => s.id.endsWith(ref));
  if (matches.length === 1) return matches[0]!;
  return matches.length > 1
    ? translate(lang, 'sources.ambiguous', { ref, n: matches.length })
    : translate(lang, 'sources.notHere', { ref });
}

/** What an add did. */
export interface AddResult {
  source: Source;
  created: boolean;
  /** Titles of the channels here that receive it from now on (not those that already did). */
  subscribed: string[];
}

/**
 * `/add URL`: subscribes the channels here the actor manages, creating the source if the network
 * lacks it. An operator's new source also goes to every channel whose rules select it; a channel
 * moderator's only to their channel.
 */
export async function addFor(
  deps: TenancyDeps,
  scope: Scope,
  input: NewSource,
  existing: Source | undefined,
): Promise<AddResult> {
  const targets = targetsOf(scope);
  const now = deps.now();
  let source = existing;
  let created = false;
  if (!source) {
    source = await deps.store.addSource(input, now, scope.actor.operator ? undefined : targets[0]?.id);
    created = true;
  }
  const subscribed: string[] = [];
  for (const c of targets) {
    const fresh = await deps.store.subscribe(c.id, source.id, now);
    if (fresh || created) subscribed.push(c.title);
  }
  return { source: (await deps.store.getSource(source.id)) ?? source, created, subscribed };
}

/** A reply about `source` in `lang`: its title is the `{title}` of every message. */
const aboutSource =
  (lang: ChatLang, source: Source) =>
  (key: MessageKey, params: MessageParams = {}): string =>
    translate(lang, key, { title: source.title, ...params });

/** `/remove`: an operator removes the source for everyone; a channel moderator unsubscribes their channels here. */
export async function removeFor(
  deps: TenancyDeps,
  scope: Scope,
  source: Source,
  lang: ChatLang = 'en',
): Promise<string> {
  const t = aboutSource(lang, source);
  if (scope.actor.operator) {
    await deps.store.removeSource(source.id);
    return t('remove.network');
  }
  const changed = await eachTarget(scope, (id) => deps.store.unsubscribe(id, source.id, deps.now()));
  return changed.length
    ? t('remove.done', { channels: changed.join(', ') })
    : t('remove.notSubscribed', { here: titlesHere(scope, lang) });
}

/** `/pause`: an operator pauses the source for everyone; a channel moderator their channels' subscriptions. */
export async function pauseFor(
  deps: TenancyDeps,
  scope: Scope,
  source: Source,
  by: string,
  lang: ChatLang = 'en',
): Promise<string> {
  const t = aboutSource(lang, source);
  if (scope.actor.operator) {
    await deps.store.pauseSource(source.id, `paused by ${by}`, deps.now());
    return t('pause.network');
  }
  const changed = await eachTarget(scope, (id) =>
    deps.store.pauseSubscription(id, source.id, `paused by ${by}`, deps.now()),
  );
  return changed.length
    ? t('pause.done', { channels: changed.join(', ') })
    : t('pause.notActive', { here: titlesHere(scope, lang) });
}

/** `/resume SOURCE`: an operator resumes the source; a channel moderator their channels' subscriptions. */
export async function resumeFor(
  deps: TenancyDeps,
  scope: Scope,
  source: Source,
  lang: ChatLang = 'en',
): Promise<string> {
  const t = aboutSource(lang, source);
  if (scope.actor.operator) {
    await deps.store.resumeSource(source.id, deps.now());
    return t('resume.network');
  }
  const changed = await eachTarget(scope, (id) => deps.store.pauseSubscription(id, source.id, null, deps.now()));
  return changed.length
    ? t('resume.source', { channels: changed.join(', ') })
    : t('resume.notPausedHere', { here: titlesHere(scope, lang) });
}

/** The held posts the actor may decide on: here, or (operators in a private chat) everywhere. */
export async function heldFor(deps: TenancyDeps, scope: Scope, limit: number): Promise<Delivery[]> {
  const targets = targetsOf(scope);
  if (scope.actor.operator && targets.length === 0) return deps.store.heldDeliveries(null, limit);
  const rows = (await Promise.all(targets.map((c) => deps.store.heldDeliveries(c.id, limit)))).flat();
  return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).slice(0, limit);
}

/**
 * Whether the actor may decide on (or edit) a held post: an operator, or a moderator of its
 * channel. Checked on the post itself, so a replayed or forged button from another chat is refused.
 */
export async function mayDecide(deps: TenancyDeps, scope: Scope, deliveryId: string): Promise<boolean> {
  if (scope.actor.operator) return true;
  const row = await deps.store.getDelivery(deliveryId);
  return row !== undefined && managedOf(scope).some((c) => c.id === row.channelId);
}

/** The sources a moderator's channels use and their state, for `/status` (operators: every source). */
export async function statusSourcesFor(deps: TenancyDeps, scope: Scope): Promise<Source[]> {
  if (scope.actor.operator) return deps.store.listSources();
  return (await sourcesFor(deps, scope)).map((v) => v.source);
}

async function eachTarget(scope: Scope, change: (channelId: string) => Promise<boolean>): Promise<string[]> {
  const changed: string[] = [];
  for (const c of targetsOf(scope)) if (await change(c.id)) changed.push(c.title);
  return changed;
}

const titlesHere = (scope: Scope, lang: ChatLang) =>
  targetsOf(scope)
    .map((c) => c.title)
    .join(', ') || translate(lang, 'place.thisChat');
