import { sendToContent, type TabsLike } from '../messaging/protocol';
import type { SettingsStore } from '../settings/store';

/** The id of the context-menu entry "Explain with SciPop". */
export const MENU_ID = 'scipop-explain';
/** The keyboard command (manifest `commands`). */
export const EXPLAIN_COMMAND = 'explain-term';

export interface BackgroundDeps {
  tabs: TabsLike & { query(q: { active: boolean; currentWindow: boolean }): Promise<{ id?: number }[]> };
  settings: SettingsStore;
}

/** What the background does, as plain functions the entrypoint wires to browser events. */
export interface BackgroundHandlers {
  /** Install or update: store the settings migrated to this version. */
  onInstalled(): Promise<void>;
  onMenuClick(info: { menuItemId: string | number; selectionText?: string }, tab?: { id?: number }): Promise<boolean>;
  onCommand(command: string, tab?: { id?: number }): Promise<boolean>;
}

/** The background's handlers; each answers whether a tooltip opened. */
export function createBackgroundHandlers(deps: BackgroundDeps): BackgroundHandlers {
  const explainIn = async (tabId: number | undefined, text?: string) => {
    const id = tabId ?? (await deps.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (id === undefined) return false;
    const reply = await sendToContent(
      deps.tabs,
      id,
      text === undefined ? { type: 'explain' } : { type: 'explain', text: text.slice(0, 2000) },
    );
    return reply?.shown ?? false;
  };
  return {
    async onInstalled() {
      await deps.settings.update({});
    },
    onMenuClick: (info, tab) =>
      info.menuItemId === MENU_ID ? explainIn(tab?.id, info.selectionText) : Promise.resolve(false),
    onCommand: (command, tab) => (command === EXPLAIN_COMMAND ? explainIn(tab?.id) : Promise.resolve(false)),
  };
}
