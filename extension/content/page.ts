import { findOptionsFor, languagesFor } from '../glossary/filters';
import type { FindOptions, Glossary } from '../glossary/types';
import type { AskOffer, BackgroundReplies } from '../messaging/background-protocol';
import { MAX_ASK_CHARS, MAX_ASK_WORDS } from '../messaging/content-side';
import type { ExplainResult, PageGlossary } from '../messaging/protocol';
import type { Settings } from '../settings/schema';
import { isActiveOn } from '../settings/active';
import { createAnnotator } from './annotator';
import { createHoverController } from './hover';
import { createMutationWatcher } from './mutations';
import { ACTIVE_HIGHLIGHT_NAME, createPageStyle, highlightCss } from './page-style';
import type { Box } from './placement';
import { createHitRegistry, inDocumentOrder, type TermHit } from './registry';
import { createTooltip } from './tooltip';

export interface PageOptions {
  doc: Document;
  glossary: Glossary;
  settings: Settings;
  /** A UI string in the browser's language. */
  t: (key: string, substitutions?: string | string[]) => string;
  /** Stores "I know this" (the settings change then reaches every tab). */
  markKnown: (id: string) => void;
  /** "Ask the community to explain this", through the background; absent: never offered. */
  community?: CommunityAsking;
}

/** What the page needs to offer "Ask the community" (the background answers; undefined: no answer). */
export interface CommunityAsking {
  offer(): Promise<AskOffer | null | undefined>;
  ask(text: string, lang: string, consent: boolean): Promise<BackgroundReplies['ask-community'] | undefined>;
}

/** SciPop in one page: scanning, highlights, hover, tooltip and the answers to messages. */
export interface ScipopPage {
  applySettings(settings: Settings): void;
  setGlossary(glossary: Glossary): void;
  /** The page's URL changed without a load (a single-page app): scan it all again. */
  relocate(): void;
  explain(text?: string): Promise<ExplainResult>;
  pageGlossary(): PageGlossary;
  whenIdle(): Promise<void>;
  stop(): void;
}

const FILTER_KEYS = ['languages', 'fields', 'maxLevel', 'occurrences'] as const;

