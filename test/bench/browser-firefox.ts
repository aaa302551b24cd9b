// The extension in a real Firefox (firefox-esr over WebDriver BiDi) on the same pages as the
// Chromium bench: annotate passes, terms highlighted, glossary load. Part of `npm run bench -- browser`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_PAGES, startServer } from '../e2e/harness';
import { ffWaitForScan, launchFirefox } from '../e2e/firefox';
import { FIREFOX, HAVE_CORPORA, ROOT } from '../support/outside';

type Row = Record<string, string | number>;

const round = (n: number) => Math.round(n * 10) / 10;

/** The corpus pages where the corpora are, and our own long article everywhere. */
function pages(): { path: string; file: string }[] {
  const own = [{ path: 'article.html', file: join(ROOT, 'test/fixtures/ext/article.html') }];
  if (!HAVE_CORPORA) return own;
  const corpus = readdirSync(CORPUS_PAGES)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => ({ path: `corpora/${f}`, file: join(CORPUS_PAGES, f) }));
  return [...corpus, ...own];
}

/** Each page once in Firefox; the rows of the section. */
export async function runFirefoxBench(): Promise<Row[]> {
  const server = await startServer();
  const ff = await launchFirefox();
  const rows: Row[] = [];
  try {
    for (const { path, file } of pages()) {
      const page = await ff.newPage(`${server.origin}/${path}`);
      const terms = await ffWaitForScan(page, 600);
      const { passes, load } = await page.evaluate(() => ({
        passes: performance.getEntriesByName('scipop:annotate', 'measure').map((m) => m.duration),
        load: performance.getEntriesByName('scipop:load', 'measure').reduce((a, m) => a + m.duration, 0),
      }));
      rows.push({
        page: path.replace(/^corpora\//, ''),
        KB: Math.round(statSync(file).size / 1024),
        passes: passes.length,
        'annotate total ms': round(passes.reduce((a, b) => a + b, 0)),
        'longest pass ms': round(Math.max(0, ...passes)),
        'terms highlighted': terms,
        'glossary load ms': round(load),
      });
      await page.close();
      process.stderr.write(`firefox bench: ${path} done\n`);
    }
  } finally {
    await ff.close();
    await server.close();
  }
  return rows;
}

/** The Firefox section for `npm run bench -- browser`, or a note that no Firefox was found. */
export async function benchFirefox(): Promise<{ title: string; rows: Row[]; notes: string[] }> {
  if (!FIREFOX) return { title: 'Extension in Firefox', rows: [], notes: ['skipped: no Firefox (set SCIPOP_FIREFOX)'] };
  const rows = await runFirefoxBench();
  const longest = Math.max(...rows.map((r) => Number(r['longest pass ms'])));
  return {
    title: `Extension in Firefox (${FIREFOX}, WebDriver BiDi; Firefox timers are coarsened to 1 ms)`,
    rows,
    notes: [`longest scipop:annotate pass on any page: ${round(longest)} ms (target < 50 ms)`],
  };
}
