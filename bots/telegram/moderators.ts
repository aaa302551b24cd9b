import type { Api } from 'grammy';

/** Decides who may change sources, filters and the queue. */
export interface ModeratorCheck {
  /** True for a configured moderator anywhere, or an administrator of `chatId` (a group or channel). */
  isModerator(chatId: number, userId: number): Promise<boolean>;
  /** True only for the ids in the config (global actions such as creating a destination). */
  isConfigured(userId: number): boolean;
  /** Forgets cached answers for a chat (admins changed, bot re-added). */
  forget(chatId: number): void;
}

/**
 * Moderators are the chat's administrators, asked with getChatMember and cached for `ttlMs`
 * (Telegram's own advice: do not ask on every message), plus the user ids the config lists.
 * In a private chat only configured ids count: being the only member of a chat proves nothing.
 */
export function createModeratorCheck(
  api: Pick<Api, 'getChatMember'>,
  configured: readonly number[],
  ttlMs = 5 * 60_000,
  now: () => number = Date.now,
): ModeratorCheck {
  const ids = new Set(configured);
  const cache = new Map<string, { admin: boolean; until: number }>();
  return {
    isConfigured: (userId) => ids.has(userId),
    forget: (chatId) => {
      for (const key of cache.keys()) if (key.startsWith(`${chatId}:`)) cache.delete(key);
    },
    async isModerator(chatId, userId) {
      if (ids.has(userId)) return true;
      if (chatId > 0) return false;
      const key = `${chatId}:${userId}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.admin;
      let admin: boolean;
      try {
        const member = await api.getChatMember(chatId, userId);
        admin = member.status === 'creator' || member.status === 'administrator';
      } catch {
        return false; // Telegram could not say: refuse now, and ask again next time.
      }
      cache.set(key, { admin, until: now() + ttlMs });
      return admin;
    },
  };
}
