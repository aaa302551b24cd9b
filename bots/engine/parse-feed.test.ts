import { describe, expect, it } from 'vitest';
import { parseFeedText } from './parse-feed';
import { closeOpenElements } from './parse-xml-repair';

const rss = (items: string, extra = '') =>
  `<?xml version="1.0"?><rss version="2.0" ${extra}><channel><title>T</title><link>https://site.example/</link><ttl>30</ttl>${items}</channel></rss>`;

describe('parseFeedText', () => {
  it('reads RSS 2.0 with media, enclosures and categories', async () => {
    const result = await parseFeedText(
      rss(
        `<item><title>With media</title><link>/a</link><guid>urn:1</guid><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate>
         <media:thumbnail url="https://cdn.example/t.jpg"/><category>Space</category><description>&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</description></item>
         <item><title>With enclosure</title><link>https://site.example/b</link><enclosure url="/img.png" type="image/png" length="1"/></item>`,
        'xmlns:media="http://search.yahoo.com/mrss/"',
      ),
      { url: 'https://site.example/feed' },
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ format: 'rss', title: 'T', ttl: 30 });
    expect(result.value.items[0]).toMatchObject({
      key: 'g:urn:1',
      link: 'https://site.example/a',
      image: 'https://cdn.example/t.jpg',
      categories: ['Space'],
      summary: 'Hi & bye',
    });
    expect(result.value.items[1]).toMatchObject({ image: 'https://site.example/img.png', key: 'l:site.example/b' });
  });

  it('summarizes from the description, falls back to the body when the description is thin, and finds the body image', async () => {
    const result = await parseFeedText(
      rss(
        `<item><guid>1</guid><title>a</title><description>A teaser that says what the article is about, briefly.</description>
           <content:encoded><![CDATA[<p>The whole long article.</p><img src="https://cdn.example/fig.png">]]></content:encoded></item>
         <item><guid>2</guid><title>b</title><description>Read more…</description>
           <content:encoded><![CDATA[<p>The body, which says a great deal more than the description did.</p>]]></content:encoded></item>`,
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      ),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.value.items[0]).toMatchObject({
      summary: 'A teaser that says what the article is about, briefly.',
      image: 'https://cdn.example/fig.png',
    });
    expect(result.value.items[1]!.summary).toBe('The body, which says a great deal more than the description did.');
  });

  it('reads Atom with xml:base, xml:lang and categories', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/" xml:lang="de"><title type="html">A &amp;amp; B</title>
      <entry xml:base="posts/"><id>tag:x,1</id><title>Eins</title><link href="1.html"/><updated>2024-05-01T10:00:00Z</updated>
      <category term="physik" label="Physik"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Text <b>fett</b></p></div></content></entry></feed>`;
    const result = await parseFeedText(atom, { url: 'https://other.example/atom.xml' });
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ format: 'atom', title: 'A & B', lang: 'de' });
    expect(result.value.items[0]).toMatchObject({
      link: 'https://blog.example/posts/1.html',
      lang: 'de',
      categories: ['Physik'],
      summary: 'Text fett',
      published: '2024-05-01T10:00:00.000Z',
    });
  });

  it('reads RSS 1.0 (RDF)', async () => {
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://r.example/"><title>R</title><link>https://r.example/</link><dc:language>fr</dc:language></channel>
      <item rdf:about="https://r.example/1"><title>Un</title><link>https://r.example/1</link><dc:date>2024-05-01T10:00:00+02:00</dc:date></item></rdf:RDF>`;
    const result = await parseFeedText(rdf);
    if (!result.ok) throw new Error(result.error);
    expect(result.value).toMatchObject({ format: 'rdf', lang: 'fr' });
    expect(result.value.items[0]).toMatchObject({ guid: 'https://r.example/1', published: '2024-05-01T08:00:00.000Z' });
  });

  it('repairs HTML entities and bare ampersands a strict parser refuses', async () => {
    const result = await parseFeedText(
      rss('<item><title>Caf&eacute; &nbsp;&mdash; R&D</title><link>https://x.example/?a=1&b=2</link></item>'),
    );
    expect(result.ok && result.value.items[0]).toMatchObject({
      title: 'Café — R&D',
      link: 'https://x.example/?a=1&b=2',
    });
  });

  it('keeps the items of a truncated document', async () => {
    const full = rss('<item><title>One</title><guid>1a</guid></item><item><title>Two</title><guid>2b</guid></item>');
    const result = await parseFeedText(full.slice(0, full.indexOf('<item><title>Two') + 20));
    expect(result.ok && result.value.items.map((i) => i.title)).toEqual(['One', 'Two']);
  });

  it('refuses entity bombs and external entities quietly, never expanding them', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>`;
    expect(await parseFeedText(bomb)).toEqual({
      ok: false,
      error: 'refused: the document declares nested XML entities (an entity-expansion bomb)',
    });
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>`;
    const result = await parseFeedText(xxe);
    expect(result.ok && result.value.title).toBe('&x;');
  });

  it('expands plain declared entities', async () => {
    const doc = `<!DOCTYPE rss [<!ENTITY org "Science Org">]><rss version="2.0"><channel><title>&org; news</title></channel></rss>`;
    expect(await parseFeedText(doc)).toMatchObject({ ok: true, value: { title: 'Science Org news' } });
  });

  it('points from an HTML page to the feed it advertises', async () => {
    const page = `<!DOCTYPE html><html><head><link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" href="feed/?a=1&amp;b=2"></head><body></body></html>`;
    expect(await parseFeedText(page, { url: 'https://blog.example/news/' })).toEqual({
      ok: false,
      error:
        'not a feed: the document is an HTML page; the feed it links to is https://blog.example/news/feed/?a=1&b=2',
    });
  });

  it('says in one line what is wrong with non-feeds', async () => {
    expect(await parseFeedText('')).toEqual({ ok: false, error: 'empty document' });
    expect(await parseFeedText('<!doctype html><html><body>hi</body></html>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/HTML page/),
    });
    expect(await parseFeedText('<svg xmlns="http://www.w3.org/2000/svg"/>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/root element <svg>/),
    });
    expect(await parseFeedText('hello')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/neither XML nor JSON/),
    });
    expect(await parseFeedText('x'.repeat(13 * 1024 * 1024))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: the document is over/),
    });
  });

  it('survives deep nesting without a stack overflow escaping', async () => {
    const deep = rss(
      `<item><title>Deep</title><description>${'<div>'.repeat(20000)}x${'</div>'.repeat(20000)}</description></item>`,
    );
    const result = await parseFeedText(deep);
    expect(typeof (result.ok ? result.value.title : result.error)).toBe('string');
  });
});

