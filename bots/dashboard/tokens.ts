import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret token: 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What the store keeps of a token: its SHA-256 in hex. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The CSRF token of a session: derived from the session's secret cookie value, so only the holder
 * of the cookie can know it and no worker needs to store it (a page of any worker can check it).
 */
export const csrfTokenOf = (sessionToken: string): string =>
  createHmac('sha256', sessionToken).update('scipop dashboard csrf').digest('base64url');

/** Compares two tokens in constant time. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether a string can be a token at all (checked before any store call). */
export const looksLikeToken = (text: string | undefined): text is string =>
  typeof text === 'string' && /^[\w-]{43}$/.test(text);
