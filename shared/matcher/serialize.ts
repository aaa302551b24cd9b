import { FIELDS, type Field, type Level } from '../glossary/fields';
import type { MatcherData, MatcherEntry } from './types';

/** Bumped whenever the byte layout changes; deserializeMatcher refuses other versions. */
export const SERIALIZED_VERSION = 4;
const MAGIC = 0x4d505053; // "SPPM" little-endian
const HEADER_WORDS = 8; // magic, version, nodes, accepts, cands, entries, string units, spare

const align4 = (n: number) => (n + 3) & ~3;

function stringToUnits(text: string): Uint16Array {
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function unitsToString(units: Uint16Array): string {
  let out = '';
  for (let i = 0; i < units.length; i += 8192)
    out += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/**
 * The compiled matcher as bytes: a header of counts, then every table as it is in memory
 * (little-endian, 4-byte aligned) — entries column by column, and their strings as one UTF-16 run —
 * so loading is a handful of views and one split, with no JSON to parse.
 */
export function serializeMatcher(data: MatcherData): Uint8Array {
  const langs = [...new Set(data.entries.map((e) => e.lang))];
  if (langs.length > 255) throw new Error('more than 255 languages in one matcher');
  const entryLang = Uint8Array.from(data.entries, (e) => langs.indexOf(e.lang));
  const entryLevel = Uint8Array.from(data.entries, (e) => e.level);
  const entryFields = Uint16Array.from(data.entries, (e) =>
    e.fields.reduce((mask, f) => mask | (1 << FIELDS.indexOf(f)), 0),
  );
  const strings = stringToUnits(
    [data.entries.map((e) => e.id).join('\n'), data.exact.join('\n'), langs.join('\n')].join('\u0000'),
  );
  const sections: ArrayBufferView[] = [
    data.labels,
    data.firstChild,
    data.acceptNodes,
    data.acceptCand,
    data.candEntry,
    data.candExact,
    data.candFlags,
    entryLang,
    entryLevel,
    entryFields,
    strings,
  ];
  let size = HEADER_WORDS * 4;
  for (const s of sections) size = align4(size + s.byteLength);
  const bytes = new Uint8Array(size);
  const header = new Uint32Array(bytes.buffer, 0, HEADER_WORDS);
  header.set([
    MAGIC,
    SERIALIZED_VERSION,
    data.labels.length,
    data.acceptNodes.length,
    data.candEntry.length,
    data.entries.length,
    strings.length,
    0,
  ]);
  let offset = HEADER_WORDS * 4;
  for (const s of sections) {
    bytes.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offset);
    offset = align4(offset + s.byteLength);
  }
  return bytes;
}

/** Reads bytes written by serializeMatcher; throws a clear error on anything else. */
export function deserializeMatcher(bytes: Uint8Array): MatcherData {
  if (bytes.byteLength < HEADER_WORDS * 4) throw new Error('not a compiled SciPop matcher (too short)');
  // Typed-array views need 4-byte alignment: copy once if the bytes sit at an odd offset.
  const own = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const { buffer } = own;
  const base = own.byteOffset;
  const [magic, version, nodes, accepts, cands, entries, units] = new Uint32Array(buffer, base, HEADER_WORDS);
  if (magic !== MAGIC) throw new Error('not a compiled SciPop matcher (bad magic)');
  if (version !== SERIALIZED_VERSION)
    throw new Error(`compiled matcher version ${version} is not ${SERIALIZED_VERSION}: rebuild it`);
  let offset = HEADER_WORDS * 4;
  function take<T extends ArrayBufferView>(
    Kind: new (b: ArrayBufferLike, o: number, n: number) => T,
    count: number,
    unit: number,
  ): T {
    if (offset + count * unit > own.byteLength) throw new Error('compiled matcher is truncated');
    const view = new Kind(buffer, base + offset, count);
    offset = align4(offset + count * unit);
    return view;
  }
  const labels = take(Uint16Array, nodes!, 2);
  const firstChild = take(Int32Array, nodes! + 1, 4);
  const acceptNodes = take(Int32Array, accepts!, 4);
  const acceptCand = take(Int32Array, accepts! + 1, 4);
  const candEntry = take(Int32Array, cands!, 4);
  const candExact = take(Int32Array, cands!, 4);
  const candFlags = take(Uint8Array, cands!, 1);
  const entryLang = take(Uint8Array, entries!, 1);
  const entryLevel = take(Uint8Array, entries!, 1);
  const entryFields = take(Uint16Array, entries!, 2);
  const [ids = '', exact = '', langList = ''] = unitsToString(take(Uint16Array, units!, 2)).split('\u0000');
  const idList = ids.split('\n');
  const langs = langList.split('\n');
  const fieldSets = new Map<number, Field[]>();
  const fieldsOf = (mask: number) => {
    let list = fieldSets.get(mask);
    if (!list) fieldSets.set(mask, (list = FIELDS.filter((_, i) => mask & (1 << i))));
    return list;
  };
  const entryList: MatcherEntry[] = new Array(entries!);
  for (let i = 0; i < entries!; i++) {
    entryList[i] = {
      id: idList[i]!,
      lang: langs[entryLang[i]!]!,
      fields: fieldsOf(entryFields[i]!),
      level: entryLevel[i] as Level,
    };
  }
  return {
    labels,
    firstChild,
    acceptNodes,
    acceptCand,
    candEntry,
    candExact,
    candFlags,
    exact: exact === '' ? [] : exact.split('\n'),
    entries: entryList,
  };
}
