import { decodeHTMLStrict } from 'entities';
import Parser from 'rss-parser';
import { FeedSchema, type FeedFormat, type FeedResult, type RawFeed } from '../../shared/feed/item';
import { parseJsonFeedText } from '../../shared/feed/json-feed';
import { normalizeFeed, type NormalizeOptions } from '../../shared/feed/normalize';
import { resolveLink } from '../../shared/feed/url';
import { guardXml, MAX_DOCUMENT_CHARS, rootElementName } from './parse-xml-guard';
import { mapRssParserOutput, RSS_PARSER_CUSTOM_FIELDS } from './parse-rss-map';
import { closeOpenElements, unprefixFeedElements } from './parse-xml-repair';
import { errorMessage } from '../../shared/errors';

export type { FeedResult } from '../../shared/feed/item';

/** Options of {@link parseFeedText}. */
export interface ParseFeedOptions extends NormalizeOptions {
  /** The feed's URL (or file path): the last base for relative links. */
  url?: string;
}

// Names as they must reach rss-parser, for the lenient (case-folding) second attempt.
const KNOWN_NAMES = ['rdf:RDF', 'itunes:episodeType', 'xml:base', 'xml:lang', 'rdf:about', 'rdf:resource'];
const CASE_MAP = new Map(KNOWN_NAMES.map((n) => [n.toLowerCase(), n]));
const fold = (name: string) => CASE_MAP.get(name.toLowerCase()) ?? name.toLowerCase();

// xml2js's parser, reused after an error, can mark the next document as ended before it starts
// and never call back (its reset races the old sax stream). So a parser is reused only while it
// has seen no error; after one it is dropped and the next document gets a fresh one.
let cachedStrict: Parser | null = null;
const strictParser = () =>
  (cachedStrict ??= new Parser({ defaultRSS: 2, customFields: RSS_PARSER_CUSTOM_FIELDS as never }));
// Ill-formed but recognisable feeds (unclosed tags, stray `<`) get a second, forgiving pass.
const lenientParser = () =>
  new Parser({
    defaultRSS: 2,
    customFields: RSS_PARSER_CUSTOM_FIELDS as never,
    xml2js: { strict: false, tagNameProcessors: [fold], attrNameProcessors: [fold] },
  });

function formatOf(root: string): FeedFormat | null {
  const name = root.toLowerCase();
  if (name === 'rss') return 'rss';
  if (name === 'rdf:rdf' || name.endsWith(':rdf')) return 'rdf';
  if (name === 'feed') return 'atom';
  return null;
}

/** The first feed a page advertises with <link rel="alternate" type="application/rss+xml" …>. */
function advertisedFeed(html: string, base: string | undefined): string | undefined {
  const head = html.slice(0, 256 * 1024);
  for (const tag of head.match(/<link\b[^>]*>/gi) ?? []) {
    const attr = (name: string) =>
      new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
        .exec(tag)
        ?.slice(1)
        .find((v) => v !== undefined);
    if (!/\balternate\b/i.test(attr('rel') ?? '')) continue;
    if (!/^application\/(?:rss|atom|rdf|feed)\+(?:xml|json)$/i.test((attr('type') ?? '').trim())) continue;
    const href = attr('href') && decodeHTMLStrict(attr('href') as string).trim();
    if (href) return resolveLink(href, base) ?? href.slice(0, 300);
  }
  return undefined;
}

function feedInsideHtml(html: string): string | undefined {
  const open = /<(feed|rss)[\s>]/i.exec(html);
  if (!open) return undefined;
  const close = html.toLowerCase().lastIndexOf(`</${(open[1] as string).toLowerCase()}>`);
  return close > open.index ? html.slice(open.index, close + open[1]!.length + 3) : undefined;
}

function firstLine(error: unknown): string {
  return errorMessage(error)
    .split('\n')
    .filter((l) => l.trim())
    .join('; ')
    .slice(0, 300);
}

