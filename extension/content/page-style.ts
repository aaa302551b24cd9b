import type { Settings } from '../settings/schema';
import { HIGHLIGHT_NAME } from './registry';

/** The highlight of the term under the pointer or in the open tooltip. */
export const ACTIVE_HIGHLIGHT_NAME = 'scipop-term-active';

/** The CSS for the reader's highlight style (::highlight takes only colours and decorations). */
export function highlightCss(style: Settings['style'], color: string): string {
  const term = `::highlight(${HIGHLIGHT_NAME})`;
  const active = `::highlight(${ACTIVE_HIGHLIGHT_NAME}) { background-color: ${color}33; }`;
  switch (style) {
    case 'underline':
      return `${term} { text-decoration: underline 1px ${color}; }\n${active}`;
    case 'dotted':
      return `${term} { text-decoration: underline dotted 2px ${color}; }\n${active}`;
    case 'background':
      return `${term} { background-color: ${color}26; }\n${active}`;
    case 'none':
      return active;
  }
}

/**
 * Styles the highlights through a constructed style sheet adopted by the document: no element is
 * added to the page. Where adoption fails, a <style> in <head> does it (never in <body>).
 */
export function createPageStyle(doc: Document): { set(css: string): void; remove(): void } {
  let sheet: CSSStyleSheet | null = null;
  let fallback: HTMLStyleElement | null = null;
  try {
    sheet = new CSSStyleSheet();
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  } catch {
    sheet = null;
  }
  return {
    set(css) {
      if (sheet) {
        sheet.replaceSync(css);
        // A page that assigns its own list drops ours: take our place again.
        if (!doc.adoptedStyleSheets.includes(sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
        return;
      }
      if (!fallback) {
        fallback = doc.createElement('style');
        (doc.head ?? doc.documentElement).append(fallback);
      }
      fallback.textContent = css;
    },
    remove() {
      if (sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      fallback?.remove();
    },
  };
}
