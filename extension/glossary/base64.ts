/**
 * Base64 to bytes with the browser's native decoders: `Uint8Array.fromBase64` where it exists,
 * else `atob`. The shared decoder is portable but took 50–190 ms on the bundled matcher (714 KB),
 * which every page would pay; this takes a few.
 */
export function base64Bytes(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof native === 'function') return native(text);
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