// rss-parser turns Atom <published>/<updated> into ISO strings with `new Date(x).toISOString()`,
// which throws on a date it cannot read and loses the whole feed; renamed, they reach us as text.
const hideAtomDates = (xml: string) => xml.replace(/<(\/?)(published|updated)(?=[\s>/])/g, '<$1scipop-$2');

async function readXml(text: string, format: FeedFormat): Promise<RawFeed | string> {
  const guarded = guardXml(format === 'atom' ? hideAtomDates(text) : text);
  if (!guarded.ok) return guarded.error;
  let strictError: unknown;
  const attempts: [() => Parser, () => string][] = [
    [strictParser, () => guarded.text],
    [strictParser, () => closeOpenElements(guarded.text)],
    [lenientParser, () => closeOpenElements(guarded.text)],
  ];
  for (const [makeParser, input] of attempts) {
    try {
      const output = (await makeParser().parseString(input())) as unknown as Record<string, unknown>;
      return mapRssParserOutput(output, format);
    } catch (error) {
      if (makeParser === strictParser) cachedStrict = null;
      strictError ??= error;
    }
  }
  return `not well-formed XML (${firstLine(strictError)})`;
}

/**
 * Parses a feed document (RSS 0.9x/1.0/2.0, Atom, JSON Feed) and normalizes it. Never throws:
 * anything that is not a feed comes back as one line saying why.
 */
export async function parseFeedText(text: string, options: ParseFeedOptions = {}): Promise<FeedResult> {
  try {
    if (text.length > MAX_DOCUMENT_CHARS)
      return { ok: false, error: `refused: the document is over ${MAX_DOCUMENT_CHARS} characters` };
    const start = text.replace(/^[\s\ufeff]+/, '').slice(0, 256);
    if (!start) return { ok: false, error: 'empty document' };
    let raw: RawFeed | string;
    if (start.startsWith('{') || start.startsWith('[')) {
      const json = parseJsonFeedText(text);
      raw = json.ok ? json.value : json.error;
    } else {
      let xml = text;
      let root = rootElementName(xml);
      if (!root)
        return {
          ok: false,
          error: start.startsWith('<')
            ? 'not a feed: no root element found'
            : 'not a feed: the document is neither XML nor JSON',
        };
      if (/^html$/i.test(root)) {
        // Some servers wrap a feed in an HTML page; a real page has no <rss> or <feed> in it.
        const inner = feedInsideHtml(xml);
        if (!inner) {
          const advertised = advertisedFeed(xml, options.url);
          return {
            ok: false,
            error: advertised
              ? `not a feed: the document is an HTML page; the feed it links to is ${advertised}`
              : 'not a feed: the document is an HTML page, and it links to no feed',
          };
        }
        xml = inner;
        root = rootElementName(xml) as string;
      }
      if (
        /^[\w.-]+:(?:rss|feed|rdf)$/i.test(root) ||
        /xmlns:[\w.-]+\s*=\s*["']http:\/\/(?:www\.w3\.org\/2005\/Atom|purl\.org\/rss\/1\.0\/)/i.test(xml.slice(0, 8192))
      ) {
        xml = unprefixFeedElements(xml);
        root = rootElementName(xml) as string;
      }
      const format = formatOf(root);
      if (!format)
        return {
          ok: false,
          error: `not a feed: the root element <${root.slice(0, 60)}> is not <rss>, <rdf:RDF> or <feed>`,
        };
      raw =
        format !== 'atom' && !/<(?:[\w.-]+:)?channel[\s>/]/i.test(xml)
          ? { format, items: [] }
          : await readXml(xml, format);
    }
    if (typeof raw === 'string') return { ok: false, error: raw.replace(/\s+/g, ' ').slice(0, 400) };
    // The Item contract is checked here, at the edge, so every consumer can rely on it.
    const checked = FeedSchema.safeParse(normalizeFeed(raw, options));
    if (!checked.success)
      return {
        ok: false,
        error: `cannot normalize the feed (${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message})`,
      };
    return { ok: true, value: checked.data };
  } catch (error) {
    // A bug of ours or of a library on a hostile input: still one line, never a crash.
    return { ok: false, error: `cannot parse the feed (${firstLine(error)})` };
  }
}
