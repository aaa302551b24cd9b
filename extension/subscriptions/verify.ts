import { errorMessage } from '../../shared/errors';

// Signature and hash checks with the browser's WebCrypto (Ed25519 is in Chrome 137+, Firefox 129+,
// Safari 17+ and Node 20; the extension requires Firefox 140). No crypto is written here.

/** Whether `signature` (base64) is the Ed25519 signature of `data` by `publicKey` (32 raw bytes). */
export async function verifyEd25519(
  publicKey: Uint8Array<ArrayBuffer>,
  signatureBase64: string,
  data: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = Uint8Array.from(atob(signatureBase64.trim()), (c) => c.charCodeAt(0));
  } catch {
    return false;
  }
  if (signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    throw new Error(`this browser cannot check Ed25519 signatures (${errorMessage(e)})`);
  }
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data);
}

/** The lowercase hex SHA-256 of some bytes. */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let out = '';
  for (const b of digest) out += b.toString(16).padStart(2, '0');
  return out;
}
