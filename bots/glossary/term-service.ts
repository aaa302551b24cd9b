import type { GlossaryEditorsConfig } from '../../shared/glossary/community/permissions';
import type { TermCommandDeps } from './term-commands';

/** What /term needs from the network: the service, and the editors' configuration that decides roles (term-chat.ts). */
export interface TermService extends TermCommandDeps {
  editors: GlossaryEditorsConfig;
}