describe('closeOpenElements', () => {
  it('closes a cut-off tag, an open CDATA and the open elements in order', () => {
    expect(closeOpenElements('<rss><channel><item><description><![CDATA[abc')).toBe(
      '<rss><channel><item><description><![CDATA[abc]]></description></item></channel></rss>',
    );
    expect(closeOpenElements('<rss><channel><title>x</title></channel></rss')).toBe(
      '<rss><channel><title>x</title></channel></rss>',
    );
  });
});

describe('Atom title types', () => {
  it('shows type="text" titles as written and strips markup from type="html"', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Plain &lt;b&gt;</title>
      <entry><id>1</id><title>History of the &lt;blink&gt; tag</title></entry>
      <entry><id>2</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; move</title></entry></feed>`;
    const result = await parseFeedText(atom);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.title).toBe('Plain <b>');
    expect(result.value.items.map((i) => i.title)).toEqual(['History of the <blink> tag', 'Bold move']);
  });
});

describe('dates that break other parsers', () => {
  it('keeps an Atom feed whose entry has an unreadable date, and reads Atom 0.3 dates', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><id>1</id><title>a</title><published>yesterday-ish</published></entry>
      <entry><id>2</id><title>b</title><updated>2024-01-01T00:00:00Z</updated></entry>
      <entry><id>3</id><title>c</title><issued>2004-04-20T00:23:47Z</issued></entry></feed>`;
    const result = await parseFeedText(atom);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.items.map((i) => i.published)).toEqual([
      undefined,
      '2024-01-01T00:00:00.000Z',
      '2004-04-20T00:23:47.000Z',
    ]);
  });

  it('falls back from a broken pubDate to dc:date', async () => {
    const result = await parseFeedText(
      rss(
        '<item><title>t</title><pubDate>soon</pubDate><dc:date>2024-02-03T04:05:06Z</dc:date></item>',
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
      ),
    );
    expect(result.ok && result.value.items[0]?.published).toBe('2024-02-03T04:05:06.000Z');
  });
});
