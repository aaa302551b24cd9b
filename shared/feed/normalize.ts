import { parseFeedDate } from './dates';
import { cutAtWord, foldWhitespace, htmlToText, SUMMARY_MAX_CHARS, titleText } from './html-text';

/** A title as plain text, by what the format says it is (see RawItem.titleIsHtml). */
function titleOf(title: string | undefined, isHtml: boolean | undefined): string {
  if (!title) return '';
  return isHtml === false ? foldWhitespace(title) : titleText(title);
}
import { assignKeys } from './identity';
import type { Item, ParsedFeed, RawFeed, RawItem } from './item';
import { resolveLink } from './url';

/** The most items kept from one document; a feed longer than this is cut (newest come first). */
export const MAX_ITEMS_PER_FEED = 2000;
const MAX_CATEGORIES = 20;
const TITLE_FROM_SUMMARY_CHARS = 120;
const MAX_TITLE_CHARS = 300;
// A summary shorter than this ("Read more…") gives way to the body's text.
const MIN_SUMMARY_CHARS = 40;
const MAX_URL_CHARS = 2048;

/** URLs longer than browsers and chat platforms accept are dropped rather than cut. */
const sane = (url: string | undefined) => (url && url.length <= MAX_URL_CHARS ? url : undefined);

/** Options of {@link normalizeFeed}. */
export interface NormalizeOptions {
  /** Where the feed was fetched from (or read from): the last base for relative links. */
  url?: string;
  summaryMaxChars?: number;
}

/** "jane@example.org (Jane Doe)" → "Jane Doe"; a bare e-mail address is kept as is. */
function authorName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const text = titleText(raw);
  const paren = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  const name = paren?.[1]?.trim() ?? text;
  return name ? name.slice(0, 200) : undefined;
}

function langTag(raw: string | undefined): string | undefined {
  const text = raw?.trim().toLowerCase().replace(/_/g, '-');
  return text && /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/.test(text) ? text : undefined;
}

function categoriesOf(raw: string[] | undefined): string[] {
  const out: string[] = [];
  for (const c of raw ?? []) {
    const text = titleText(c).slice(0, 100);
    if (text && !out.includes(text)) out.push(text);
    if (out.length >= MAX_CATEGORIES) break;
  }
  return out;
}

type Unkeyed = Omit<Item, 'key'>;

function normalizeItem(raw: RawItem, feed: RawFeed, options: NormalizeOptions, siteLink: string | undefined): Unkeyed {
  // The document's own URL is the base; when it is not a web URL (a file), the site link stands in.
  const bases = [raw.base, feed.base, options.url && /^https?:/i.test(options.url) ? options.url : siteLink];
  const plain = raw.text ? foldWhitespace(raw.text) : '';
  const fromSummary = raw.summaryHtml ? htmlToText(raw.summaryHtml) : undefined;
  // The body is read only when the summary is missing or thin ("Read more…"), or for an image.
  const needBody = plain.length < MIN_SUMMARY_CHARS && (fromSummary?.text.length ?? 0) < MIN_SUMMARY_CHARS;
  const fromBody = raw.html && (needBody || !fromSummary?.firstImage) ? htmlToText(raw.html) : undefined;
  const candidates = [plain, fromSummary?.text ?? '', needBody ? (fromBody?.text ?? '') : ''];
  const fullSummary = candidates.reduce(
    (best, c) => (best.length >= MIN_SUMMARY_CHARS || c.length <= best.length ? best : c),
    '',
  );
  const summary = cutAtWord(fullSummary, options.summaryMaxChars ?? SUMMARY_MAX_CHARS);
  let title = cutAtWord(titleOf(raw.title, raw.titleIsHtml), MAX_TITLE_CHARS);
  if (!title && fullSummary) title = cutAtWord(fullSummary, TITLE_FROM_SUMMARY_CHARS);
  const guid = raw.guid?.trim() || undefined;
  // An RSS guid is often the permalink itself; use it when there is no <link>.
  const link = sane(
    resolveLink(raw.link, ...bases) ?? (guid && /^https?:\/\//i.test(guid) ? resolveLink(guid) : undefined),
  );
  const image = [...(raw.images ?? []), fromSummary?.firstImage, fromBody?.firstImage]
    .map((src) => sane(resolveLink(src, ...bases)))
    .find(Boolean);
  const item: Unkeyed = { title, summary, categories: categoriesOf(raw.categories) };
  if (guid) item.guid = guid.slice(0, 2000);
  if (link) item.link = link;
  const published = parseFeedDate(raw.date);
  if (published) item.published = published;
  const author = authorName(raw.author);
  if (author) item.author = author;
  if (image) item.image = image;
  const lang = langTag(raw.lang) ?? langTag(feed.lang);
  if (lang) item.lang = lang;
  return item;
}

/**
 * Normalizes a feed read by any syntax reader into the one item model: plain-text titles and
 * summaries, absolute links and images, ISO dates, and a stable key per item.
 */
export function normalizeFeed(raw: RawFeed, options: NormalizeOptions = {}): ParsedFeed {
  const link = resolveLink(raw.link, raw.base, options.url);
  const items = raw.items.slice(0, MAX_ITEMS_PER_FEED).map((item) => normalizeItem(item, raw, options, link));
  const keys = assignKeys(items);
  const feed: ParsedFeed = {
    format: raw.format,
    title: titleOf(raw.title, raw.titleIsHtml).slice(0, 500),
    items: items.map((item, i) => ({ key: keys[i] as string, ...item })),
  };
  if (link) feed.link = link;
  const lang = langTag(raw.lang);
  if (lang) feed.lang = lang;
  if (raw.ttlMinutes && Number.isFinite(raw.ttlMinutes) && raw.ttlMinutes > 0)
    feed.ttl = Math.min(Math.max(1, Math.round(raw.ttlMinutes)), 7 * 24 * 60);
  return feed;
}
