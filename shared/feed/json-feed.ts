import { decodeHTMLStrict } from 'entities';
import type { RawFeed, RawItem } from './item';
import { errorMessage } from '../errors';

/** Reading a document as JSON Feed: the raw feed, or why it is not one. */
export type JsonFeedResult = { ok: true; value: RawFeed } | { ok: false; error: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
// JSON Feed's text fields are plain text, but publishers often leave HTML entities in them
// ("Blackletter &amp; thick"); a complete reference is decoded, anything else left as written.
const plain = (v: unknown): string | undefined => {
  const text = str(v);
  return text && text.includes('&') ? decodeHTMLStrict(text) : text;
};

function authorOf(item: Obj, feed: Obj): string | undefined {
  // 1.1 has `authors` (array), 1.0 had `author`; an item without one inherits the feed's.
  for (const holder of [item, feed]) {
    const list = Array.isArray(holder.authors) ? holder.authors : isObj(holder.author) ? [holder.author] : [];
    const names = list
      .filter(isObj)
      .map((a) => str(a.name))
      .filter((n): n is string => Boolean(n));
    if (names.length) return names.join(', ');
  }
  return undefined;
}

function imagesOf(item: Obj): string[] {
  const images: string[] = [];
  const image = str(item.image) ?? str(item.banner_image);
  if (image) images.push(image);
  if (Array.isArray(item.attachments)) {
    for (const a of item.attachments) {
      if (isObj(a) && str(a.url) && /^image\//i.test(str(a.mime_type) ?? '')) images.push(str(a.url) as string);
    }
  }
  return images;
}

function readItem(item: Obj, feed: Obj): RawItem {
  const raw: RawItem = {};
  const id = item.id;
  if (typeof id === 'string' || typeof id === 'number') raw.guid = String(id); // 1.0 feeds sometimes use numbers
  const title = plain(item.title);
  if (title) raw.title = title;
  raw.titleIsHtml = false; // JSON Feed titles are plain text
  const link = str(item.url) ?? str(item.external_url);
  if (link) raw.link = link;
  const date = str(item.date_published) ?? str(item.date_modified);
  if (date) raw.date = date;
  const html = str(item.content_html);
  if (html) raw.html = html;
  const text = plain(item.summary) ?? plain(item.content_text);
  if (text) raw.text = text;
  const author = authorOf(item, feed);
  if (author) raw.author = author;
  raw.images = imagesOf(item);
  raw.categories = Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [];
  const lang = str(item.language);
  if (lang) raw.lang = lang;
  return raw;
}

/** Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) from already-parsed JSON. */
export function readJsonFeed(json: unknown): JsonFeedResult {
  if (!isObj(json)) return { ok: false, error: 'JSON document is not a JSON Feed (top level is not an object)' };
  // Real feeds write the version as the spec's URL, as a bare "1.1", or leave it out.
  const version = str(json.version);
  const looksVersioned = version !== undefined && /jsonfeed\.org\/version\/1|^1(?:\.\d+)?$/i.test(version.trim());
  if (!Array.isArray(json.items)) {
    return {
      ok: false,
      error: looksVersioned
        ? 'JSON Feed has no "items" array'
        : 'JSON document is not a JSON Feed (no "version" and no "items" array)',
    };
  }
  if (version !== undefined && !looksVersioned)
    return { ok: false, error: `JSON document is not a JSON Feed (unknown version "${version.slice(0, 60)}")` };
  const feed: RawFeed = { format: 'json', items: json.items.filter(isObj).map((item) => readItem(item, json)) };
  const title = plain(json.title);
  if (title) feed.title = title;
  feed.titleIsHtml = false;
  const home = str(json.home_page_url);
  if (home) feed.link = home;
  const lang = str(json.language);
  if (lang) feed.lang = lang;
  // Relative URLs in a JSON Feed resolve against its own feed_url when it gives one.
  const self = str(json.feed_url);
  if (self) feed.base = self;
  return { ok: true, value: feed };
}

/** Parses JSON Feed text; bad JSON is one line with the parser's own message. */
export function parseJsonFeedText(text: string): JsonFeedResult {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    // The engine's message may quote the document, newlines included: keep it to one short line.
    const message = errorMessage(error).replace(/\s+/g, ' ').slice(0, 200);
    return { ok: false, error: `not valid JSON (${message})` };
  }
  return readJsonFeed(json);
}
