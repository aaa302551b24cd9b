import { describe, expect, it } from 'vitest';
import { FeedSchema } from './item';
import { normalizeFeed } from './normalize';

describe('normalizeFeed', () => {
  const feed = normalizeFeed(
    {
      format: 'atom',
      title: 'Science &amp; Society',
      link: '/',
      base: 'https://news.example/section/',
      lang: 'EN_us',
      ttlMinutes: 0.2,
      items: [
        {
          guid: 'tag:news.example,2024:1',
          title: 'A <em>new</em> exoplanet',
          link: 'articles/1',
          base: '/other/',
          date: 'Wed, 01 May 2024 10:00:00 GMT',
          html: `<p>${'Astronomers found a planet. '.repeat(40)}</p><img src="fig.png">`,
          author: 'desk@news.example (Science Desk)',
          images: [],
          categories: ['Space', ' Space ', 'Astronomy'],
        },
        {
          link: 'https://news.example/2',
          text: 'A title-less item whose summary has to stand in for its missing title, so readers see something useful.',
        },
      ],
    },
    { url: 'https://news.example/feed.atom' },
  );

  it('produces a valid feed', () => expect(FeedSchema.safeParse(feed).success).toBe(true));

  it('normalizes feed metadata', () => {
    expect(feed).toMatchObject({ title: 'Science & Society', link: 'https://news.example/', lang: 'en-us', ttl: 1 });
  });

  it('normalizes an item', () => {
    const [item] = feed.items;
    expect(item).toMatchObject({
      key: 'g:tag:news.example,2024:1',
      title: 'A new exoplanet',
      link: 'https://news.example/other/articles/1',
      published: '2024-05-01T10:00:00.000Z',
      author: 'Science Desk',
      image: 'https://news.example/other/fig.png',
      categories: ['Space', 'Astronomy'],
      lang: 'en-us',
    });
    expect(item!.summary.length).toBeLessThanOrEqual(401);
    expect(item!.summary).toMatch(/^Astronomers found a planet\. .*planet…$/);
  });

  it('gives an untitled item a title from its summary, and a link key', () => {
    expect(feed.items[1]!.title).toBe(
      'A title-less item whose summary has to stand in for its missing title, so readers see something useful.',
    );
    expect(feed.items[1]!.key).toBe('l:news.example/2');
  });

  it('bounds what a hostile feed can make big', () => {
    const huge = normalizeFeed({
      format: 'rss',
      items: [
        {
          guid: 'h',
          title: 'word '.repeat(10_000),
          link: `https://x.example/${'a'.repeat(5000)}`,
          html: '<p>x</p>'.repeat(50_000),
        },
      ],
    });
    const [item] = huge.items;
    expect(item!.title.length).toBeLessThanOrEqual(301);
    expect(item!.link).toBeUndefined();
    expect(item!.summary.length).toBeLessThanOrEqual(401);
  });
});
