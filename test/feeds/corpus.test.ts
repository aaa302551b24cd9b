import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { checkFeed, FeedCheckError, formatReport, type FeedCheckReport } from '../../bots/cli/feed';
import { decodeFeedBytes } from '../../bots/engine/charset-decode';
import { foldWhitespace, titleText } from '../../shared/feed/html-text';
import { FeedSchema } from '../../shared/feed/item';
import { CORPORA, HAVE_CORPORA, describeWithCorpora } from '../support/corpora';

// Every file of the shared corpus goes through `feed check` (its in-process entry: the command
// is this plus printing, which is exercised too). See test/feeds/feed-check-cli.test.ts for the
// command itself as a process.
const ROOT = join(CORPORA, 'feeds');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'LICENSES') walk(path, out);
    } else if (!name.includes('.expected') && name !== 'SOURCES.tsv') out.push(path);
  }
  return out;
}
const FILES = HAVE_CORPORA ? walk(ROOT) : [];

/** The files that must be refused, and the reason each must give. Anything else must parse. */
const REJECTED: Record<string, RegExp> = {
  'edge/feedparser/illformed/rss_empty_document.xml': /not a feed: no root element found/, // only a comment
  'edge/gofeed/json/invalid.json': /not valid JSON/,
  'edge/gofeed/universal/invalid.json': /not valid JSON/,
  'edge/gofeed/universal/empty_feed.xml': /empty document/,
  'edge/gofeed/universal/unknown_feed.xml': /root element <note> is not/,
  'edge/rss-parser/unrecognized.rss': /root element <head> is not/,
  'edge/node-feedparser/notafeed.html': /HTML page/,
};

type Outcome = { ok: true; report: FeedCheckReport; ms: number } | { ok: false; error: string; ms: number };

async function run(path: string): Promise<Outcome> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: ${path}`)), 10_000)),
  );
  try {
    const report = await Promise.race([checkFeed(path, { allowPrivateNetworks: false }), hang]);
    return { ok: true, report, ms: Date.now() - started };
  } catch (error) {
    // Only the command's own one-line refusal is acceptable; anything else is a crash.
    if (!(error instanceof FeedCheckError)) throw error;
    return { ok: false, error: error.message, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

const outcomes = new Map<string, Outcome>();
async function outcome(file: string): Promise<Outcome> {
  const rel = relative(ROOT, file);
  if (!outcomes.has(rel)) outcomes.set(rel, await run(file));
  return outcomes.get(rel) as Outcome;
}

describeWithCorpora('every corpus file through feed check', () => {
  it('finds the corpus', () => expect(FILES.length).toBeGreaterThan(790));

  it.each(FILES.map((f) => [relative(ROOT, f), f]))('%s', async (rel, file) => {
    const result = await outcome(file);
    expect(result.ms).toBeLessThan(5000);
    if (rel in REJECTED) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(REJECTED[rel] as RegExp);
        expect(result.error).not.toContain('\n');
        expect(result.error.length).toBeLessThan(400);
      }
      return;
    }
    if (!result.ok) throw new Error(`refused: ${result.error}`);
    const { feed } = result.report;
    expect(FeedSchema.safeParse(feed).success).toBe(true);
    const keys = new Set(feed.items.map((i) => i.key));
    expect(keys.size).toBe(feed.items.length);
    for (const item of feed.items) {
      if (item.link) expect(item.link).toMatch(/^https?:\/\//);
      if (item.image) expect(item.image).toMatch(/^https?:\/\//);
      // eslint-disable-next-line no-control-regex
      expect(item.title + item.summary).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(item.summary.length).toBeLessThanOrEqual(401);
    }
    expect(formatReport(result.report)).toContain(`${feed.items.length} item`);
  });
});

// The other suites' expected outputs: rss-parser's ({feed}), and feedsmith's and gofeed's.
const EXPECTED = (HAVE_CORPORA ? readFileSync(join(ROOT, 'SOURCES.tsv'), 'utf8') : '')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .filter((cols) => cols[7]?.endsWith('.expected.json'))
  .map((cols) => [cols[0] as string, cols[7] as string]);

/** Same text, allowing for the other parser's HTML decoding and for its U+FFFD mojibake (where we decoded right). */
function sameText(ours: string, theirs: string): boolean {
  const candidates = [foldWhitespace(theirs), titleText(theirs)];
  if (candidates.includes(ours)) return true;
  const wild = titleText(theirs);
  if (!wild.includes('\uFFFD')) return false;
  const escaped = wild.split(/\uFFFD+/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.{1,3}')}$`, 'u').test(ours);
}

