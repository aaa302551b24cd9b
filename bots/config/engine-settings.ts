import type { EngineSettings } from '../engine/types';
import type { Config } from './config';

/** The engine settings a config file gives. */
export function engineSettings(config: Config): EngineSettings {
  const { sources, fetch, delivery } = config;
  return {
    schedule: {
      defaultIntervalMinutes: sources.defaultIntervalMinutes,
      minIntervalMinutes: sources.minIntervalMinutes,
      maxIntervalMinutes: sources.maxIntervalMinutes,
      jitter: sources.jitter,
      maxBackoffMinutes: sources.maxBackoffMinutes,
      pauseAfterFailures: sources.pauseAfterFailures,
    },
    firstFetchPosts: sources.firstFetchPosts,
    maxTerms: delivery.maxTerms,
    concurrency: fetch.concurrency,
    channelConcurrency: delivery.channelConcurrency,
    maxAttempts: delivery.maxAttempts,
    inDoubt: delivery.inDoubt,
    leaseMs: config.workers.leaseSeconds * 1000,
    forgetItemsAfterMs: sources.forgetItemsAfterDays * 86_400_000,
  };
}
