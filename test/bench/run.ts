// `npm run bench [section…]`: every benchmark in one run, printed as tables against named baselines.
import { printTable } from './harness';

interface Section {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
}

// Loaded on demand, so `npm run bench -- matcher` does not start a browser.
const sections: Record<string, () => Promise<() => Promise<Section[]>>> = {
  matcher: async () => (await import('./matcher')).benchMatcher,
  'engine-parse': async () => (await import('./engine-parse')).benchEngineParse,
  'engine-pipeline': async () => (await import('./engine-pipeline')).benchEnginePipeline,
  'engine-cycle': async () => (await import('./engine-cycle')).benchEngineCycle,
  'engine-workers': async () => (await import('./engine-workers')).benchEngineWorkers,
  browser: async () => (await import('./browser')).benchBrowser,
  'ai-drafts': async () => (await import('./ai-drafts')).benchAiDrafts,
  subscription: async () => (await import('./subscription')).benchSubscription,
  living: async () => (await import('./living')).benchLiving,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length > 0) {
  console.error(`bench: no section ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
console.log(`# SciPop benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  const bench = await sections[name]!();
  for (const section of await bench()) {
    printTable(section.title, section.rows);
    for (const note of section.notes ?? []) console.log(`- ${note}`);
  }
}
