// `npm run bench [section…]`: every benchmark in one run, printed as tables against named baselines.
import { existsSync } from 'node:fs';
import { printTable } from './harness';

interface Section {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
}
type Bench = () => Promise<Section[]>;

const sections: Record<string, () => Promise<Bench | null>> = {
  matcher: async () => (await import('./matcher')).benchMatcher,
};
// Sections owned by the engine and the extension load when their modules are present.
const optional: Record<string, [string, string]> = {
  'engine-parse': ['./engine-parse.ts', 'benchEngineParse'],
  'engine-cycle': ['./engine-cycle.ts', 'benchEngineCycle'],
  browser: ['./browser.ts', 'benchBrowser'],
};
for (const [name, [file, fn]] of Object.entries(optional)) {
  if (existsSync(new URL(file, import.meta.url))) {
    sections[name] = async () => ((await import(file)) as Record<string, Bench>)[fn] ?? null;
  }
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length > 0) {
  console.error(`bench: no section ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
console.log(`# SciPop benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  const bench = await sections[name]!();
  if (!bench) {
    console.log(`\n## ${name}: module present but exports no bench function`);
    continue;
  }
  for (const section of await bench()) {
    printTable(section.title, section.rows);
    for (const note of section.notes ?? []) console.log(`- ${note}`);
  }
}
