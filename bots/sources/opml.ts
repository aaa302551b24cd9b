import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** One feed as OPML carries it, with SciPop's own settings in the `scipop:` namespace. */
export interface OpmlSource {
  url: string;
  title: string;
  siteUrl?: string;
  /** Folder path (outer first) followed by the `category` attribute's entries, without repeats. */
  tags: string[];
  lang?: string;
  /** `scipop:trusted="false"` marks a source whose posts need approval. */
  trusted?: boolean;
  /** `scipop:interval` in seconds. */
  intervalSec?: number;
}

/** An OPML parse: the sources, or one line saying why the file is not usable OPML. */
export type OpmlResult = { ok: true; value: OpmlSource[]; title?: string } | { ok: false; error: string };

const NS = 'https://github.com/scipop/scipop/opml';

type Node = Record<string, unknown> & { outline?: Node[] };
const attr = (node: Node, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
};

function categoryTags(category: string | undefined): string[] {
  if (!category) return [];
  return category
    .split(',')
    .map((c) => c.trim().replace(/^\/+/, '').split('/').filter(Boolean).pop() ?? '')
    .filter(Boolean);
}

/**
 * Reads OPML 1.0/2.0 as feed readers export it. Outlines with an `xmlUrl` are feeds; any other
 * outline is a folder whose text becomes a tag of every feed inside it. DTDs are refused (no
 * entity expansion, so no entity bombs).
 */
export function parseOpml(text: string): OpmlResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/<!DOCTYPE|<!ENTITY/i.test(body))
    return { ok: false, error: 'OPML with a DOCTYPE or entity declarations is not accepted' };
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, error: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (name) => name === 'outline',
    parseAttributeValue: false,
  }).parse(body) as {
    opml?: { head?: { title?: unknown }; body?: Node };
  };
  if (!doc.opml) return { ok: false, error: 'not an OPML document (no <opml> root element)' };
  const out: OpmlSource[] = [];
  const seen = new Set<string>();
  const walk = (nodes: Node[] | undefined, folders: string[]) => {
    for (const node of nodes ?? []) {
      const url = attr(node, 'xmlUrl') ?? attr(node, 'xmlurl');
      const label = attr(node, 'title') ?? attr(node, 'text');
      if (url) {
        if (!seen.has(url)) {
          seen.add(url);
          const tags = [...new Set([...folders, ...categoryTags(attr(node, 'category'))])];
          const source: OpmlSource = { url, title: label ?? url, tags };
          const site = attr(node, 'htmlUrl');
          if (site) source.siteUrl = site;
          const lang = attr(node, 'language');
          if (lang) source.lang = lang;
          const trusted = attr(node, 'scipop:trusted');
          if (trusted !== undefined) source.trusted = trusted !== 'false';
          const interval = Number(attr(node, 'scipop:interval'));
          if (Number.isInteger(interval) && interval > 0) source.intervalSec = interval;
          out.push(source);
        }
        walk(node.outline, folders);
      } else {
        walk(node.outline, label ? [...folders, label] : folders);
      }
    }
  };
  walk(doc.opml.body?.outline, []);
  const title = typeof doc.opml.head?.title === 'string' ? doc.opml.head.title : undefined;
  return title ? { ok: true, value: out, title } : { ok: true, value: out };
}

/**
 * Writes OPML 2.0: feeds grouped in folders by their first tag (what other readers show), every
 * tag also in `category`, and SciPop's settings as `scipop:` attributes other readers ignore.
 */
export function toOpml(sources: readonly OpmlSource[], title = 'SciPop sources', now = new Date()): string {
  const outline = (s: OpmlSource): Node => {
    const node: Node = { '@_type': 'rss', '@_text': s.title, '@_title': s.title, '@_xmlUrl': s.url };
    if (s.siteUrl) node['@_htmlUrl'] = s.siteUrl;
    if (s.lang) node['@_language'] = s.lang;
    if (s.tags.length > 0) node['@_category'] = s.tags.map((t) => `/${t}`).join(',');
    if (s.trusted === false) node['@_scipop:trusted'] = 'false';
    if (s.intervalSec) node['@_scipop:interval'] = String(s.intervalSec);
    return node;
  };
  const top: Node[] = [];
  const folders = new Map<string, Node[]>();
  for (const s of sources) {
    const folder = s.tags[0];
    if (!folder) {
      top.push(outline(s));
      continue;
    }
    let list = folders.get(folder);
    if (!list) {
      list = [];
      folders.set(folder, list);
      top.push({ '@_text': folder, '@_title': folder, outline: list });
    }
    list.push(outline(s));
  }
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
  });
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    opml: {
      '@_version': '2.0',
      '@_xmlns:scipop': NS,
      head: { title, dateCreated: now.toUTCString() },
      body: { outline: top },
    },
  }) as string;
}
