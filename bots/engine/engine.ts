import type { Source } from '../store/types';
import { compileChannels, type CompiledChannel } from './channels';
import { deliverPending, recoverInDoubt, type DeliveryReport } from './delivery';
import { pollSource, type PollReport } from './poller';
import type { ChannelRegistry, EngineDeps } from './types';

/** What one cycle did, for `--once`, logs and the benchmark. */
export interface CycleReport {
  polled: number;
  ok: number;
  notModified: number;
  errors: number;
  newItems: number;
  queued: number;
  paused: number;
  delivery: DeliveryReport;
}

/** The running bot network: poll due sources, deliver, repeat; or one cycle for `--once`. */
export interface Engine {
  /** Loads channels and resolves deliveries a crash left in doubt. Call once before the rest. */
  init(): Promise<void>;
  /** Reads the channels and their rules from the store again (a moderator changed a filter). */
  reloadChannels(): Promise<void>;
  /** Polls the given sources (default: every active one, due or not), then delivers everything due. */
  runOnce(sources?: readonly Source[]): Promise<CycleReport>;
  /** Runs until stop(): each tick polls the due sources and delivers. */
  start(tickMs?: number): Promise<void>;
  /** Stops taking work, lets in-flight polls and the current send finish, and returns. */
  stop(): Promise<void>;
  readonly channels: ChannelRegistry;
  /** True after init and until stop; /healthz reports it. */
  readonly running: boolean;
}

/** Runs `work` over `list` with at most `limit` at once. */
async function pool<T>(list: readonly T[], limit: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length && !signal?.aborted) await work(list[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

/** Creates the engine over its dependencies; bots/main.ts builds the real ones. */
export function createEngine(deps: EngineDeps): Engine {
  let compiled: CompiledChannel[] = [];
  let byId = new Map<string, CompiledChannel>();
  let running = false;
  const stopper = new AbortController();
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const channels: ChannelRegistry = { list: () => compiled, get: (id) => byId.get(id) };

  const loadChannels = async () => {
    compiled = compileChannels(await deps.store.listChannels(), (channel, errors) =>
      deps.log.error({ channel: channel.id, errors }, 'channel rules are invalid; the channel receives nothing until they are fixed'),
    );
    byId = new Map(compiled.map((c) => [c.channel.id, c]));
  };

  const notifyPaused = async (source: Source, reason: string) => {
    const text = `Source paused: ${source.title} (${source.url})\nReason: ${reason}\nResume it with: scipop sources resume ${source.id}`;
    for (const c of compiled) {
      const sink = deps.sinks.get(c.channel.sink);
      if (!sink) continue;
      try {
        await sink.notify(c.target, text);
      } catch (error) {
        deps.log.warn({ channel: c.channel.id, err: (error as Error).message }, 'could not notify moderators');
      }
    }
  };

  const pollAll = async (sources: readonly Source[]) => {
    const reports: PollReport[] = [];
    await pool(
      sources,
      deps.settings.concurrency,
      async (source) => {
        try {
          reports.push(await pollSource(source, deps, channels, notifyPaused));
        } catch (error) {
          // A bug or a store failure: log it with the source and keep the cycle going.
          deps.log.error({ source: source.url, err: (error as Error).stack ?? String(error) }, 'poll crashed');
          reports.push({ sourceId: source.id, outcome: 'error', newItems: 0, deliveries: 0, error: (error as Error).message });
        }
      },
      stopper.signal,
    );
    return reports;
  };

  const summarize = (reports: PollReport[], delivery: DeliveryReport): CycleReport => ({
    polled: reports.length,
    ok: reports.filter((r) => r.outcome === 'ok').length,
    notModified: reports.filter((r) => r.outcome === 'not-modified').length,
    errors: reports.filter((r) => r.outcome === 'error').length,
    newItems: reports.reduce((n, r) => n + r.newItems, 0),
    queued: reports.reduce((n, r) => n + r.deliveries, 0),
    paused: reports.filter((r) => r.pausedReason).length,
    delivery,
  });

  const cycle = async (sources: readonly Source[]) => {
    const reports = await pollAll(sources);
    const delivery = await deliverPending(deps, channels, { signal: stopper.signal });
    return summarize(reports, delivery);
  };

  return {
    channels,
    get running() {
      return running;
    },
    async init() {
      await loadChannels();
      const recovered = await recoverInDoubt(deps, channels);
      if (recovered > 0) deps.log.warn({ rows: recovered }, 'resolved deliveries left in doubt by the previous run');
      running = true;
    },
    reloadChannels: loadChannels,
    async runOnce(sources) {
      const list = sources ?? (await deps.store.listSources()).filter((s) => s.active);
      return cycle(list);
    },
    start(tickMs = 1000) {
      loop = (async () => {
        while (!stopper.signal.aborted) {
          try {
            const due = await deps.store.dueSources(deps.clock.now().getTime(), deps.settings.concurrency * 8);
            const report = await cycle(due);
            if (report.polled > 0 || report.delivery.sent > 0) deps.log.debug({ ...report }, 'cycle');
          } catch (error) {
            deps.log.error({ err: (error as Error).stack ?? String(error) }, 'cycle failed');
          }
          if (stopper.signal.aborted) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, tickMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      })();
      return loop;
    },
    async stop() {
      stopper.abort();
      wake?.();
      await loop;
      running = false;
    },
  };
}
