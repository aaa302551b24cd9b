import type { GlossaryEditorsConfig, GlossaryRole } from '../../shared/glossary/community/permissions';
import type { TermCommandDeps } from './term-commands';

/** What /term needs from the network: the service, and the editors' configuration that decides roles. */
export interface TermService extends TermCommandDeps {
  editors: GlossaryEditorsConfig;
}

/**
 * The role of a member who may use /term here (the platform already found them a moderator of
 * this place): an editor when listed by id or when this place is the platform's editors' chat.
 */
export function termRole(service: TermService, platform: string, userId: string, placeId: string): GlossaryRole {
  if (service.editors.editors.includes(`${platform}:${userId}`)) return 'editor';
  if (service.editors.editorsChats[platform] === placeId) return 'editor';
  return 'moderator';
}
