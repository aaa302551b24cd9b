import type { MatcherData, MatcherEntry } from './types';

/** Bumped whenever the byte layout changes; loadMatcherData refuses other versions. */
export const SERIALIZED_VERSION = 1;
const MAGIC = 0x4d505053; // "SPPM" little-endian

interface Meta {
  version: number;
  nodes: number;
  accepts: number;
  cands: number;
  exact: string[];
  entries: MatcherEntry[];
}

const align4 = (n: number) => (n + 3) & ~3;

function stringToUnits(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function unitsToString(units: Uint16Array): string {
  let out = '';
  for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
  return out;
}

/**
 * The compiled matcher as bytes: a small header, the metadata as UTF-16 JSON, then the typed
 * arrays as they are in memory (little-endian, 4-byte aligned), so loading is a few views and copies.
 */
export function serializeMatcher(data: MatcherData): Uint8Array {
  const meta: Meta = {
    version: SERIALIZED_VERSION,
    nodes: data.labels.length,
    accepts: data.acceptNodes.length,
    cands: data.candEntry.length,
    exact: data.exact,
    entries: data.entries,
  };
  const metaUnits = stringToUnits(JSON.stringify(meta));
  const sections: ArrayBufferView[] = [metaUnits, data.labels, data.childCount, data.acceptNodes, data.acceptCand, data.candEntry, data.candExact];
  let size = 12;
  for (const s of sections) size = align4(size + s.byteLength);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, SERIALIZED_VERSION, true);
  view.setUint32(8, metaUnits.length, true);
  let offset = 12;
  for (const s of sections) {
    bytes.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offset);
    offset = align4(offset + s.byteLength);
  }
  return bytes;
}

/** Reads bytes written by serializeMatcher; throws a clear error on anything else. */
export function deserializeMatcher(bytes: Uint8Array): MatcherData {
  if (bytes.byteLength < 12) throw new Error('not a compiled SciPop matcher (too short)');
  // Copy once into an aligned buffer so the typed-array views below are legal wherever the bytes came from.
  const buffer = bytes.byteOffset % 4 === 0 ? bytes.buffer : bytes.slice().buffer;
  const base = bytes.byteOffset % 4 === 0 ? bytes.byteOffset : 0;
  const view = new DataView(buffer, base, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a compiled SciPop matcher (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== SERIALIZED_VERSION) throw new Error(`compiled matcher version ${version} is not ${SERIALIZED_VERSION}: rebuild it`);
  const metaLength = view.getUint32(8, true);
  let offset = base + 12;
  const take = <T>(make: (o: number) => T, byteLength: number): T => {
    if (offset - base + byteLength > bytes.byteLength) throw new Error('compiled matcher is truncated');
    const value = make(offset);
    offset = base + align4(offset - base + byteLength);
    return value;
  };
  const meta = JSON.parse(unitsToString(take((o) => new Uint16Array(buffer, o, metaLength), metaLength * 2))) as Meta;
  return {
    labels: take((o) => new Uint16Array(buffer, o, meta.nodes), meta.nodes * 2),
    childCount: take((o) => new Uint16Array(buffer, o, meta.nodes), meta.nodes * 2),
    acceptNodes: take((o) => new Int32Array(buffer, o, meta.accepts), meta.accepts * 4),
    acceptCand: take((o) => new Int32Array(buffer, o, meta.accepts + 1), (meta.accepts + 1) * 4),
    candEntry: take((o) => new Int32Array(buffer, o, meta.cands), meta.cands * 4),
    candExact: take((o) => new Int32Array(buffer, o, meta.cands), meta.cands * 4),
    exact: meta.exact,
    entries: meta.entries,
  };
}
