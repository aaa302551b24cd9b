import { parseFeedDate } from '../../shared/feed/dates';
import type { FeedFormat, RawFeed, RawItem } from '../../shared/feed/item';

// rss-parser's output is loosely typed JSON from xml2js: read it defensively.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of an xml2js node: a string, `{ _: text }`, or the first of an array of those. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (isObj(v) && typeof v._ === 'string') return v._;
  return undefined;
}

function attrs(v: unknown): Obj {
  if (Array.isArray(v)) return attrs(v[0]);
  return isObj(v) && isObj(v.$) ? v.$ : isObj(v) ? v : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** The custom fields rss-parser is asked to keep so nothing we normalize from is lost. */
export const RSS_PARSER_CUSTOM_FIELDS = {
  feed: [
    ['$', 'attrs', { keepArray: true }],
    ['title', 'rawTitle', { keepArray: true }],
    ['dc:language', 'dcLanguage'],
    ['sy:updatePeriod', 'syPeriod'],
    ['sy:updateFrequency', 'syFrequency'],
  ],
  item: [
    ['$', 'attrs', { keepArray: true }],
    ['title', 'rawTitle', { keepArray: true }],
    ['media:content', 'mediaContent', { keepArray: true }],
    ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
    ['media:group', 'mediaGroup', { keepArray: true }],
    ['category', 'rawCategory', { keepArray: true }],
    ['dc:subject', 'dcSubject', { keepArray: true }],
    ['link', 'rawLinks', { keepArray: true }],
    ['description', 'rawDescription'],
    ['scipop-published', 'atomPublished'],
    ['scipop-updated', 'atomUpdated'],
    ['issued', 'atomIssued'], // Atom 0.3
    ['created', 'atomCreated'],
    ['modified', 'atomModified'],
    ['content', 'rawContent'],
  ],
};

function isImageMedia(a: Obj): boolean {
  const type = String(a.type ?? '');
  const medium = String(a.medium ?? '');
  const url = String(a.url ?? '');
  return (
    medium === 'image' ||
    type.startsWith('image/') ||
    (!type && !medium && /\.(jpe?g|png|gif|webp|avif)(\?|$)/i.test(url))
  );
}

function imagesOf(item: Obj): string[] {
  const out: string[] = [];
  const enclosure = isObj(item.enclosure) ? item.enclosure : undefined;
  if (enclosure && typeof enclosure.url === 'string' && isImageMedia(enclosure)) out.push(enclosure.url);
  const groups = list(item.mediaGroup).flatMap((g) =>
    isObj(g) ? [...list(g['media:content']), ...list(g['media:thumbnail'])] : [],
  );
  for (const node of [...list(item.mediaContent), ...groups]) {
    const a = attrs(node);
    if (typeof a.url === 'string' && isImageMedia(a)) out.push(a.url);
  }
  for (const node of [...list(item.mediaThumbnail), ...groups]) {
    const a = attrs(node);
    if (typeof a.url === 'string') out.push(a.url);
  }
  for (const node of list(item.rawLinks)) {
    const a = attrs(node);
    if (a.rel === 'enclosure' && typeof a.href === 'string' && String(a.type ?? '').startsWith('image/'))
      out.push(a.href);
  }
  const itunes = isObj(item.itunes) ? item.itunes : undefined;
  if (itunes && typeof itunes.image === 'string') out.push(itunes.image);
  return out;
}

function categoriesOf(item: Obj): string[] {
  const out: string[] = [];
  for (const node of [...list(item.categories), ...list(item.rawCategory), ...list(item.dcSubject)]) {
    const a = attrs(node);
    const value =
      text(node) ?? (typeof a.label === 'string' ? a.label : typeof a.term === 'string' ? a.term : undefined);
    if (value?.trim()) out.push(value.trim());
  }
  return out;
}

const nonEmpty = (value: unknown): string | undefined => {
  const t = typeof value === 'string' ? value : text(value);
  return t?.trim() ? t : undefined;
};

/** The body and the summary: RSS content:encoded and description, Atom content and summary. */
function bodiesOf(item: Obj, atom: boolean): { html?: string; summaryHtml?: string } {
  // rss-parser puts an RSS <description> in `content`, and an Atom <content> (xhtml already as markup) there too.
  const html = atom ? nonEmpty(item.content) : nonEmpty(item['content:encoded']);
  const summaryHtml = atom ? nonEmpty(item.summary) : (nonEmpty(item.content) ?? nonEmpty(item.rawDescription));
  return { ...(html ? { html } : {}), ...(summaryHtml ? { summaryHtml } : {}) };
}

/** Atom text constructs: type="html" and "xhtml" carry markup; "text" (the default) does not. */
function atomIsHtml(node: unknown): boolean {
  const type = String(attrs(node).type ?? 'text').toLowerCase();
  return type === 'html' || type === 'xhtml' || type.includes('html');
}

function readItem(item: Obj, atom: boolean): RawItem {
  const a = isObj(item.attrs) ? item.attrs : {};
  const raw: RawItem = { images: imagesOf(item), categories: categoriesOf(item) };
  const guid = text(item.guid) ?? text(item.id) ?? (typeof a['rdf:about'] === 'string' ? a['rdf:about'] : undefined);
  if (guid) raw.guid = guid;
  const title = text(item.title);
  if (title) raw.title = title;
  if (atom) raw.titleIsHtml = atomIsHtml(item.rawTitle);
  const link = typeof item.link === 'string' ? item.link : text(item.rawLinks);
  if (link) raw.link = link;
  // The first date that reads as one: a broken <pubDate> should not hide a good <dc:date>.
  const dates = [
    item.pubDate,
    item.date,
    item.atomPublished,
    item.atomIssued,
    item.atomCreated,
    item.atomUpdated,
    item.atomModified,
  ]
    .map(text)
    .filter((d) => d?.trim());
  const date = dates.find((d) => parseFeedDate(d)) ?? dates[0];
  if (date) raw.date = date;
  Object.assign(raw, bodiesOf(item, atom));
  const author = text(item.creator) ?? text(item.author) ?? (isObj(item.itunes) ? text(item.itunes.author) : undefined);
  if (author) raw.author = author;
  const lang = text(item.language) ?? (typeof a['xml:lang'] === 'string' ? a['xml:lang'] : undefined);
  if (lang) raw.lang = lang;
  if (typeof a['xml:base'] === 'string') raw.base = a['xml:base'];
  return raw;
}

const PERIOD_MINUTES: Record<string, number> = {
  hourly: 60,
  daily: 1440,
  weekly: 10080,
  monthly: 43200,
  yearly: 525600,
};

/** Maps rss-parser's output to the format-neutral feed that normalization reads. */
export function mapRssParserOutput(output: Obj, format: FeedFormat): RawFeed {
  const atom = format === 'atom';
  const a = isObj(output.attrs) ? output.attrs : {};
  const items = Array.isArray(output.items) ? output.items.filter(isObj) : [];
  const feed: RawFeed = { format, items: items.map((item) => readItem(item, atom)) };
  const title = text(output.title);
  if (title) feed.title = title;
  if (atom) feed.titleIsHtml = atomIsHtml(output.rawTitle);
  const link = text(output.link);
  if (link) feed.link = link;
  const lang =
    text(output.language) ?? text(output.dcLanguage) ?? (typeof a['xml:lang'] === 'string' ? a['xml:lang'] : undefined);
  if (lang) feed.lang = lang;
  if (typeof a['xml:base'] === 'string') feed.base = a['xml:base'];
  const ttl = Number(text(output.ttl));
  const period = PERIOD_MINUTES[text(output.syPeriod)?.trim().toLowerCase() ?? ''];
  const frequency = Number(text(output.syFrequency) ?? 1) || 1;
  if (Number.isFinite(ttl) && ttl > 0) feed.ttlMinutes = ttl;
  else if (period) feed.ttlMinutes = period / frequency;
  return feed;
}
