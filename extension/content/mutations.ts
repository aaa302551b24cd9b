import { blockOf } from './segments';

export interface MutationWatchOptions {
  doc: Document;
  /** Our own elements: changes to them (the tooltip coming and going) are ignored. */
  isOurs: (node: Node) => boolean;
  /** Called once per batch with the blocks whose text may have changed and whether text left. */
  onChange: (blocks: Set<Element>, removed: boolean) => void;
  /** How long a burst of changes is gathered before one rescan (React renders in bursts). */
  batchMs?: number;
}

/** Watches the page for text that appears, changes or goes, and reports it in batches. */
export function createMutationWatcher(opts: MutationWatchOptions): { stop(): void; flush(): void } {
  const { doc, isOurs } = opts;
  const blocks = new Set<Element>();
  let removed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (blocks.size === 0 && !removed) return;
    const batch = new Set(blocks);
    const hadRemoved = removed;
    blocks.clear();
    removed = false;
    opts.onChange(batch, hadRemoved);
  };

  const note = (node: Node) => {
    const block = blockOf(node);
    if (block && !isOurs(block)) blocks.add(block);
  };

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (isOurs(r.target)) continue;
      if (r.type === 'characterData') {
        note(r.target);
        removed = true;
        continue;
      }
      let relevant = false;
      for (const n of r.addedNodes)
        if (!isOurs(n) && (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.ELEMENT_NODE)) relevant = true;
      for (const n of r.removedNodes) {
        if (isOurs(n)) continue;
        relevant = true;
        removed = true;
      }
      if (relevant) note(r.target);
    }
    if ((blocks.size > 0 || removed) && !timer) timer = setTimeout(flush, opts.batchMs ?? 120);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
  return {
    stop() {
      observer.disconnect();
      clearTimeout(timer);
    },
    flush,
  };
}
