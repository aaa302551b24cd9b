import * as chars from './chars';
import { FIELDS } from '../glossary/fields';
import { CAND_ACRONYM, CAND_NEEDS_CONTEXT, isShoutedLine } from './context';
import { serializeMatcher } from './serialize';
import type { FindOptions, Match, Matcher, MatcherData } from './types';

// Module-local copies: some loaders (tsx's ESM-to-CJS interop) turn every imported binding into a
// getter call, which costs more than the rest of the hot loop together.
const { SEP, SKIP, UNKNOWN, UNSPACED, WORD, charClass, isCased } = chars;
const { classTable, foldTable } = chars.tables;
const SEP_LABEL = 0x20;

/** Builds the lookup structures from the tables and returns the matcher over them. */
export function createMatcher(data: MatcherData): Matcher {
  const { labels, firstChild, candEntry, candExact, candFlags, exact, entries } = data;
  const fieldMask = Uint16Array.from(entries, (e) => e.fields.reduce((m, f) => m | (1 << FIELDS.indexOf(f)), 0));
  const nodes = labels.length;
  const { acceptNodes, acceptCand } = data;
  const accept = new Int32Array(nodes).fill(-1);
  // Indexed by candidate (the first of each accepting node's run), so one slot per candidate.
  const candEnd = new Int32Array(candEntry.length);
  for (let i = 0; i < acceptNodes.length; i++) {
    accept[acceptNodes[i]!] = acceptCand[i]!;
    candEnd[acceptCand[i]!] = acceptCand[i + 1]!;
  }
  // The root has a child for nearly every first letter: index it directly.
  const rootTable = new Int32Array(65536).fill(-1);
  for (let k = firstChild[0]!; k < firstChild[1]!; k++) rootTable[labels[k]!] = k;

  const allowedCache = new WeakMap<FindOptions, Uint8Array>();
  function allowedFor(options: FindOptions): Uint8Array | null {
    const { skip, fields, maxLevel, langs } = options;
    if (!skip?.size && !fields && maxLevel === undefined && !langs) return null;
    let allowed = allowedCache.get(options);
    if (allowed) return allowed;
    allowed = new Uint8Array(entries.length);
    entries.forEach((e, i) => {
      const ok =
        !skip?.has(e.id) &&
        (maxLevel === undefined || e.level <= maxLevel) &&
        (!langs || langs.has(e.lang)) &&
        (!fields || e.fields.some((f) => fields.has(f)));
      allowed![i] = ok ? 1 : 0;
    });
    allowedCache.set(options, allowed);
    return allowed;
  }

  function child(node: number, c: number): number {
    if (node === 0) return rootTable[c]!;
    let lo = firstChild[node]!;
    let hi = firstChild[node + 1]! - 1;
    while (hi - lo > 3) {
      const mid = (lo + hi) >>> 1;
      const m = labels[mid]!;
      if (m === c) return mid;
      if (m < c) lo = mid + 1;
      else hi = mid - 1;
    }
    for (; lo <= hi; lo++) if (labels[lo] === c) return lo;
    return -1;
  }

  const positions = new Int32Array(1024);

  function exactOk(x: number, count: number, text: string): boolean {
    const form = exact[x]!;
    if (form.length !== count) return false;
    for (let i = 0; i < count; i++) {
      const e = form.charCodeAt(i);
      if (e !== text.charCodeAt(positions[i]!) && isCased(e)) return false;
    }
    return true;
  }

  /** Whether another hit (one that needs no context itself) is of the same entry or shares a field and language. */
  function supported(hits: number[], at: number): boolean {
    const entry = hits[at + 2]!;
    const { lang } = entries[entry]!;
    for (let h = 0; h < hits.length; h += 4) {
      if (h === at || hits[h + 3]! & CAND_NEEDS_CONTEXT) continue;
      const other = hits[h + 2]!;
      if (other === entry || (fieldMask[other]! & fieldMask[entry]! && entries[other]!.lang === lang)) return true;
    }
    return false;
  }

  function find(text: string, options: FindOptions = {}): Match[] {
    const out: Match[] = [];
    const allowed = allowedFor(options);
    const seen = options.firstOnly ? (options.seen ?? new Set<string>()) : null;
    // Every entry match as [start, end, entry, flags], reported or not: hidden terms still give context.
    const hits: number[] = [];
    const anyway = options.ignoreContext === true;
    let needContext = false;
    const n = text.length;
    let prevWord = false;
    let i = 0;
    while (i < n) {
      const c0 = text.charCodeAt(i);
      let k0 = classTable[c0]!;
      if (k0 === UNKNOWN) k0 = charClass(c0);
      if ((k0 & WORD && !prevWord) || k0 & UNSPACED) {
        // Walk the trie from here, remembering the longest valid end and its entry.
        let bestEnd = -1;
        let bestEntry = -1;
        let bestFlags = 0;
        let node = 0;
        let count = 0;
        let j = i;
        while (j < n && count < positions.length) {
          const c = text.charCodeAt(j);
          let k = classTable[c]!;
          if (k === UNKNOWN) k = charClass(c);
          let next: number;
          if (k & SKIP) {
            j++;
            continue;
          }
          if (k & SEP) {
            if (count === 0) break;
            next = child(node, SEP_LABEL);
            if (next < 0) break;
            j++;
            while (j < n) {
              let kk = classTable[text.charCodeAt(j)]!;
              if (kk === UNKNOWN) kk = charClass(text.charCodeAt(j));
              if (!(kk & (SEP | SKIP))) break;
              j++;
            }
            node = next;
            continue;
          }
          next = child(node, foldTable[c]!);
          if (next < 0) break;
          node = next;
          positions[count++] = j;
          j++;
          const a = accept[node]!;
          if (a < 0) continue;
          if (k & WORD) {
            // A form ending in a letter of a spaced script must end a word: "cell" is not in "cells…" unless inflected, nor in "excellent".
            let e = j;
            while (e < n && classTable[text.charCodeAt(e)] === SKIP) e++;
            if (e < n) {
              let ke = classTable[text.charCodeAt(e)]!;
              if (ke === UNKNOWN) ke = charClass(text.charCodeAt(e));
              if (ke & WORD) continue;
            }
          }
          let chosen = -2;
          let chosenFlags = 0;
          for (let ci = a, end = candEnd[a]!; ci < end; ci++) {
            const x = candExact[ci]!;
            if (x >= 0 && !exactOk(x, count, text)) continue;
            const entry = candEntry[ci]!;
            if (chosen === -2) {
              chosen = entry;
              chosenFlags = candFlags[ci]!;
            }
            if (entry < 0 || !allowed || allowed[entry]) {
              chosen = entry;
              chosenFlags = candFlags[ci]!;
              break;
            }
          }
          if (chosen !== -2) {
            bestEnd = j;
            bestEntry = chosen;
            bestFlags = chosenFlags;
          }
        }
        if (bestEnd > 0) {
          // An acronym in a line of capitals is a shouted word ("WHO WILL WIN"): it consumes its text, silently.
          if (bestEntry >= 0 && (anyway || !(bestFlags & CAND_ACRONYM && isShoutedLine(text, i, bestEnd)))) {
            hits.push(i, bestEnd, bestEntry, bestFlags);
            if (bestFlags & CAND_NEEDS_CONTEXT && !anyway) needContext = true;
          }
          let last = bestEnd - 1;
          while (last > i && classTable[text.charCodeAt(last)] === SKIP) last--;
          prevWord = (classTable[text.charCodeAt(last)]! & WORD) !== 0;
          i = bestEnd;
          continue;
        }
      }
      if (!(k0 & SKIP)) prevWord = (k0 & WORD) !== 0;
      i++;
    }
    for (let h = 0; h < hits.length; h += 4) {
      const entryIndex = hits[h + 2]!;
      if (allowed && !allowed[entryIndex]) continue;
      if (needContext && hits[h + 3]! & CAND_NEEDS_CONTEXT && !supported(hits, h)) continue;
      const entry = entries[entryIndex]!;
      if (seen) {
        if (seen.has(entry.id)) continue;
        seen.add(entry.id);
      }
      const start = hits[h]!;
      const end = hits[h + 1]!;
      out.push({ start, end, text: text.slice(start, end), id: entry.id, lang: entry.lang });
    }
    return out;
  }

  return { entries, find, serialize: () => serializeMatcher(data) };
}
