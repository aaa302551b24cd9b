import type { FindOptions, TermFinder } from '../glossary/types';
import { createBlockRanker } from './priority';
import type { HitRegistry, TermHit } from './registry';
import { locate, walkSegments, type Segment } from './segments';

/** The name of the performance measure of each chunk of scanning work (a fixed contract). */
export const MEASURE_NAME = 'scipop:annotate';

/** Never hold the main thread longer than this in one chunk; the hard limit is 50 ms. */
const CHUNK_BUDGET_MS = 10;

/** Something that runs a callback when the page is idle (requestIdleCallback in the browser). */
export type IdleScheduler = (run: (deadline: { timeRemaining(): number }) => void) => void;

export interface AnnotatorOptions {
  doc: Document;
  registry: HitRegistry;
  /**
   * The finder and filters in force; read at each segment, so a settings change applies at once.
   * Return the same object until something changes: the matcher caches its filters per object.
   */
  finder: () => TermFinder;
  findOptions: () => FindOptions;
  schedule?: IdleScheduler;
  /** Called when all queued work is done. */
  onIdle?: () => void;
}

/** Scans pages in idle-time chunks and keeps the highlights in step with the page. */
export interface Annotator {
  /** Forgets every highlight and scans the whole document again, visible content first. */
  scanAll(): void;
  /** Scans these blocks again (their old highlights go first). */
  rescan(blocks: Iterable<Element>): void;
  /** Removes highlights whose text left the document or changed. */
  dropStale(): number;
  /** Resolves when no work is queued. */
  whenIdle(): Promise<void>;
  stop(): void;
}

/** What a unit of work was, so each measure says where its time went. */
type Phase = 'walk' | 'rank' | 'match' | 'sort';
type Task = Generator<Phase, void, undefined>;

const defaultSchedule: IdleScheduler = (run) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 500 });
  else setTimeout(() => run({ timeRemaining: () => CHUNK_BUDGET_MS }), 1);
};

/** The annotator of a document. */
export function createAnnotator(opts: AnnotatorOptions): Annotator {
  const { doc, registry } = opts;
  const schedule = opts.schedule ?? defaultSchedule;
  const queue: Task[] = [];
  let seen = new Set<string>();
  // The filters with this pass's `seen`, rebuilt only when either changes.
  let base: FindOptions | undefined;
  let withSeen: FindOptions = {};
  const currentOptions = (): FindOptions => {
    const next = opts.findOptions();
    if (next !== base || withSeen.seen !== seen) {
      base = next;
      withSeen = { ...next, seen };
    }
    return withSeen;
  };
  let scheduled = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const kick = () => {
    if (scheduled || stopped || queue.length === 0) return;
    scheduled = true;
    schedule(runChunk);
  };

  function runChunk(deadline: { timeRemaining(): number }) {
    scheduled = false;
    if (stopped) return;
    const start = performance.now();
    const budget = Math.max(4, Math.min(CHUNK_BUDGET_MS, deadline.timeRemaining()));
    let units = 0;
    let last = start;
    const phases: Partial<Record<Phase, number>> = {};
    while (queue.length > 0) {
      const task = queue[0]!;
      const step = task.next();
      const now = performance.now();
      if (step.done) queue.shift();
      else phases[step.value] = (phases[step.value] ?? 0) + now - last;
      last = now;
      units++;
      if (now - start >= budget) break;
    }
    performance.measure(MEASURE_NAME, {
      start,
      end: performance.now(),
      detail: { units, hits: registry.size, phases },
    });
    if (queue.length > 0) kick();
    else {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
      opts.onIdle?.();
    }
  }

  function matchSegment(seg: Segment) {
    // The page may have changed since the segment was collected: read its nodes again.
    if (!seg.nodes.every((n) => n.isConnected)) return;
    const text = seg.nodes.map((n) => n.data).join('');
    if (text !== seg.text) {
      seg.text = text;
      let at = 0;
      seg.starts = seg.nodes.map((n) => ((at += n.data.length), at - n.data.length));
    }
    // Matching a segment replaces what was found in it before, so a rescan never doubles a term.
    const old = new Set(seg.nodes.flatMap((n) => registry.inNode(n)));
    if (old.size > 0) forget((hit) => old.has(hit));
    const matches = opts.finder().find(seg.text, currentOptions());
    for (const m of matches) {
      const [si, so] = locate(seg, m.start, false);
      const [ei, eo] = locate(seg, m.end, true);
      const nodes = seg.nodes.slice(si, ei + 1);
      const range = new StaticRange({
        startContainer: nodes[0]!,
        startOffset: so,
        endContainer: nodes[nodes.length - 1]!,
        endOffset: eo,
      });
      registry.add({ range, id: m.id, lang: m.lang, nodes });
    }
  }

  function forget(drop: (hit: TermHit) => boolean) {
    const gone: string[] = [];
    const n = registry.removeWhere((hit) => {
      if (!drop(hit)) return false;
      gone.push(hit.id);
      return true;
    });
    // With "first occurrence only", a term whose only highlight went may be found again elsewhere.
    for (const id of gone) if (registry.count(id) === 0) seen.delete(id);
    return n;
  }

  function* fullPass(): Task {
    const body = doc.body;
    if (!body) return;
    const segments: Segment[] = [];
    for (const seg of walkSegments(body)) {
      segments.push(seg);
      yield 'walk';
    }
    const ranker = createBlockRanker(doc);
    const ranked: [number, number, Segment][] = [];
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const rank = ranker(seg.block);
      if (rank >= 0) ranked.push([rank, i, seg]);
      if (i % 64 === 63) yield 'rank';
    }
    ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    yield 'sort';
    for (const [, , seg] of ranked) {
      matchSegment(seg);
      yield 'match';
    }
  }

  function* blockPass(blocks: Element[]): Task {
    const ranker = createBlockRanker(doc);
    for (const block of blocks) {
      if (!block.isConnected) continue;
      for (const seg of walkSegments(block)) {
        if (ranker(seg.block) >= 0) matchSegment(seg);
        yield 'match';
      }
    }
  }

  return {
    scanAll() {
      queue.length = 0;
      registry.clear();
      seen = new Set();
      queue.push(fullPass());
      kick();
    },
    rescan(blocks) {
      const list = topmost([...blocks]);
      if (list.length === 0) return;
      forget((hit) => list.some((b) => b.contains(hit.range.startContainer)));
      queue.push(blockPass(list));
      kick();
    },
    dropStale() {
      return forget(
        (hit) => hit.nodes.some((n) => !n.isConnected) || hit.range.endOffset > (hit.range.endContainer as Text).length,
      );
    },
    whenIdle() {
      if (queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stop() {
      stopped = true;
      queue.length = 0;
    },
  };
}

/** The blocks not inside another block of the list. */
function topmost(blocks: Element[]): Element[] {
  const set = new Set(blocks);
  return blocks.filter((b) => {
    for (let p = b.parentElement; p; p = p.parentElement) if (set.has(p)) return false;
    return true;
  });
}
