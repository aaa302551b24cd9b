import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../bots/sources/opml';
import { runScipop } from './child';

const dir = mkdtempSync(join(tmpdir(), 'scipop-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { SCIPOP_DB: join(dir, 'db', 'scipop.db') };
const scipop = (...args: string[]) => runScipop(['sources', ...args], env, dir);

describe('scipop sources (a real child process)', () => {
  it('imports OPML from another reader, lists, adds, pauses, resumes, removes and exports a round trip', async () => {
    const opml = join(dir, 'reader.opml');
    writeFileSync(
      opml,
      `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Feedly export</title></head><body>
<outline text="Science"><outline text="Space">
<outline type="rss" text="ESA" title="ESA Top News" xmlUrl="https://www.esa.int/rssfeed/TopNews" htmlUrl="https://www.esa.int/"/>
</outline><outline type="rss" text="Quanta" xmlUrl="https://www.quantamagazine.org/feed/"/></outline>
<outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
</body></opml>`,
    );
    const imported = await scipop('import', opml);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('2 added, 0 updated, 0 unchanged, 1 skipped');
    expect(imported.stderr).toContain('Bad: not an http(s) URL: javascript:alert(1)');
    expect((await scipop('import', opml)).stdout).toContain('0 added, 0 updated, 2 unchanged');

    const added = await scipop(
      'add',
      'https://www.science.org/rss/news_current.xml',
      '--title',
      'Science',
      '--tag',
      'biology',
      'physics',
      '--lang',
      'en',
      '--interval',
      '30',
      '--untrusted',
    );
    expect(added.stdout).toMatch(/^added \w+ Science <https:\/\/www\.science\.org\/rss\/news_current\.xml>/);
    const list = JSON.parse((await scipop('list', '--json')).stdout) as {
      id: string;
      title: string;
      tags: string[];
      trusted: boolean;
      intervalSec: number | null;
    }[];
    expect(list.map((s) => [s.title, s.tags])).toEqual([
      ['ESA Top News', ['Science', 'Space']],
      ['Quanta', ['Science']],
      ['Science', ['biology', 'physics']],
    ]);
    expect(list[2]).toMatchObject({ trusted: false, intervalSec: 1800 });

    expect((await scipop('pause', list[0]!.id.slice(-12), '--reason', 'too noisy')).stdout).toBe(
      'paused ESA Top News\n',
    );
    expect((await scipop('list')).stdout).toMatch(/ESA Top News .* paused: too noisy/);
    expect((await scipop('resume', 'https://www.esa.int/rssfeed/TopNews')).stdout).toBe('resumed ESA Top News\n');

    const out = join(dir, 'export.opml');
    await scipop('export', out);
    const back = parseOpml(readFileSync(out, 'utf8'));
    expect(back.ok && back.value.map((s) => [s.url, s.tags, s.trusted, s.intervalSec])).toEqual([
      ['https://www.esa.int/rssfeed/TopNews', ['Science', 'Space'], undefined, undefined],
      ['https://www.quantamagazine.org/feed/', ['Science'], undefined, undefined],
      ['https://www.science.org/rss/news_current.xml', ['biology', 'physics'], false, 1800],
    ]);

    // A second store imports the export and lists the same sources: a round trip.
    const env2 = { SCIPOP_DB: join(dir, 'db2.db') };
    await runScipop(['sources', 'import', out], env2, dir);
    const list2 = JSON.parse((await runScipop(['sources', 'list', '--json'], env2, dir)).stdout) as typeof list;
    expect(list2.map((s) => [s.title, s.tags, s.trusted, s.intervalSec])).toEqual(
      list.map((s) => [s.title, s.tags, s.trusted, s.intervalSec]),
    );

    const removed = await scipop('remove', 'https://www.quantamagazine.org/feed/');
    expect(removed.stdout).toBe('removed Quanta <https://www.quantamagazine.org/feed/>\n');
    const missing = await scipop('remove', 'https://nope.example/');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'scipop: no source with the id or URL "https://nope.example/" (see scipop sources list)\n',
    );
    const notOpml = await scipop('import', join(dir, 'db', 'scipop.db'));
    expect(notOpml.code).toBe(1);
    expect(notOpml.stderr.trim().split('\n')).toHaveLength(1);
  }, 300_000);
});
