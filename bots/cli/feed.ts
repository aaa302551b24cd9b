import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import type { Item, ParsedFeed } from '../../shared/feed/item';
import { decodeFeedBytes } from '../engine/charset-decode';
import { createFetcher, DEFAULT_MAX_BYTES } from '../engine/fetcher';
import { parseFeedText } from '../engine/parse-feed';
import { errorMessage } from '../../shared/errors';

/** What `feed check` found: the feed, and where it came from. */
export interface FeedCheckReport {
  source: string;
  finalUrl?: string;
  permanentRedirect?: string;
  charset: string;
  feed: ParsedFeed;
}

/** An input `feed check` refuses; the message is the one line the user sees. */
export class FeedCheckError extends Error {
  readonly code = 'FEED_CHECK';
}

function readFeedFile(path: string, maxBytes: number): { text: string; charset: string } {
  if (!existsSync(path)) throw new FeedCheckError(`no such file: ${path} (give an http(s) URL or a feed file)`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new FeedCheckError(`not a file: ${path}`);
  if (stat.size > maxBytes)
    throw new FeedCheckError(`refused: ${path} is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
  let bytes: Buffer = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // A gzip-compressed feed saved as is: what a server would send with Content-Encoding: gzip.
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new FeedCheckError(
        tooBig
          ? `refused: ${path} unpacks to over ${maxBytes} bytes`
          : `${path} looks gzip-compressed but cannot be unpacked`,
      );
    }
  }
  const decoded = decodeFeedBytes(bytes);
  return { text: decoded.text, charset: decoded.charset };
}

/** Fetches (or reads) one feed, parses and normalizes it. Throws FeedCheckError on bad input. */
export async function checkFeed(
  input: string,
  options: { allowPrivateNetworks: boolean; maxBytes?: number },
): Promise<FeedCheckReport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input) && !/^https?:\/\//i.test(input)) {
    throw new FeedCheckError(`only http(s) URLs and files can be checked, not ${input.slice(0, input.indexOf(':'))}:`);
  }
  if (/^https?:\/\//i.test(input)) {
    const fetcher = createFetcher({ allowPrivateNetworks: options.allowPrivateNetworks, maxBytes });
    try {
      const result = await fetcher.fetch(input);
      if (result.kind === 'error') throw new FeedCheckError(`${input}: ${result.message}`);
      if (result.kind === 'not-modified')
        throw new FeedCheckError(`${input}: the server answered 304 Not Modified to an unconditional request`);
      const parsed = await parseFeedText(result.body, { url: result.finalUrl });
      if (!parsed.ok) throw new FeedCheckError(`${input}: ${parsed.error}`);
      return {
        source: input,
        finalUrl: result.finalUrl,
        ...(result.permanentRedirect ? { permanentRedirect: result.permanentRedirect } : {}),
        charset: result.charset,
        feed: parsed.value,
      };
    } finally {
      fetcher.close();
    }
  }
  const { text, charset } = readFeedFile(input, maxBytes);
  const parsed = await parseFeedText(text, { url: `file://${resolve(input)}` });
  if (!parsed.ok) throw new FeedCheckError(`${input}: ${parsed.error}`);
  return { source: input, charset, feed: parsed.value };
}

function describeItem(item: Item, n: number): string[] {
  const lines = [`${n}. ${item.title || '(untitled)'}`];
  const meta = [item.published?.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z'), item.author, item.lang]
    .filter(Boolean)
    .join(' · ');
  if (meta) lines.push(`   ${meta}`);
  if (item.link) lines.push(`   ${item.link}`);
  if (item.summary) lines.push(`   ${item.summary.length > 200 ? `${item.summary.slice(0, 199)}…` : item.summary}`);
  if (item.categories.length) lines.push(`   tags: ${item.categories.join(', ')}`);
  if (item.image) lines.push(`   image: ${item.image}`);
  lines.push(`   key: ${item.key}`);
  return lines;
}

/** The human-readable report: the feed's header, then each item. */
export function formatReport(report: FeedCheckReport): string {
  const { feed } = report;
  const facts = [
    feed.format,
    `${feed.items.length} item${feed.items.length === 1 ? '' : 's'}`,
    feed.lang && `lang ${feed.lang}`,
    feed.ttl && `ttl ${feed.ttl} min`,
    report.charset,
  ];
  const lines = [`${feed.title || '(untitled feed)'} — ${facts.filter(Boolean).join(', ')}`];
  if (feed.link) lines.push(feed.link);
  if (report.finalUrl && report.finalUrl !== report.source) lines.push(`fetched from ${report.finalUrl}`);
  if (report.permanentRedirect) lines.push(`moved permanently to ${report.permanentRedirect}: update the source's URL`);
  feed.items.forEach((item, i) => lines.push('', ...describeItem(item, i + 1)));
  return `${lines.join('\n')}\n`;
}

/** `scipop feed check URL|FILE [--json]`. */
export function registerFeedCommands(program: Command): void {
  const feed = program.command('feed').description('fetch, parse and inspect feeds');
  feed
    .command('check')
    .description(
      'fetch (or read) one feed, parse and normalize it, and print its items; bad input: one line on stderr, exit 2',
    )
    .argument('<url-or-file>', 'an http(s) feed URL or a feed file (RSS, Atom, RDF, JSON Feed; gzip allowed)')
    .option('--json', 'print {source, finalUrl, permanentRedirect, charset, feed} as JSON')
    .action(async (input: string, options: { json?: boolean }) => {
      // This command is its own composition root: it reads the one setting it needs here.
      const allowPrivateNetworks = /^(1|true|yes|on)$/i.test(process.env.SCIPOP_ALLOW_PRIVATE_NETWORKS?.trim() ?? '');
      try {
        const report = await checkFeed(input, { allowPrivateNetworks });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      } catch (error) {
        const message =
          error instanceof FeedCheckError ? error.message : `${input}: ${errorMessage(error).split('\n')[0]}`;
        process.stderr.write(`scipop feed check: ${message}\n`);
        process.exitCode = 2;
      }
    });
}
