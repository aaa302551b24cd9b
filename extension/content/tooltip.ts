import type { EntryInfo, EntryView } from '../glossary/types';
import { placeTooltip, type Box } from './placement';
import { TOOLTIP_CSS } from './tooltip-style';

/** The tag of the tooltip's host element (a fixed contract). */
export const TOOLTIP_TAG = 'scipop-tooltip';

export interface TooltipOptions {
  doc: Document;
  /** A UI string in the browser's language. */
  t: (key: string, substitutions?: string | string[]) => string;
  /** An entry with its related terms, when the reader follows a related term. */
  fetch: (lang: string, id: string) => Promise<EntryView | undefined>;
  onKnow: (entry: EntryInfo) => void;
}

/** A button under a note. */
export interface NoteAction {
  label: string;
  run: () => void;
}

/** The one tooltip of a page. */
export interface Tooltip {
  show(view: EntryView, anchor: Box, opts?: { focus?: boolean }): void;
  /** Shows a short note instead of an entry (nothing found at the selection), with buttons if given. */
  note(text: string, anchor: Box, actions?: readonly NoteAction[]): void;
  hide(): void;
  readonly open: boolean;
  readonly entry: EntryInfo | undefined;
  readonly host: HTMLElement;
}

const HOST_STYLE = [
  'all: initial',
  'position: fixed',
  'inset: auto',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'overflow: visible',
  'z-index: 2147483647',
  'display: block',
  'width: max-content',
  'height: auto',
  'max-width: none',
]
  .map((d) => `${d} !important`)
  .join(';');

/** Creates the tooltip; its host joins the page only while it is shown. */
export function createTooltip(opts: TooltipOptions): Tooltip {
  const { doc, t } = opts;
  // Content scripts have no customElements registry in Chrome, but any valid custom element
  // name may carry a shadow root, defined or not.
  const host = doc.createElement(TOOLTIP_TAG);
  host.setAttribute('style', HOST_STYLE);
  const supportsPopover = typeof host.showPopover === 'function';
  if (supportsPopover) host.setAttribute('popover', 'manual');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = TOOLTIP_CSS;
  const card = doc.createElement('div');
  card.className = 'card';
  card.id = 'explanation';
  card.setAttribute('role', 'tooltip');
  card.tabIndex = -1;
  shadow.append(style, card);

  let current: EntryInfo | undefined;
  let anchor: Box = { left: 0, top: 0, right: 0, bottom: 0 };
  let returnFocus: HTMLElement | null = null;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) => {
    const e = doc.createElement(tag);
    e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function render(view: EntryView) {
    const { entry } = view;
    current = entry;
    card.replaceChildren();
    card.lang = entry.lang;
    const head = el('div', 'head');
    head.append(
      el('span', 'term', entry.term),
      el('span', 'field', entry.fields.map((f) => t(`field_${f.replace(/-/g, '_')}`) || f).join(' · ')),
    );
    const more = el('div', 'more');
    more.hidden = true;
    more.append(el('p', 'long', entry.long));
    const related = view.related;
    if (related.length > 0) {
      const p = el('p', 'related', `${t('tooltipRelated')} `);
      related.forEach((r, i) => {
        const b = el('button', 'rel', r.term);
        b.type = 'button';
        b.addEventListener('click', async () => {
          const next = await opts.fetch(r.lang, r.id);
          if (!next || !host.isConnected) return;
          render(next);
          position();
        });
        p.append(...(i > 0 ? [doc.createTextNode(', '), b] : [b]));
      });
      more.append(p);
    }
    const actions = el('div', 'actions');
    const moreButton = el('button', 'more-btn', t('tooltipMore'));
    moreButton.type = 'button';
    moreButton.setAttribute('aria-expanded', 'false');
    moreButton.addEventListener('click', () => {
      more.hidden = !more.hidden;
      moreButton.setAttribute('aria-expanded', String(!more.hidden));
      moreButton.textContent = t(more.hidden ? 'tooltipMore' : 'tooltipLess');
      position();
    });
    actions.append(moreButton);
    const url = entry.source && safeUrl(entry.source.url);
    if (entry.source && url) {
      const a = el('a', 'source', entry.source.title);
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.title = t('tooltipSource');
      actions.append(a);
    }
    const know = el('button', 'know', t('tooltipKnow'));
    know.type = 'button';
    know.addEventListener('click', () => {
      hide();
      opts.onKnow(entry);
    });
    actions.append(know);
    // Who wrote it: the reader can tell SciPop's reviewed text from a community's.
    const origin = el('p', 'origin', entry.origin ? t('tooltipFrom', entry.origin) : t('tooltipFromEditors'));
    card.append(head, el('p', 'short', entry.short), origin, more, actions);
  }

  function attach() {
    // Inside the fullscreen element when there is one (else it would be behind it); the top
    // layer (popover) puts it above the page's own overlays whatever their z-index.
    const fs = doc.fullscreenElement;
    const parent =
      fs && !/^(video|img|canvas|iframe|object|embed)$/.test(fs.localName) ? fs : (doc.body ?? doc.documentElement);
    if (host.parentNode !== parent) parent.append(host);
    if (supportsPopover) {
      if (host.matches(':popover-open')) host.hidePopover();
      host.showPopover();
    }
  }

  function position() {
    const win = doc.defaultView!;
    host.style.setProperty('visibility', 'hidden', 'important');
    host.style.setProperty('left', '0px', 'important');
    host.style.setProperty('top', '0px', 'important');
    const rect = card.getBoundingClientRect();
    const viewport = { width: doc.documentElement.clientWidth || win.innerWidth, height: win.innerHeight };
    const place = placeTooltip(anchor, { width: rect.width, height: rect.height }, viewport);
    host.style.setProperty('left', `${place.left}px`, 'important');
    host.style.setProperty('top', `${place.top}px`, 'important');
    host.style.setProperty('visibility', 'visible', 'important');
    host.dataset.side = place.side;
  }

  function showWith(box: Box, focus: boolean) {
    anchor = box;
    attach();
    position();
    if (focus) {
      const active = doc.activeElement;
      returnFocus = active instanceof HTMLElement && active !== host ? active : null;
      card.focus({ preventScroll: true });
    }
  }

  function hide() {
    if (!host.isConnected) return;
    const hadFocus = doc.activeElement === host;
    if (supportsPopover && host.matches(':popover-open')) host.hidePopover();
    host.remove();
    current = undefined;
    if (hadFocus && returnFocus?.isConnected) returnFocus.focus({ preventScroll: true });
    returnFocus = null;
  }

  return {
    show(view, box, o) {
      render(view);
      showWith(box, o?.focus ?? false);
    },
    note(text, box, actions = []) {
      current = undefined;
      card.replaceChildren(el('p', 'note', text));
      if (actions.length > 0) {
        const row = el('div', 'actions');
        for (const action of actions) {
          const b = el('button', 'ask', action.label);
          b.type = 'button';
          b.addEventListener('click', action.run);
          row.append(b);
        }
        card.append(row);
      }
      showWith(box, true);
    },
    hide,
    get open() {
      return host.isConnected;
    },
    get entry() {
      return current;
    },
    host,
  };
}

/** Only web links open from a tooltip: a pack could carry `javascript:` in a source. */
function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
