/**
 * Which text a reader is reading. Text inside these elements is never scanned: code and what the
 * reader is editing, things not shown as text, and our own UI.
 */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'input',
  'select',
  'option',
  'button',
  'code',
  'pre',
  'kbd',
  'samp',
  'var',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'iframe',
  'object',
  'head',
  'title',
  'scipop-tooltip',
]);

/** Elements that flow inside a line: a term may run across them ("<b>dark</b> matter"). */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'label',
  'mark',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'wbr',
  'nobr',
]);

/** Whether the subtree of an element is left alone. */
export function isSkipped(el: Element): boolean {
  if (SKIPPED.has(el.localName)) return true;
  if (el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('hidden')) return true;
  const editable = el.getAttribute('contenteditable');
  return editable !== null && editable !== 'false';
}

/** The element a text node's line belongs to: its nearest ancestor that is not inline. */
export function blockOf(node: Node): Element | null {
  let el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  while (el && INLINE.has(el.localName)) el = el.parentElement;
  return el;
}

/** A run of adjacent text nodes in one block, read as one string. */
export interface Segment {
  block: Element;
  nodes: Text[];
  /** Where each node starts in `text`. */
  starts: number[];
  text: string;
}

/**
 * Walks a subtree and yields its segments, lazily so the caller can stop at its time budget.
 * Skipped subtrees are rejected whole, so the walk never enters them. Any element that is not
 * inline (a <br>, an image, a skipped <code>) ends a segment, so a term never runs across it.
 */
export function* walkSegments(root: Node): Generator<Segment, void, undefined> {
  const doc = root.ownerDocument ?? (root as Document);
  if (root.nodeType === Node.ELEMENT_NODE && isInsideSkipped(root as Element)) return;
  let boundary = true;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      if (n.nodeType !== Node.ELEMENT_NODE) return NodeFilter.FILTER_ACCEPT;
      const el = n as Element;
      if (!INLINE.has(el.localName) || el.localName === 'wbr') boundary = true;
      return isSkipped(el) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
    },
  });
  let current: Segment | null = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n as Text;
    const block = blockOf(text);
    if (!block) continue;
    if (!current || boundary || block !== current.block) {
      if (current && /\S/.test(current.text)) yield current;
      current = { block, nodes: [], starts: [], text: '' };
      boundary = false;
    }
    current.nodes.push(text);
    current.starts.push(current.text.length);
    current.text += text.data;
  }
  if (current && /\S/.test(current.text)) yield current;
}

/** Whether an element sits inside (or is) a subtree that is never scanned. */
export function isInsideSkipped(el: Element | null): boolean {
  for (let e = el; e; e = e.parentElement) if (isSkipped(e)) return true;
  return false;
}

/** The index of the text node holding a position of a segment's text, and the offset in it. */
export function locate(seg: Segment, pos: number, isEnd: boolean): [index: number, offset: number] {
  // Binary search for the last node starting at or before pos (for an end, strictly before).
  let lo = 0;
  let hi = seg.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const s = seg.starts[mid]!;
    if (isEnd ? s < pos : s <= pos) lo = mid;
    else hi = mid - 1;
  }
  return [lo, pos - seg.starts[lo]!];
}
