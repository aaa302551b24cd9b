import type { GlossaryPack } from '../glossary/schema';
import { CAND_ACRONYM, CAND_NEEDS_CONTEXT, formNeedsContext, isShoutedAcronym } from './context';
import { analyzeForm, formIdentity, formVariants } from './forms';
import { createMatcher } from './find';
import type { CompileOptions, Matcher, MatcherData, MatcherEntry } from './types';

interface Candidate {
  entry: number;
  exact: string | null;
  rank: number; // lower wins: exact before any case, written forms before avoid phrases before generated variants
  order: number;
  flags: number; // CAND_* bits
}

interface BuildNode {
  children: Map<number, BuildNode>;
  cands: Candidate[] | null;
}

const newNode = (): BuildNode => ({ children: new Map(), cands: null });

function insert(root: BuildNode, key: string, cand: Candidate): void {
  let node = root;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    let next = node.children.get(c);
    if (!next) {
      next = newNode();
      node.children.set(c, next);
    }
    node = next;
  }
  (node.cands ??= []).push(cand);
}

function flatten(root: BuildNode, entries: MatcherEntry[]): MatcherData {
  const order: BuildNode[] = [root];
  const labels: number[] = [0];
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    for (const c of [...node.children.keys()].sort((a, b) => a - b)) {
      order.push(node.children.get(c)!);
      labels.push(c);
    }
  }
  const firstChild = new Int32Array(order.length + 1);
  const acceptNodes: number[] = [];
  const acceptCand: number[] = [];
  const candEntry: number[] = [];
  const candExact: number[] = [];
  const candFlags: number[] = [];
  const exact: string[] = [];
  const exactIndex = new Map<string, number>();
  let next = 1;
  order.forEach((node, id) => {
    firstChild[id] = next;
    next += node.children.size;
    if (!node.cands) return;
    acceptNodes.push(id);
    acceptCand.push(candEntry.length);
    const seen = new Set<string>();
    for (const cand of node.cands.sort((a, b) => a.rank - b.rank || a.order - b.order)) {
      const key = `${cand.entry}\u0000${cand.exact ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      candEntry.push(cand.entry);
      candFlags.push(cand.flags);
      if (cand.exact === null) candExact.push(-1);
      else {
        let x = exactIndex.get(cand.exact);
        if (x === undefined) {
          x = exact.push(cand.exact) - 1;
          exactIndex.set(cand.exact, x);
        }
        candExact.push(x);
      }
    }
  });
  firstChild[order.length] = next;
  acceptCand.push(candEntry.length);
  return {
    labels: Uint16Array.from(labels),
    firstChild,
    acceptNodes: Int32Array.from(acceptNodes),
    acceptCand: Int32Array.from(acceptCand),
    candEntry: Int32Array.from(candEntry),
    candExact: Int32Array.from(candExact),
    candFlags: Uint8Array.from(candFlags),
    exact,
    entries,
  };
}

/**
 * Builds the trie tables for any number of packs in any languages. `blockers` are phrases that
 * compete with the forms under leftmost-longest and, when they win, hide them (see zh-blockers).
 */
export function compileMatcherData(packs: readonly GlossaryPack[], options: CompileOptions = {}): MatcherData {
  const root = newNode();
  const entries: MatcherEntry[] = [];
  let order = 0;
  const add = (form: string, entry: number, written: boolean, avoid = false, flags = 0) => {
    const { key, exact } = analyzeForm(form);
    if (key === '') return;
    const rank = (exact === null ? 1 : 0) + (avoid ? 2 : written ? 0 : 4);
    insert(root, key, { entry: avoid ? -1 : entry, exact, rank, order: order++, flags: avoid ? 0 : flags });
  };
  for (const pack of packs) {
    for (const e of pack.entries) {
      const index = entries.push({ id: e.id, lang: pack.lang, fields: e.fields, level: e.level }) - 1;
      const forms = [e.term, ...e.aliases];
      const marked = new Set((e.needsContext ?? []).map(formIdentity));
      const flagsOf = (form: string) =>
        (formNeedsContext(form, marked) ? CAND_NEEDS_CONTEXT : 0) | (isShoutedAcronym(form) ? CAND_ACRONYM : 0);
      for (const form of forms) add(form, index, true, false, flagsOf(form));
      for (const form of forms) {
        const flags = flagsOf(form);
        for (const variant of formVariants(form)) add(variant, index, false, false, flags);
      }
      for (const phrase of e.avoid) {
        add(phrase, index, true, true);
        for (const variant of formVariants(phrase)) add(variant, index, false, true);
      }
    }
  }
  for (const phrase of options.blockers ?? []) add(phrase, -1, true, true);
  return flatten(root, entries);
}

/** Compiles packs into a matcher, once; use its serialize() to ship it prebuilt. */
export function compileMatcher(packs: readonly GlossaryPack[], options: CompileOptions = {}): Matcher {
  return createMatcher(compileMatcherData(packs, options));
}
