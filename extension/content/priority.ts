/** Where a reader's eyes go first: the article's own element, if the page marks one. */
export function findMainContent(doc: Document): Element | null {
  const candidates = doc.querySelectorAll('article, main, [role="main"], #content, #main-content, .article-body');
  let best: Element | null = null;
  let bestLength = 0;
  for (const el of candidates) {
    const length = el.textContent?.length ?? 0;
    if (length > bestLength) {
      best = el;
      bestLength = length;
    }
  }
  return best;
}

/**
 * Ranks blocks for scanning: 0 visible main content, 1 other visible text, 2 main content below
 * the fold, 3 the rest; -1 for a block that is hidden (no box, `visibility: hidden`, or zero size).
 * Results are cached per block: a page has far fewer blocks than text nodes.
 */
export function createBlockRanker(doc: Document): (block: Element) => number {
  const win = doc.defaultView;
  const main = findMainContent(doc);
  const height = win?.innerHeight ?? 0;
  const width = win?.innerWidth ?? 0;
  const cache = new Map<Element, number>();
  return (block) => {
    const cached = cache.get(block);
    if (cached !== undefined) return cached;
    let rank: number;
    if (!isShown(block)) rank = -1;
    else {
      const r = block.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) rank = -1;
      else {
        const visible = r.bottom > 0 && r.top < height && r.right > 0 && r.left < width;
        const inMain = main !== null && main.contains(block);
        rank = visible ? (inMain ? 0 : 1) : inMain ? 2 : 3;
      }
    }
    cache.set(block, rank);
    return rank;
  };
}

function isShown(el: Element): boolean {
  if (typeof el.checkVisibility !== 'function') return true;
  if (el.checkVisibility({ visibilityProperty: true })) return true;
  // An element with `display: contents` has no box of its own but shows its children.
  return getComputedStyle(el).display === 'contents';
}
