/** A box on screen, in viewport coordinates. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where a tooltip goes, and on which side of its term. */
export interface Placement {
  left: number;
  top: number;
  side: 'below' | 'above';
}

/**
 * Places a tooltip of `size` next to the term's box inside the viewport: below the term when it
 * fits, else above when more room is there (flip); slid sideways to stay on screen (shift).
 */
export function placeTooltip(
  anchor: Box,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  gap = 6,
  margin = 8,
): Placement {
  const below = viewport.height - anchor.bottom - gap - margin;
  const above = anchor.top - gap - margin;
  const side = size.height <= below || below >= above ? 'below' : 'above';
  let top = side === 'below' ? anchor.bottom + gap : anchor.top - gap - size.height;
  top = clamp(top, margin, viewport.height - size.height - margin);
  const left = clamp(anchor.left, margin, viewport.width - size.width - margin);
  return { left: Math.round(left), top: Math.round(top), side };
}

function clamp(value: number, min: number, max: number): number {
  return max < min ? min : Math.min(Math.max(value, min), max);
}
