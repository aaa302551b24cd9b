/** The name of the highlight every found term is drawn with (a fixed contract). */
export const HIGHLIGHT_NAME = 'scipop-term';

/** One highlighted occurrence of a term. */
export interface TermHit {
  /** A StaticRange: unlike a live Range it costs the page nothing on each DOM change. */
  range: StaticRange;
  id: string;
  lang: string;
  /** The text nodes the occurrence spans (usually one). */
  nodes: Text[];
}

/** The highlighted terms of a page, indexed by text node for hit-testing. */
export interface HitRegistry {
  add(hit: TermHit): void;
  /** The hit covering a caret position (offset in a text node), if any. */
  at(node: Text, offset: number): TermHit | undefined;
  /** Hits in a text node. */
  inNode(node: Text): readonly TermHit[];
  /** How many hits an entry id has on the page. */
  count(id: string): number;
  /** Removes the hits for which `drop` says yes; returns how many went. */
  removeWhere(drop: (hit: TermHit) => boolean): number;
  clear(): void;
  all(): IterableIterator<TermHit>;
  readonly size: number;
}

/** A registry drawing its hits in the page's CSS highlight `scipop-term`. */
export function createHitRegistry(): HitRegistry {
  const highlight = new Highlight();
  CSS.highlights.set(HIGHLIGHT_NAME, highlight);
  const counts = new Map<string, number>();
  const hits = new Set<TermHit>();
  const byNode = new Map<Text, TermHit[]>();
  const unindex = (hit: TermHit) => {
    for (const node of hit.nodes) {
      const list = byNode.get(node);
      if (!list) continue;
      const i = list.indexOf(hit);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) byNode.delete(node);
    }
  };
  return {
    add(hit) {
      hits.add(hit);
      highlight.add(hit.range);
      counts.set(hit.id, (counts.get(hit.id) ?? 0) + 1);
      for (const node of hit.nodes) {
        const list = byNode.get(node);
        if (list) list.push(hit);
        else byNode.set(node, [hit]);
      }
    },
    at(node, offset) {
      for (const hit of byNode.get(node) ?? []) {
        const r = hit.range;
        const afterStart = node !== r.startContainer || offset >= r.startOffset;
        const beforeEnd = node !== r.endContainer || offset <= r.endOffset;
        if (afterStart && beforeEnd) return hit;
      }
      return undefined;
    },
    inNode: (node) => byNode.get(node) ?? [],
    count: (id) => counts.get(id) ?? 0,
    removeWhere(drop) {
      let n = 0;
      for (const hit of hits) {
        if (!drop(hit)) continue;
        hits.delete(hit);
        highlight.delete(hit.range);
        unindex(hit);
        const left = (counts.get(hit.id) ?? 1) - 1;
        if (left > 0) counts.set(hit.id, left);
        else counts.delete(hit.id);
        n++;
      }
      return n;
    },
    clear() {
      hits.clear();
      byNode.clear();
      counts.clear();
      highlight.clear();
    },
    all: () => hits.values(),
    get size() {
      return hits.size;
    },
  };
}

/** Hits in document order, for the popup's "in order of appearance". */
export function inDocumentOrder(hits: Iterable<TermHit>): TermHit[] {
  return [...hits].sort((a, b) => {
    const an = a.range.startContainer;
    const bn = b.range.startContainer;
    if (an === bn) return a.range.startOffset - b.range.startOffset;
    return an.compareDocumentPosition(bn) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
}
