import { describe, expect, it } from 'vitest';
import { parseJsonFeedText } from './json-feed';
import { normalizeFeed } from './normalize';

const feed11 = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Lab notes',
  home_page_url: 'https://lab.example/',
  feed_url: 'https://lab.example/feed.json',
  language: 'en-GB',
  authors: [{ name: 'Feed Author' }],
  items: [
    {
      id: 1,
      url: '/posts/1',
      title: 'First',
      content_html: '<p>Hello <img src="/a.png"> world</p>',
      date_published: '2024-05-01T10:00:00+02:00',
      tags: ['physics'],
    },
    {
      id: '2',
      external_url: 'https://elsewhere.example/x',
      content_text: 'Only text here',
      summary: 'Short &amp; sweet <3',
      image: 'https://cdn.example/i.jpg',
      authors: [{ name: 'Ann' }, { name: 'Bo' }],
    },
  ],
};

describe('JSON Feed', () => {
  it('reads 1.1 and normalizes it', () => {
    const raw = parseJsonFeedText(JSON.stringify(feed11));
    if (!raw.ok) throw new Error(raw.error);
    const feed = normalizeFeed(raw.value, { url: 'https://lab.example/feed.json' });
    expect(feed).toMatchObject({ format: 'json', title: 'Lab notes', link: 'https://lab.example/', lang: 'en-gb' });
    expect(feed.items[0]).toMatchObject({
      key: 'g:1',
      title: 'First',
      link: 'https://lab.example/posts/1',
      summary: 'Hello world',
      image: 'https://lab.example/a.png',
      published: '2024-05-01T08:00:00.000Z',
      author: 'Feed Author',
      categories: ['physics'],
    });
    expect(feed.items[1]).toMatchObject({
      key: 'g:2',
      title: 'Short & sweet <3',
      summary: 'Short & sweet <3',
      link: 'https://elsewhere.example/x',
      author: 'Ann, Bo',
      image: 'https://cdn.example/i.jpg',
    });
  });

  it('reads 1.0 with its single author and a bare version', () => {
    const raw = parseJsonFeedText(
      JSON.stringify({ version: '1.0', title: 'Old', author: { name: 'Solo' }, items: [{ id: 'a', title: 'T' }] }),
    );
    expect(raw.ok && raw.value.items[0]?.author).toBe('Solo');
  });

  it('says why a document is not a JSON Feed', () => {
    expect(parseJsonFeedText('{"version": "https://jsonfeed.org/version/1.1", ')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not valid JSON/),
    });
    expect(parseJsonFeedText('[1,2]')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/top level is not an object/),
    });
    expect(parseJsonFeedText('{"name": "package"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no "version" and no "items"/),
    });
    expect(parseJsonFeedText('{"version": "2.0", "items": []}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown version/),
    });
  });
});
