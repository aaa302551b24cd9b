import { autoRetry } from '@grammyjs/auto-retry';
import type { Api, Transformer } from 'grammy';
import type { SendLimiter } from './limiter';

/** Methods that post a message and so count toward Telegram's flood limits. */
const SENDING = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'sendAnimation',
  'sendVideo',
]);

/** An API transformer that waits for the limiter before every sending call and counts it from the answer. */
export function limitSends(limiter: SendLimiter): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (!SENDING.has(method) || chatId === undefined) return prev(method, payload, signal);
    const done = await limiter.acquire(chatId);
    try {
      return await prev(method, payload, signal);
    } finally {
      done();
    }
  };
}

/**
 * Installs the limiter inside grammY's auto-retry (so each retry waits for a slot again): posts
 * throttle before Telegram's limits, and a 429 that still comes waits `retry_after` and retries.
 * A wait longer than `maxDelaySeconds` is handed back to the caller (the outbox retries the row).
 */
export function installSendPolicy(api: Api, limiter: SendLimiter, maxDelaySeconds = 120): void {
  api.config.use(limitSends(limiter));
  api.config.use(autoRetry({ maxDelaySeconds, maxRetryAttempts: 5 }));
}