/** Starts SciPop in a document. */
export function startPage(opts: PageOptions): ScipopPage {
  const { doc, t } = opts;
  const host = doc.location?.hostname ?? '';
  let glossary = opts.glossary;
  let settings = opts.settings;
  let active = false;
  const registry = createHitRegistry();
  const activeHighlight = new Highlight();
  activeHighlight.priority = 1;
  CSS.highlights.set(ACTIVE_HIGHLIGHT_NAME, activeHighlight);
  const style = createPageStyle(doc);
  // One filters object per settings and glossary: the matcher caches its work per object.
  let filters: { settings: Settings; glossary: Glossary; options: FindOptions } | undefined;
  const findOptions = (): FindOptions => {
    if (filters?.settings !== settings || filters.glossary !== glossary)
      filters = { settings, glossary, options: findOptionsFor(settings, glossary) };
    return filters.options;
  };
  const makeAnnotator = () => createAnnotator({ doc, registry, finder: () => glossary.finder, findOptions });
  let annotator = makeAnnotator();

  const forgetTerm = (id: string) => registry.removeWhere((h) => h.id === id);
  const tooltip = createTooltip({
    doc,
    t,
    fetch: (lang, id) => glossary.view(lang, id),
    onKnow: (entry) => {
      activeHighlight.clear();
      forgetTerm(entry.id);
      opts.markKnown(entry.id);
    },
  });
  const isOurs = (n: Node) => n === tooltip.host || tooltip.host.contains(n);
  // Each show or hide takes a ticket: an explanation that arrives after a newer request is dropped.
  let ticket = 0;
  const showHit = async (hit: TermHit, box: Box, focus = false) => {
    const mine = ++ticket;
    const view = await glossary.view(hit.lang, hit.id);
    if (!view || mine !== ticket || !hit.nodes.every((n) => n.isConnected)) return false;
    activeHighlight.clear();
    activeHighlight.add(hit.range);
    tooltip.show(view, box, { focus });
    return true;
  };
  const hide = () => {
    ticket++;
    activeHighlight.clear();
    tooltip.hide();
  };
  let hover: ReturnType<typeof createHoverController> | undefined;
  let watcher: ReturnType<typeof createMutationWatcher> | undefined;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && tooltip.open) {
      hover?.dismiss();
      hide();
      e.stopPropagation();
    }
  };

  function activate() {
    active = true;
    style.set(highlightCss(settings.style, settings.color));
    hover = createHoverController({
      doc,
      registry,
      host: tooltip.host,
      delay: () => settings.hoverDelay,
      show: (hit, box) => void showHit(hit, box),
      hide,
      isOpen: () => tooltip.open,
    });
    watcher = createMutationWatcher({
      doc,
      isOurs,
      onChange: (blocks, removed) => {
        if (removed) annotator.dropStale();
        annotator.rescan(blocks);
        if (
          tooltip.open &&
          tooltip.entry &&
          registry.count(tooltip.entry.id) === 0 &&
          !doc.activeElement?.isSameNode(tooltip.host)
        )
          hide();
      },
    });
    doc.addEventListener('keydown', onKey, true);
    annotator.scanAll();
  }

  function deactivate() {
    active = false;
    hover?.dispose();
    watcher?.stop();
    doc.removeEventListener('keydown', onKey, true);
    annotator.stop();
    registry.clear();
    hide();
    style.remove();
  }

  if (isActiveOn(settings, host)) activate();

  return {
    applySettings(next) {
      const prev = settings;
      settings = next;
      const shouldRun = isActiveOn(next, host);
      if (!shouldRun) {
        if (active) deactivate();
        return;
      }
      if (!active) {
        // The annotator was stopped with the page; a fresh start needs a fresh one.
        annotator = makeAnnotator();
        activate();
        return;
      }
      if (prev.style !== next.style || prev.color !== next.color) style.set(highlightCss(next.style, next.color));
      const known = new Set(next.known);
      const unknown = prev.known.some((id) => !known.has(id));
      if (unknown || FILTER_KEYS.some((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]))) annotator.scanAll();
      else if (next.known.length > prev.known.length) registry.removeWhere((h) => known.has(h.id));
    },
    setGlossary(next) {
      glossary = next;
      if (active) annotator.scanAll();
    },
    relocate() {
      if (!active) return;
      hide();
      annotator.scanAll();
    },
    async explain(text) {
      if (!active) return { shown: false };
      const sel = doc.getSelection();
      const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
      if (range) {
        const hit = hitInRange(range);
        if (hit) {
          const r = hit.range;
          const box = toRange(doc, r).getBoundingClientRect();
          if (await showHit(hit, box, true)) return { shown: true, id: hit.id };
        }
      }
      const box = range ? range.getBoundingClientRect() : centerBox(doc);
      const query = (text ?? sel?.toString() ?? '').trim();
      const match = query
        ? glossary.finder.find(query, {
            langs: languagesFor(settings.languages, glossary.langs),
            // The reader chose this text: "TB" on its own is what they ask about.
            ignoreContext: true,
          })[0]
        : undefined;
      const mine = ++ticket;
      const view = match && (await glossary.view(match.lang, match.id));
      if (mine !== ticket) return { shown: false };
      if (view) {
        activeHighlight.clear();
        tooltip.show(view, box, { focus: true });
        return { shown: true, id: view.entry.id };
      }
      tooltip.note(query ? t('noTermInSelection') : t('noTermAtCaret'), box);
      if (query) void offerAsk(query, box, mine);
      return { shown: false };
    },
    pageGlossary() {
      const terms = new Map<string, { id: string; lang: string; count: number }>();
      for (const hit of inDocumentOrder(registry.all())) {
        const key = `${hit.lang}:${hit.id}`;
        const term = terms.get(key);
        if (term) term.count++;
        else terms.set(key, { id: hit.id, lang: hit.lang, count: 1 });
      }
      return { host, active, terms: [...terms.values()] };
    },
    whenIdle: () => annotator.whenIdle(),
    stop: deactivate,
  };

  /**
   * Offers "Ask the community" under the note, where a subscribed community takes requests. Only
   * the selected words and their language are sent, and only once the reader has said yes.
   */
  async function offerAsk(query: string, box: Box, mine: number) {
    const words = query.split(/\s+/).join(' ');
    if (!opts.community || words.length > MAX_ASK_CHARS || words.split(' ').length > MAX_ASK_WORDS) return;
    const offer = await opts.community.offer();
    if (!offer || mine !== ticket || !tooltip.open) return;
    const lang = /[\u3400-\u9fff\uf900-\ufaff]/.test(words) ? 'zh' : 'en';
    const send = async (consent: boolean) => {
      const reply = await opts.community!.ask(words, lang, consent);
      if (mine !== ticket) return;
      tooltip.note(reply?.sent ? t('askSent', offer.community) : t('askFailed', reply?.error ?? t('askNoAnswer')), box);
    };
    const confirm = () =>
      tooltip.note(t('askConfirm', [words, offer.community]), box, [
        { label: t('askSend'), run: () => void send(true) },
      ]);
    tooltip.note(t('noTermInSelection'), box, [
      { label: t('askOffer'), run: () => (offer.consent ? void send(false) : confirm()) },
    ]);
  }

  function hitInRange(range: Range): TermHit | undefined {
    for (const [node, offset] of [
      [range.startContainer, range.startOffset],
      [range.endContainer, range.endOffset],
    ] as const) {
      if (node.nodeType === Node.TEXT_NODE) {
        const hit = registry.at(node as Text, offset);
        if (hit) return hit;
      }
    }
    if (range.collapsed) return undefined;
    for (const hit of inDocumentOrder(registry.all()))
      if (range.intersectsNode(hit.nodes[0]!) && rangesOverlap(range, hit.range)) return hit;
    return undefined;
  }
}

function toRange(doc: Document, r: AbstractRange): Range {
  const range = doc.createRange();
  range.setStart(r.startContainer, r.startOffset);
  range.setEnd(r.endContainer, r.endOffset);
  return range;
}

/** Whether b starts before a ends and ends after a starts. */
function rangesOverlap(a: Range, b: AbstractRange): boolean {
  return a.comparePoint(b.startContainer, b.startOffset) <= 0 && a.comparePoint(b.endContainer, b.endOffset) >= 0;
}

function centerBox(doc: Document): Box {
  const w = doc.defaultView?.innerWidth ?? 800;
  return { left: w / 2 - 160, top: 40, right: w / 2 + 160, bottom: 40 };
}