describeWithCorpora('files with an expected output give the items it has', () => {
  it('has them', () => expect(EXPECTED.length).toBeGreaterThan(50));

  it.each(EXPECTED)('%s', async (input, expectedFile) => {
    const raw = JSON.parse(readFileSync(join(ROOT, expectedFile), 'utf8')) as Record<string, unknown>;
    const expected = (raw.feed ?? raw) as {
      title?: unknown;
      items?: Record<string, unknown>[];
      entries?: Record<string, unknown>[];
    };
    const result = await outcome(join(ROOT, input));
    if (!result.ok) throw new Error(`refused: ${result.error}`);
    const { feed } = result.report;
    const theirs = expected.items ?? expected.entries ?? [];
    expect(feed.items.length).toBe(theirs.length);
    if (typeof expected.title === 'string')
      expect(sameText(feed.title, expected.title), `${feed.title} vs ${expected.title}`).toBe(true);
    theirs.forEach((t, i) => {
      const ours = feed.items[i]!;
      if (typeof t.title === 'string' && titleText(t.title))
        expect(sameText(ours.title, t.title), `${ours.title} vs ${t.title}`).toBe(true);
      if (typeof t.link === 'string' && /^https?:\/\//.test(t.link.trim()))
        expect(ours.link).toBe(new URL(t.link.trim()).href);
      const guid = typeof t.guid === 'string' ? t.guid : raw.feed && typeof t.id === 'string' ? t.id : undefined;
      if (guid) expect(ours.guid).toBe(guid.trim());
      if (typeof t.isoDate === 'string') expect(ours.published).toBe(t.isoDate);
    });
  });
});

describeWithCorpora('what the suites assert about particular files', () => {
  it('decodes the windows-1251 feed', async () => {
    const result = await outcome(join(ROOT, 'real/node-feedparser/iconv.xml'));
    expect(result.ok && result.report.charset).toBe('windows-1251');
    expect(result.ok && result.report.feed.title).toMatch(/^Новости Оренбурга/);
  });

  it('reads gzip-compressed files', async () => {
    const result = await outcome(join(ROOT, 'edge/node-feedparser/compressed.xml'));
    expect(result.ok && result.report.feed.items.length).toBeGreaterThan(0);
  });

  it('resolves relative links against xml:base', async () => {
    const result = await outcome(join(ROOT, 'edge/node-feedparser/rss-with-relative-urls.xml'));
    if (!result.ok) throw new Error(result.error);
    for (const item of result.report.feed.items) expect(item.link).toMatch(/^https?:\/\/[^/]+\//);
  });

  it('keeps legacy-looking entity text in a query string as written', async () => {
    const result = await outcome(join(ROOT, 'edge/gofeed/rss/issue_320_legacy_entity_prefix.xml'));
    expect(result.ok && result.report.feed.title).toBe('?page=1&copy=2;mode=x & done');
  });
});

describeWithCorpora('charsets, against feedparser’s expectations', () => {
  // feedparser's encoding tests name the HTTP header they are served with and the encoding the
  // reader must choose. Where they follow RFC 3023's text/* → us-ascii default we differ on
  // purpose (servers send text/xml for UTF-8 feeds all the time); those files are ASCII anyway.
  const dir = join(ROOT, 'edge/feedparser/encoding');
  const same = (ours: string, theirs: string) => {
    const canon = (c: string) =>
      ({ gb18030: 'gbk', gb2312: 'gbk', 'iso-8859-1': 'latin1', ascii: 'us-ascii' })[c.toLowerCase()] ??
      c.toLowerCase();
    return canon(ours) === canon(theirs);
  };
  const cases = (HAVE_CORPORA ? readdirSync(dir) : []).flatMap((name) => {
    const bytes = readFileSync(join(dir, name));
    const head = bytes.subarray(0, 600).toString('latin1');
    const header = /Header:\s*Content-type:\s*(.*)/i.exec(head)?.[1]?.trim();
    const expected = /encoding == '([^']+)'/.exec(head)?.[1];
    const rfc3023Default = expected === 'us-ascii' && !/charset\s*=/i.test(header ?? '');
    return expected && !rfc3023Default ? [[name, header, expected, bytes] as const] : [];
  });

  it('has the cases', () => expect(cases.length).toBeGreaterThan(30));
  it.each(cases)('%s (%s) → %s', (_name, header, expected, bytes) =>
    expect(same(decodeFeedBytes(bytes, header).charset, expected)).toBe(true),
  );

  it.each([
    ['big5.xml', 'big5'],
    ['eucjp.xml', 'euc-jp'],
    ['euckr.xml', 'euc-kr'],
    ['gb2312.xml', 'gbk'],
    ['shiftjis.xml', 'shift_jis'],
  ])('recognises undeclared %s as %s', (name, charset) => {
    expect(decodeFeedBytes(readFileSync(join(ROOT, 'edge/feedparser/illformed/chardet', name))).charset).toBe(charset);
  });
});
