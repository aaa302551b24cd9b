import type { Box } from './placement';
import type { HitRegistry, TermHit } from './registry';

export interface HoverOptions {
  doc: Document;
  registry: HitRegistry;
  /** The tooltip host: the pointer resting on it keeps the tooltip open. */
  host: Element;
  delay: () => number;
  show: (hit: TermHit, anchor: Box) => void;
  hide: () => void;
  isOpen: () => boolean;
}

/** How long the pointer may wander off a term (toward its tooltip) before the tooltip closes. */
const LEAVE_GRACE_MS = 300;

/** The term under a point: caret position first, then the term's own boxes (no DOM changes). */
export function hitTest(
  doc: Document,
  registry: HitRegistry,
  x: number,
  y: number,
): { hit: TermHit; box: Box } | undefined {
  let node: Node | null = null;
  let offset = 0;
  if (typeof doc.caretPositionFromPoint === 'function') {
    const pos = doc.caretPositionFromPoint(x, y);
    node = pos?.offsetNode ?? null;
    offset = pos?.offset ?? 0;
  } else if (typeof doc.caretRangeFromPoint === 'function') {
    const r = doc.caretRangeFromPoint(x, y);
    node = r?.startContainer ?? null;
    offset = r?.startOffset ?? 0;
  }
  if (!node || node.nodeType !== Node.TEXT_NODE) return undefined;
  const hit = registry.at(node as Text, offset);
  if (!hit) return undefined;
  // The caret snaps to the nearest character, even from the margin: check the term's own boxes.
  const range = doc.createRange();
  range.setStart(hit.range.startContainer, hit.range.startOffset);
  range.setEnd(hit.range.endContainer, hit.range.endOffset);
  for (const r of range.getClientRects()) {
    if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) {
      return { hit, box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
    }
  }
  return undefined;
}

/** Opens the tooltip when the pointer rests on a term, and closes it when the pointer leaves. */
export function createHoverController(opts: HoverOptions): {
  dispose(): void;
  dismiss(): void;
  readonly current: TermHit | undefined;
} {
  const { doc, registry } = opts;
  let x = 0;
  let y = 0;
  let frame = 0;
  let pending: TermHit | undefined;
  let shown: TermHit | undefined;
  // The term whose tooltip the reader closed (Esc): it stays closed until the pointer leaves it.
  let dismissed: TermHit | undefined;
  let showTimer: ReturnType<typeof setTimeout> | undefined;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;

  const clearShow = () => {
    clearTimeout(showTimer);
    showTimer = undefined;
    pending = undefined;
  };
  const clearHide = () => {
    clearTimeout(hideTimer);
    hideTimer = undefined;
  };

  function check(overHost: boolean) {
    frame = 0;
    if (overHost) {
      clearHide();
      clearShow();
      return;
    }
    const found = registry.size > 0 ? hitTest(doc, registry, x, y) : undefined;
    if (found?.hit !== dismissed) dismissed = undefined;
    if (found && found.hit === dismissed) return;
    if (found && found.hit === shown && opts.isOpen()) {
      clearHide();
      clearShow();
      return;
    }
    if (found) {
      if (found.hit === pending) return;
      clearShow();
      pending = found.hit;
      const { hit, box } = found;
      showTimer = setTimeout(() => {
        pending = undefined;
        clearHide();
        if (!hit.nodes.every((n) => n.isConnected)) return;
        shown = hit;
        opts.show(hit, box);
      }, opts.delay());
      return;
    }
    clearShow();
    if (shown && opts.isOpen() && !hideTimer) {
      hideTimer = setTimeout(() => {
        hideTimer = undefined;
        shown = undefined;
        opts.hide();
      }, LEAVE_GRACE_MS);
    }
  }

  const onMove = (e: PointerEvent) => {
    if (e.pointerType === 'touch') return;
    x = e.clientX;
    y = e.clientY;
    const overHost = e.composedPath().includes(opts.host);
    if (!frame) frame = requestAnimationFrame(() => check(overHost));
  };
  const onScroll = (e: Event) => {
    if (e.target === opts.host || (e.target instanceof Node && opts.host.contains(e.target))) return;
    if (shown && opts.isOpen()) {
      shown = undefined;
      opts.hide();
    }
  };
  doc.addEventListener('pointermove', onMove, { capture: true, passive: true });
  doc.addEventListener('scroll', onScroll, { capture: true, passive: true });
  return {
    dispose() {
      doc.removeEventListener('pointermove', onMove, { capture: true });
      doc.removeEventListener('scroll', onScroll, { capture: true });
      cancelAnimationFrame(frame);
      clearShow();
      clearHide();
    },
    dismiss() {
      dismissed = shown ?? pending;
      shown = undefined;
      clearShow();
      clearHide();
    },
    get current() {
      return shown;
    },
  };
}
