import { z } from 'zod';
import { MessageTermSchema, type Message } from '../../shared/message/message';
import type { EditedPost } from '../store/platform-types';

/**
 * A held post with its moderator's edit (the chat's Edit summary, the dashboard's summary and key
 * terms): what every platform sends and every queue preview shows. Stored terms that no longer
 * parse leave the post's own terms in place.
 */
export function withEdit(message: Message, edit: EditedPost | undefined): Message {
  if (!edit) return message;
  const terms = edit.terms === null ? null : z.array(MessageTermSchema).safeParse(edit.terms);
  return { ...message, summary: edit.summary, ...(terms?.success ? { terms: terms.data } : {}) };
}
