import { describe, expect, it } from 'vitest';
import { CAPTION_LIMIT, renderTelegramPost, shortenText, TEXT_LIMIT } from '../../bots/telegram/render';
import { createSendLimiter } from '../../bots/telegram/limiter';
import type { Message } from '../../shared/message/message';
import { parseTelegramHtml } from '../fakes/telegram/html';

const base: Message = {
  title: 'Webb finds <water> & "steam" on K2-18b',
  link: 'https://news.example/a?x=1&y=<2>',
  source: { title: 'Space & Co <news>' },
  published: '2026-11-29T10:15:00Z',
  summary: 'Astronomers using <JWST> say the exoplanet’s air holds water vapour; AT&T unaffected. &amp; stays literal.',
  terms: [{ id: 'exoplanet', term: 'exoplanet', short: 'A planet <outside> our solar system.', lang: 'en' }],
  hashtags: ['#astronomy', '#space'],
};

/** What a reader sees, via the fake's Telegram-strict parser: the test fails if Telegram would refuse the post. */
function seen(html: string) {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed;
}

describe('rendering a post as Telegram HTML', () => {
  it('escapes every piece of feed text once and links the bold title', () => {
    const { html } = renderTelegramPost(base);
    const post = seen(html);
    expect(post.text).toBe(
      [
        'Webb finds <water> & "steam" on K2-18b',
        'Space & Co <news> · 2026-11-29 10:15 UTC',
        '',
        base.summary,
        '',
        'Key terms',
        '• exoplanet — A planet <outside> our solar system.',
        '',
        '#astronomy #space',
      ].join('\n'),
    );
    expect(post.entities).toContainEqual({
      type: 'text_link',
      offset: 0,
      length: 38,
      url: 'https://news.example/a?x=1&y=<2>',
    });
    expect(post.entities).toContainEqual({ type: 'bold', offset: 0, length: 38 });
    expect(html).toContain('&amp;amp; stays literal');
    expect(html).not.toContain('<JWST>');
  });

  it('shortens the summary first to fit 4,096 and 1,024, keeping the link, terms and whole entities', () => {
    const long = { ...base, summary: `${'Gravitational waves & <lensing> '.repeat(400)}end.` };
    for (const limit of [TEXT_LIMIT, CAPTION_LIMIT]) {
      const r = renderTelegramPost(long, limit);
      const post = seen(r.html);
      expect(r.shortened).toBe(true);
      expect([...post.text].length).toBeLessThanOrEqual(limit);
      expect(post.text).toContain('Key terms');
      expect(post.text).toMatch(/…\n\nKey terms/);
      expect(post.entities.find((e) => e.type === 'text_link')?.url).toBe(base.link);
      expect(r.html).not.toMatch(/&[a-z]*…|&(?!amp;|lt;|gt;|quot;)/);
    }
  });

  it('cuts CJK text without spaces and never splits a surrogate pair', () => {
    expect(shortenText('量子纠缠'.repeat(300), 100)).toHaveLength(100);
    const emoji = shortenText('🔬'.repeat(100), 51);
    expect(emoji.endsWith('…')).toBe(true);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF]…/);
  });

  it('drops terms and hashtags before the title when even they do not fit, and keeps the title link', () => {
    const crowded = {
      ...base,
      terms: Array.from({ length: 3 }, (_, i) => ({ ...base.terms[0]!, id: `t${i}`, short: 'x'.repeat(400) })),
    };
    const r = renderTelegramPost(crowded, 600);
    const post = seen(r.html);
    expect([...post.text].length).toBeLessThanOrEqual(600);
    expect(post.entities.some((e) => e.type === 'text_link')).toBe(true);
  });
});

it('never makes a link of a non-web URL, and still shows it', () => {
  const post = seen(renderTelegramPost({ ...base, link: 'javascript:alert(1)' }).html);
  expect(post.entities.some((e) => e.type === 'text_link')).toBe(false);
  expect(post.text.split('\n')[1]).toBe('Space & Co <news> · 2026-11-29 10:15 UTC · javascript:alert(1)');
});

describe('the send limiter', () => {
  it('spaces sends to one group at 20 a minute and counts from the answer', async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = createSendLimiter(
      {
        global: { count: 30, windowMs: 1000 },
        group: { count: 20, windowMs: 60_000 },
        chat: { count: 1, windowMs: 1000 },
      },
      { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) },
    );
    const starts: number[] = [];
    for (let i = 0; i < 45; i++) {
      const done = await limiter.acquire(-100);
      starts.push(now);
      now += 5; // Telegram answers in 5 ms
      done();
    }
    for (let i = 20; i < starts.length; i++) expect(starts[i]! - starts[i - 20]!).toBeGreaterThanOrEqual(60_000);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(limiter.delayFor(555)).toBe(0); // another (private) chat is not held up by the group's window
  });
});
