// Who may do what in the community glossary. The platforms say who an actor is (an editor by id or
// by moderating the editors' chat, a moderator of a served channel); this decides what follows.
import type { GlossaryActor } from './model';

/** What an actor is to the glossary: an editor decides, a moderator proposes, anyone else reads. */
export type GlossaryRole = 'editor' | 'moderator' | 'reader';

/** The editors a network configures: platform ids (`telegram:123`) and each platform's editors' chat or server. */
export interface GlossaryEditorsConfig {
  editors: readonly string[];
  /** Per platform, the chat (Telegram) or server (Discord) whose moderators are editors too. */
  editorsChats: Readonly<Record<string, string>>;
}

/** What a platform knows of an actor: the chats it moderates among those the network serves, and the editors' chat. */
export interface ActorFacts {
  /** Moderates the platform's configured editors' chat or server. */
  moderatesEditorsChat: boolean;
  /** Moderates at least one chat or channel the network serves. */
  moderatesServedChannel: boolean;
}

/** The role of an actor under a configuration; the command line (`cli`) is the operator, an editor. */
export function glossaryRole(actor: GlossaryActor, config: GlossaryEditorsConfig, facts: ActorFacts): GlossaryRole {
  if (actor.platform === 'cli') return 'editor';
  if (config.editors.includes(`${actor.platform}:${actor.id}`) || facts.moderatesEditorsChat) return 'editor';
  return facts.moderatesServedChannel ? 'moderator' : 'reader';
}

/** What each role may do: propose drafts, or decide them (approve, reject, retire, revert). */
export function mayPropose(role: GlossaryRole): boolean {
  return role === 'editor' || role === 'moderator';
}

/** Whether a role may approve, reject, retire and revert. */
export function mayDecide(role: GlossaryRole): boolean {
  return role === 'editor';
}
