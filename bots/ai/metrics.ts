import { Counter, Histogram, type Registry } from 'prom-client';
import type { DraftMetrics } from './drafter';

/** The drafting counters on /metrics: drafts by outcome, tokens by kind, and time per draft. */
export function createDraftMetrics(registry: Registry): DraftMetrics {
  const drafts = new Counter({
    name: 'scipop_ai_drafts_total',
    help: 'Glossary drafts asked of the language model, by outcome (ok, problems left, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'scipop_ai_tokens_total',
    help: 'Tokens the language model used for drafts, by kind (prompt, answer)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'scipop_ai_draft_seconds',
    help: 'Time to make one draft, every request and retry included',
    buckets: [1, 2, 5, 10, 20, 40, 80, 160],
    registers: [registry],
  });
  return {
    drafted(outcome, took, used) {
      drafts.inc({ outcome });
      tokens.inc({ kind: 'prompt' }, used.prompt);
      tokens.inc({ kind: 'answer' }, used.answer);
      seconds.observe(took);
    },
  };
}
