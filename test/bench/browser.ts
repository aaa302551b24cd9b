// The extension in real Chromium on the real pages: scipop:annotate passes against mark.js run in
// the same page with the same surface forms. `npx tsx test/bench/browser.ts` runs it alone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { listPackFiles, readPackFiles } from '../../bots/glossary/bundled';
import { CHROME_EXT, ROOT } from '../e2e/build';
import { CORPUS_PAGES, launchWithExtension, startServer, waitForScan } from '../e2e/harness';
import { benchFirefox } from './browser-firefox';
import { printTable } from './harness';

type Row = Record<string, string | number>;

/** The surface forms the matcher looks for (terms and aliases), split by script for mark.js. */
function surfaceForms(): { spaced: string[]; unspaced: string[] } {
  const spaced = new Set<string>();
  const unspaced = new Set<string>();
  for (const { pack } of readPackFiles(listPackFiles()).packs) {
    for (const e of pack.entries)
      for (const form of [e.term, ...e.aliases]) (/\p{Script=Han}/u.test(form) ? unspaced : spaced).add(form);
  }
  return { spaced: [...spaced], unspaced: [...unspaced] };
}

/**
 * The size of the content script (which must carry no glossary data: pages get the matcher from
 * the background) and of the glossary in the background script: the object literal the build
 * inlines (`{matcher:"…",keys:"…",entries:[…],packs:[…]}`), found by scanning its brackets.
 */
export function contentScriptSize(): { totalKB: number; codeKB: number; glossaryKB: number } {
  const content = readFileSync(join(CHROME_EXT, 'content-scripts/content.js'), 'utf8');
  const codeKB = round(Buffer.byteLength(content) / 1024) - round(glossaryBytes(content) / 1024);
  const background = readFileSync(join(CHROME_EXT, 'background.js'), 'utf8');
  return {
    totalKB: round(Buffer.byteLength(content) / 1024),
    codeKB: round(codeKB),
    glossaryKB: round(glossaryBytes(background) / 1024),
  };
}

function glossaryBytes(js: string): number {
  const start = js.search(/\{\s*matcher\s*:/);
  let end = start;
  if (start >= 0) {
    let depth = 0;
    let quote = '';
    for (let i = start; i < js.length; i++) {
      const c = js[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) {
        end = i + 1;
        break;
      }
    }
  }
  return start >= 0 ? Buffer.byteLength(js.slice(start, end)) : 0;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * mark.js in the page with the same forms, used the fastest way it offers: one markRegExp per
 * script with every form in one alternation (longest first). Calling mark() per form, the way
 * its docs show for keyword lists, took minutes per page with a whole glossary.
 */
async function markJsRun(
  page: Page,
  forms: { spaced: string[]; unspaced: string[] },
): Promise<{ ms: number; marks: number }> {
  await page.addScriptTag({ content: readFileSync(join(ROOT, 'node_modules/mark.js/dist/mark.min.js'), 'utf8') });
  const escape = (f: string) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\s-]+/g, '[\\s-]+');
  const alternation = (list: string[]) =>
    [...list]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|');
  const sources = {
    spaced: `(?<![\\p{L}\\p{N}])(?:${alternation(forms.spaced)})(?![\\p{L}\\p{N}])`,
    unspaced: alternation(forms.unspaced),
  };
  return page.evaluate((sources) => {
    type MarkFn = (re: RegExp, o: object) => void;
    const MarkCtor = (window as unknown as { Mark: new (el: Element) => { markRegExp: MarkFn } }).Mark;
    // The same elements SciPop leaves alone, so both do the same job.
    const exclude = [
      'script',
      'style',
      'noscript',
      'textarea',
      'input',
      'select',
      'code',
      'pre',
      'kbd',
      'samp',
      'svg',
      'math',
      '[contenteditable]',
      '[aria-hidden="true"]',
      'scipop-tooltip',
      'scipop-tooltip *',
    ];
    const instance = new MarkCtor(document.body);
    const t0 = performance.now();
    instance.markRegExp(new RegExp(sources.spaced, 'giu'), { exclude });
    if (sources.unspaced) instance.markRegExp(new RegExp(sources.unspaced, 'gu'), { exclude });
    const ms = performance.now() - t0;
    return { ms, marks: document.querySelectorAll('mark[data-markjs]').length };
  }, sources);
}

/** Runs every corpus page once: annotate passes, terms highlighted, then mark.js on the same page. */
export async function runBrowserBench(): Promise<{ rows: Row[]; size: ReturnType<typeof contentScriptSize> }> {
  const forms = surfaceForms();
  const server = await startServer();
  const browser = await launchWithExtension();
  const rows: Row[] = [];
  try {
    const files = readdirSync(CORPUS_PAGES)
      .filter((f) => f.endsWith('.html'))
      .sort();
    for (const file of files) {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/corpora/${file}`, { waitUntil: 'load' });
      const terms = await waitForScan(page, 600);
      const passes = await page.evaluate(() =>
        performance.getEntriesByName('scipop:annotate', 'measure').map((m) => m.duration),
      );
      const load = await page.evaluate(() =>
        performance.getEntriesByName('scipop:load', 'measure').reduce((a, m) => a + m.duration, 0),
      );
      const mark = await markJsRun(page, forms);
      const total = passes.reduce((a, b) => a + b, 0);
      rows.push({
        page: file,
        KB: Math.round(statSync(join(CORPUS_PAGES, file)).size / 1024),
        passes: passes.length,
        'annotate total ms': round(total),
        'longest pass ms': round(Math.max(0, ...passes)),
        'terms highlighted': terms,
        'glossary load ms': round(load),
        'mark.js ms': round(mark.ms),
        'mark.js marks': mark.marks,
        'mark.js / SciPop': total > 0 ? `${round(mark.ms / total)}×` : '-',
      });
      await page.close();
      process.stderr.write(`browser bench: ${file} done\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { rows, size: contentScriptSize() };
}

/** The section for `npm run bench`. */
export async function benchBrowser(): Promise<{ title: string; rows: Row[]; notes: string[] }[]> {
  const { rows, size } = await runBrowserBench();
  const forms = surfaceForms();
  const longest = Math.max(...rows.map((r) => Number(r['longest pass ms'])));
  const worstRatio = Math.min(
    ...rows
      .filter((r) => Number(r['annotate total ms']) > 0)
      .map((r) => Number(r['mark.js ms']) / Number(r['annotate total ms'])),
  );
  const firefox = await benchFirefox();
  return [
    {
      title: `Extension in Chromium (${forms.spaced.length + forms.unspaced.length} surface forms; mark.js 8.11 with the same forms as baseline)`,
      rows,
      notes: [
        `longest scipop:annotate pass on any page: ${round(longest)} ms (target < 50 ms)`,
        `smallest mark.js / SciPop total ratio: ${round(worstRatio)}× (target ≥ 10×)`,
        'glossary load ms: the scipop:load measures summed, once per page (decoding the serialized matcher, then building it, in two separate tasks; not scanning passes)',
        `content script: ${size.codeKB} KB of code and no glossary data (target < 150 KB); the glossary (${size.glossaryKB} KB) is in the background script, which sends pages the serialized matcher and each explanation on demand`,
      ],
    },
    firefox,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const section of await benchBrowser()) {
    printTable(section.title, section.rows);
    for (const note of section.notes) console.log(`- ${note}`);
  }
}
