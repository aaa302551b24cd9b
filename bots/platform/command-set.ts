import { queueAction, queueCommand } from '../curation/queue-chat';
import { digestCommand } from '../digest/commands';
import { dashboardCommand } from '../dashboard/command';
import { explainCommand } from '../glossary/commands';
import { langCommand } from '../i18n/lang-command';
import { termAction, termCommand } from '../glossary/term-chat';
import {
  exportCommand,
  importCommand,
  pauseCommand,
  removeCommand,
  resumeCommand,
  sourcesCommand,
} from '../sources/commands';
import { addCommand } from '../sources/add';
import { filterCommand } from '../sources/filter';
import { statusCommand } from '../sources/status';
import { subscribeCommand, unsubscribeCommand } from '../sources/subscribe';
import type { ChatAction, ChatCommand } from './commands';

/**
 * Every chat command defined once, platform-neutral: each adapter (Telegram, Discord, the tests'
 * console chat) maps all of them to its transport. A new command is one `defineCommand` in its
 * domain's folder and one line here.
 */
export const CHAT_COMMANDS: readonly ChatCommand[] = [
  explainCommand,
  sourcesCommand,
  addCommand,
  removeCommand,
  pauseCommand,
  resumeCommand,
  importCommand,
  exportCommand,
  filterCommand,
  statusCommand,
  subscribeCommand,
  unsubscribeCommand,
  queueCommand,
  termCommand,
  digestCommand,
  langCommand,
  dashboardCommand,
];

/** Every button action, by name; buttons carry `action` and `data`. */
export const CHAT_ACTIONS: readonly ChatAction[] = [termAction, queueAction];
