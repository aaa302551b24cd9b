import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { CHAT_ACTIONS } from '../platform/command-set';
import { buttonData, type ChatButton } from '../platform/commands';

const STYLE = {
  primary: ButtonStyle.Primary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
  secondary: ButtonStyle.Secondary,
} as const;

/** Neutral buttons as Discord components; ids are `scipop:` and the button's data (`x:ACTION:DATA`, the queue's `q:DATA`). */
export function buttonRows(rows: readonly ChatButton[][]): APIActionRowComponent<APIButtonComponent>[] {
  return rows.map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((b) => ({
      type: ComponentType.Button,
      style: STYLE[b.style ?? 'secondary'],
      label: b.label,
      custom_id: `scipop:${buttonData(b, CHAT_ACTIONS)}`,
    })),
  }));
}
