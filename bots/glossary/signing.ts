import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { GlossaryStateStore } from '../store/glossary-types';

/** The network's Ed25519 key that signs the published index (node:crypto; no hand-written crypto). */
export interface GlossarySigner {
  /** The public key as readers paste it: base64 of its 32 raw bytes. */
  publicKey: string;
  /** The base64 signature of exactly these bytes. */
  sign(bytes: Uint8Array): string;
}

/** The signer of a store: its key pair, made and stored on first use (the first writer wins under a race). */
export async function loadGlossarySigner(store: GlossaryStateStore): Promise<GlossarySigner> {
  const fresh = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const stored = await store.glossarySigningKey(fresh);
  const key: KeyObject = createPrivateKey({ key: Buffer.from(stored, 'base64'), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return {
    publicKey: Buffer.from(String(jwk.x), 'base64url').toString('base64'),
    sign: (bytes) => sign(null, bytes, key).toString('base64'),
  };
}
