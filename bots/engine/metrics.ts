import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/types';
import type { Coordinator } from './workers';

/** The engine's Prometheus metrics, on their own registry (tests create many engines). */
export interface EngineMetrics {
  registry: Registry;
  fetches: Counter<'result'>;
  fetchFailures: Counter<'code'>;
  fetchSeconds: Histogram;
  items: Counter;
  deliveries: Counter<'sink' | 'result'>;
  pauses: Counter;
}

/**
 * Creates the metrics: fetches by result (ok, not_modified, error), 304s among them, failures by
 * code, new items, deliveries by sink and result, and — read from the store at scrape time — the
 * outbox depth by status and the sources by state.
 */
export function createEngineMetrics(
  store: Store,
  options: { defaultMetrics?: boolean; workers?: Pick<Coordinator, 'liveWorkers' | 'ownedChannels'> } = {},
): EngineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'scipop_' });
  const fetches = new Counter({
    name: 'scipop_fetches_total',
    help: 'Feed fetches by result (ok, not_modified, error)',
    labelNames: ['result'],
    registers: [registry],
  });
  const fetchFailures = new Counter({
    name: 'scipop_fetch_failures_total',
    help: 'Failed fetches by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const fetchSeconds = new Histogram({
    name: 'scipop_fetch_duration_seconds',
    help: 'Time to fetch, parse and store one source',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const items = new Counter({ name: 'scipop_items_total', help: 'New feed items recorded', registers: [registry] });
  const deliveries = new Counter({
    name: 'scipop_deliveries_total',
    help: 'Delivery attempts by sink and result (sent, retry, failed, deferred)',
    labelNames: ['sink', 'result'],
    registers: [registry],
  });
  const pauses = new Counter({
    name: 'scipop_source_pauses_total',
    help: 'Sources paused after failures',
    registers: [registry],
  });
  new Gauge({
    name: 'scipop_outbox_depth',
    help: 'Outbox rows by status (held = approval queue, pending = waiting to send)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const stats = await store.stats();
      for (const [status, n] of Object.entries(stats.deliveries)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'scipop_sources',
    help: 'Sources by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const stats = await store.stats();
      this.set({ state: 'active' }, stats.activeSources);
      this.set({ state: 'paused' }, stats.pausedSources);
    },
  });
  const workers = options.workers;
  if (workers) {
    new Gauge({
      name: 'scipop_live_workers',
      help: "scipop run processes alive on this store, as of this worker's last lease round",
      registers: [registry],
      collect() {
        this.set(workers.liveWorkers());
      },
    });
    new Gauge({
      name: 'scipop_owned_destinations',
      help: 'Destinations this worker holds (sends to) right now',
      registers: [registry],
      collect() {
        this.set(workers.ownedChannels());
      },
    });
  }
  return { registry, fetches, fetchFailures, fetchSeconds, items, deliveries, pauses };
}
