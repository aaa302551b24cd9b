import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message/message';
import { EMBED_LIMITS, embedSize, escapeDiscord, fitText, renderEmbed, threadName } from './render';

const base: Message = {
  title: 'Webb finds water on an exoplanet',
  link: 'https://example.org/a',
  source: { title: 'Space Desk', url: 'https://example.org/' },
  published: '2026-11-29T10:00:00Z',
  summary: 'The James Webb Space Telescope saw water vapour.',
  terms: [{ id: 'exoplanet', term: 'exoplanet', short: 'A planet that orbits a star other than the Sun.', lang: 'en' }],
  hashtags: ['#astronomy'],
};

describe('escapeDiscord', () => {
  it('defuses pings, mention syntax, masked links and markdown', () => {
    const out = escapeDiscord(
      '@everyone **free** [click](https://x.io) <@123> # big\n> quote `code` ~~s~~ ||spoiler|| @here',
    );
    expect(out).not.toMatch(/@everyone|@here/);
    expect(out).toContain('@\u200beveryone');
    expect(out).toContain('\\*\\*free\\*\\*');
    expect(out).toContain('\\[click\\]\\(https://x.io\\)');
    expect(out).toContain('\\<@123\\>');
    expect(escapeDiscord('# big\n- item\n1. first')).toBe('\\# big\n\\- item\n1\\. first');
    expect(out).toContain('\n\\> quote');
    expect(out).toContain('\\|\\|spoiler\\|\\|');
  });

  it('cuts raw text, never half an escape, and ends with an ellipsis', () => {
    const raw = '*'.repeat(300);
    const cut = fitText(raw, 101);
    expect(cut.length).toBeLessThanOrEqual(101);
    expect(cut).toMatch(/^(\\\*)+…$/);
  });
});

describe('renderEmbed', () => {
  it('renders title link, author, time, summary, term fields and hashtag footer', () => {
    const { embed, shortened } = renderEmbed(base, { icon: 'https://example.org/favicon.ico' });
    expect(shortened).toBe(false);
    expect(embed).toMatchObject({
      title: 'Webb finds water on an exoplanet',
      url: 'https://example.org/a',
      author: { name: 'Space Desk', url: 'https://example.org/', icon_url: 'https://example.org/favicon.ico' },
      timestamp: '2026-11-29T10:00:00.000Z',
      description: 'The James Webb Space Telescope saw water vapour.',
      fields: [{ name: 'exoplanet', value: 'A planet that orbits a star other than the Sun.', inline: false }],
      footer: { text: '#astronomy' },
    });
  });

  it('keeps every limit on a huge item, shortening the summary before the explanations', () => {
    const terms = Array.from({ length: 30 }, (_, i) => ({
      id: `t${i}`,
      term: `term ${i}`,
      short: 'x'.repeat(150),
      lang: 'en',
    }));
    const huge: Message = { ...base, title: 'T'.repeat(400), summary: 'word '.repeat(3000), terms, hashtags: ['#a'] };
    const { embed, shortened } = renderEmbed(huge);
    expect(shortened).toBe(true);
    expect(embed.title!.length).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.fields!.length).toBe(EMBED_LIMITS.fields);
    expect(embed.fields!.every((f) => f.value === 'x'.repeat(150))).toBe(true); // explanations intact
    expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.description!.endsWith('…')).toBe(true);
  });

  it('cuts explanations only when they alone pass 6,000 characters', () => {
    const terms = Array.from({ length: 25 }, (_, i) => ({
      id: `t${i}`,
      term: `term ${i}`,
      short: 'y'.repeat(1500),
      lang: 'en',
    }));
    const { embed } = renderEmbed({ ...base, terms });
    expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.fields!.every((f) => f.value.length <= EMBED_LIMITS.fieldValue)).toBe(true);
  });

  it('drops non-http links and images, and names a forum post within 100 characters', () => {
    const { embed } = renderEmbed({ ...base, link: 'javascript:alert(1)', image: 'ftp://x/y.png' });
    expect(embed.url).toBeUndefined();
    expect(embed.image).toBeUndefined();
    expect(threadName({ ...base, title: 'A '.repeat(120) }).length).toBeLessThanOrEqual(100);
  });
});
