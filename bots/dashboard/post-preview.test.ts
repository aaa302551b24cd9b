import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/message/message';
import { discordPreview, platformPreview, telegramHtml, telegramPreview } from './post-preview';

const message: Message = {
  title: 'Is 2 < 3 & *bold*?',
  link: 'https://news.example/a?x=1&y=2',
  source: { title: 'Space desk', url: 'https://news.example/' },
  published: '2026-11-29T08:30:00.000Z',
  summary: '# Not a heading\nwith @everyone and <script>alert(1)</script>',
  terms: [{ id: 'exoplanet', term: 'exoplanet', short: 'A planet around another star (not the Sun).', lang: 'en' }],
  hashtags: ['#astronomy'],
};

const text = async (html: unknown) => String(await html);

describe('the queue’s platform previews', () => {
  it('keeps only the tags Telegram’s renderer emits, and shows everything else as text', () => {
    expect(telegramHtml('<b>x</b> <i>y</i> <a href="https://a.example/?q=1&amp;r=2">z</a>')).toBe(
      '<strong>x</strong> <em>y</em> <a href="https://a.example/?q=1&amp;r=2" rel="noopener noreferrer">z</a>',
    );
    expect(telegramHtml('<script>x</script><a href="javascript:alert(1)">y</a>')).toBe(
      '&lt;script&gt;x&lt;/script&gt;&lt;a href="javascript:alert(1)"&gt;y</a>',
    );
  });

  it('draws the Telegram post from the renderer’s HTML, feed text escaped once', async () => {
    const html = await text(telegramPreview(message));
    expect(html).toContain(
      '<div class="tg-bubble"><strong><a href="https://news.example/a?x=1&amp;y=2" rel="noopener noreferrer">Is 2 &lt; 3 &amp; *bold*?</a></strong>\n<em>Space desk · 2026-11-29 08:30 UTC</em>',
    );
    expect(html).toContain('with @everyone and &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('• <strong>exoplanet</strong> — A planet around another star (not the Sun).');
    expect(html).not.toContain('<script>');
    const photo = await text(telegramPreview({ ...message, image: 'https://img.example/p.jpg' }));
    expect(photo).toContain('On Telegram, as a photo with this caption');
    expect(photo).toContain('Photo: https://img.example/p.jpg');
  });

  it('draws the Discord embed: colour bar, author, linked title, description, a field per term, footer', async () => {
    const html = (await text(discordPreview(message)))
      .replace(/>\s+</g, '><')
      .replace(/>\s+([^<\s])/g, '>$1')
      .replace(/([^>\s])\s+<\//g, '$1</');
    expect(html).toContain('<rect width="4" height="4" fill="#2f80ed" />');
    expect(html).toContain('<p class="dc-author">Space desk</p>');
    expect(html).toMatch(
      /<p class="dc-title"><a href="https:\/\/news\.example\/a\?x=1&amp;y=2" rel="noopener noreferrer">Is 2 &lt; 3 &amp; \*bold\*\?<\/a>/,
    );
    // Discord shows escaped markdown as the characters themselves; the ping stays defused.
    expect(html).toContain('<p class="dc-desc"># Not a heading\nwith @\u200beveryone and &lt;script&gt;alert');
    expect(html).toContain('<dt>exoplanet</dt><dd>A planet around another star (not the Sun).</dd>');
    expect(html).toContain('<p class="dc-footer">#astronomy • 2026-11-29 08:30 UTC</p>');
    expect(html).not.toContain('<script>');
  });

  it('draws the channel’s own platform, both for any other sink', async () => {
    expect(await text(platformPreview('discord', message))).not.toContain('On Telegram');
    expect(await text(platformPreview('telegram', message))).not.toContain('On Discord');
    const both = await text(platformPreview('console', message));
    expect(both).toContain('On Telegram');
    expect(both).toContain('On Discord');
  });
});
