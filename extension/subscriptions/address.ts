// What the reader types or follows to subscribe: an index URL and the community's public key.
// Zod-free and DOM-free, so the options page and the background share it.

/** A subscription's address as the reader gave it, checked. */
export interface SubscriptionAddress {
  /** The index URL, normalized (`new URL(…).href`). */
  url: string;
  /** The Ed25519 public key, base64 of its 32 raw bytes. */
  key: string;
}

/** The result of checking an address: the address, or a message saying what to fix. */
export type AddressResult = { ok: true; value: SubscriptionAddress } | { ok: false; error: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Checks an index URL: https, or http on localhost and 127.0.0.1 only; no credentials in it. */
export function checkIndexUrl(text: string): { ok: true; url: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return {
      ok: false,
      error: 'The address is not a URL (it should look like https://example.org/glossary/v1/index.json).',
    };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)))
    return {
      ok: false,
      error: 'The address must start with https:// (http:// is accepted only for localhost and 127.0.0.1).',
    };
  if (url.username || url.password) return { ok: false, error: 'The address must not carry a user name or password.' };
  url.hash = '';
  return { ok: true, url: url.href };
}

/** Decodes a public key: base64 (standard or URL-safe, padding optional) of exactly 32 bytes. */
export function decodePublicKey(text: string): Uint8Array<ArrayBuffer> | undefined {
  const clean = text.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(clean) || clean.length !== 43) return undefined;
  let binary: string;
  try {
    binary = atob(`${clean}=`);
  } catch {
    return undefined;
  }
  if (binary.length !== 32) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Checks both parts of an address; the key is kept in standard padded base64. */
export function checkAddress(url: string, key: string): AddressResult {
  const u = checkIndexUrl(url);
  if (!u.ok) return u;
  const bytes = decodePublicKey(key);
  if (!bytes)
    return {
      ok: false,
      error:
        'The public key is not valid: it must be the base64 of 32 bytes (44 characters, as `scipop glossary key` prints it).',
    };
  return { ok: true, value: { url: u.url, key: btoa(String.fromCharCode(...bytes)) } };
}

/** Reads `#subscribe=<index URL>&key=<public key>` (both URI-encoded); undefined when the hash has none. */
export function readSubscribeHash(hash: string): { url: string; key: string } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const url = params.get('subscribe');
  if (url === null) return undefined;
  return { url, key: params.get('key') ?? '' };
}
