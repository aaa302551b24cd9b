import { describe, expect, it } from 'vitest';
import type { GlossaryPack } from '../glossary/schema';
import { compileMatcher } from '../matcher';
import { buildMessage, createTermGlossary, MessageSchema, renderPlainText, toHashtag } from './index';

const entry = (
  id: string,
  term: string,
  level: 1 | 2 | 3,
  fields: GlossaryPack['entries'][number]['fields'],
  aliases: string[] = [],
) => ({
  id,
  term,
  aliases,
  avoid: [],
  fields,
  level,
  short: `Short explanation of ${term}.`,
  long: `Longer explanation of ${term}.`,
  related: [],
  sources: [{ title: 'Ref', url: 'https://example.org' }],
});

const en: GlossaryPack = {
  format: 1,
  id: 'test-en',
  title: 'Test',
  lang: 'en',
  revision: 1,
  license: 'CC-BY-4.0',
  entries: [
    entry('dna', 'DNA', 1, ['genetics']),
    entry('exoplanet', 'exoplanet', 2, ['astronomy']),
    entry('spectroscopy', 'spectroscopy', 3, ['physics', 'astronomy']),
    entry('crispr', 'CRISPR', 3, ['genetics', 'biology']),
    entry('telescope', 'telescope', 1, ['astronomy']),
  ],
};
const zh: GlossaryPack = {
  ...en,
  id: 'test-zh',
  lang: 'zh-Hans',
  entries: [
    entry('quantum-entanglement', '量子纠缠', 3, ['quantum']),
    { ...entry('exoplanet', '系外行星', 2, ['astronomy']), short: '太阳系以外的行星。' },
  ],
};
const glossary = createTermGlossary(compileMatcher([en, zh]), [en, zh]);

describe('buildMessage', () => {
  it('explains the best three terms, title first, specialist before common', () => {
    const msg = buildMessage(
      {
        title: 'Telescope finds an exoplanet',
        summary:
          'Using spectroscopy, the team also looked at DNA-like molecules and CRISPR. More spectroscopy followed.',
        link: 'https://news.example/a',
        published: '2026-11-29T10:00:00.000Z',
        lang: 'en',
      },
      { title: 'Space Desk', siteUrl: 'https://news.example', tags: ['astronomy'] },
      { glossary },
    );
    expect(MessageSchema.parse(msg)).toEqual(msg);
    expect(msg.terms.map((t) => t.id)).toEqual(['exoplanet', 'telescope', 'spectroscopy']);
    expect(msg.terms[0]).toEqual({
      id: 'exoplanet',
      term: 'exoplanet',
      short: 'Short explanation of exoplanet.',
      lang: 'en',
    });
    expect(msg.hashtags).toEqual(['#astronomy', '#physics']);
    expect(msg.source).toEqual({ title: 'Space Desk', url: 'https://news.example' });
  });

  it('finds Chinese terms, carries no terms without a glossary, and names untitled items', () => {
    const zhMsg = buildMessage(
      { title: '科学家实现远距离量子纠缠', summary: '', lang: 'zh-cn' },
      { title: '科普中国', tags: [] },
      { glossary },
    );
    expect(zhMsg.terms.map((t) => t.term)).toEqual(['量子纠缠']);
    expect(zhMsg.hashtags).toEqual(['#quantum']);
    const bare = buildMessage({ title: '  ', summary: 'CRISPR' }, { title: 'S', tags: [] });
    expect(bare).toMatchObject({ title: '(untitled)', terms: [], hashtags: [] });
    expect(bare.link).toBeUndefined();
  });

  it('explains a term in the post’s own language when the glossary has it', () => {
    const zhMsg = buildMessage(
      { title: '韦布望远镜发现 exoplanet 大气', summary: '', lang: 'zh-cn' },
      { title: '科学网', tags: [] },
      { glossary },
    );
    expect(zhMsg.terms).toEqual([{ id: 'exoplanet', term: '系外行星', short: '太阳系以外的行星。', lang: 'zh-Hans' }]);
    const enMsg = buildMessage(
      { title: 'Webb finds an exoplanet', summary: '', lang: 'en' },
      { title: 'S', tags: [] },
      { glossary },
    );
    expect(enMsg.terms.map((t) => t.lang)).toEqual(['en']);
  });

  it('respects maxTerms', () => {
    const msg = buildMessage(
      { title: 'exoplanet telescope spectroscopy CRISPR', summary: '' },
      { title: 'S', tags: [] },
      { glossary, maxTerms: 1 },
    );
    expect(msg.terms).toHaveLength(1);
  });
});

describe('toHashtag and renderPlainText', () => {
  it('makes hashtags platforms accept', () => {
    expect(toHashtag('earth-climate')).toBe('#earth_climate');
    expect(toHashtag('AI & computing')).toBe('#ai_computing');
    expect(toHashtag('天文')).toBe('#天文');
    expect(toHashtag('2024')).toBeNull();
    expect(toHashtag('--')).toBeNull();
  });

  it('prints title, source, link, summary, terms and hashtags', () => {
    const msg = buildMessage(
      { title: 'An exoplanet', summary: 'Found.', link: 'https://x.example/1', published: '2026-11-29T10:00:00.000Z' },
      { title: 'Desk', tags: ['astronomy'] },
      { glossary },
    );
    expect(renderPlainText(msg)).toBe(
      'An exoplanet\nDesk · 2026-11-29 10:00\nhttps://x.example/1\n\nFound.\n\n• exoplanet: Short explanation of exoplanet.\n\n#astronomy',
    );
  });
});

describe('a post for a Chinese channel', () => {
  const item = {
    title: 'Webb finds an exoplanet with spectroscopy',
    summary: 'The telescope read its air.',
    lang: 'en',
  };
  const source = { title: 'NASA', tags: ['astronomy'] };

  it('explains its terms from the Chinese entries, and from the English ones only where there is none, saying so', () => {
    const message = buildMessage(item, source, { glossary, lang: 'zh-Hans' });
    expect(message.chatLang).toBe('zh-Hans');
    expect(message.terms.map((t) => [t.id, t.term, t.lang])).toEqual([
      ['exoplanet', '系外行星', 'zh-Hans'],
      ['spectroscopy', 'spectroscopy', 'en'],
      ['telescope', 'telescope', 'en'],
    ]);
    const text = renderPlainText(message);
    expect(text).toContain('• 系外行星: 太阳系以外的行星。\n');
    expect(text).toContain('• spectroscopy: Short explanation of spectroscopy. （暂无中文词条，此为英文解释）');
    expect(MessageSchema.parse(message)).toEqual(message);
  });

  it('leaves an English channel’s post as it always was', () => {
    const before = buildMessage(item, source, { glossary });
    expect(buildMessage(item, source, { glossary, lang: 'en' })).toEqual(before);
    expect(before.chatLang).toBeUndefined();
    expect(renderPlainText(before)).not.toMatch(/\p{Script=Han}/u);
  });
});

describe('a Chinese channel’s digest line', () => {
  it('says when its term is explained from the English entry', () => {
    const term = (lang: string) => ({ id: 'x', term: lang === 'en' ? 'spectroscopy' : '光谱学', short: 'S.', lang });
    const part = (lang: string, chatLang?: 'zh-Hans') =>
      renderPlainText({
        title: '科学摘要',
        source: { title: 'G' },
        summary: '',
        terms: [],
        hashtags: [],
        ...(chatLang ? { chatLang } : {}),
        digest: {
          part: 1,
          parts: 1,
          sections: [
            {
              field: 'physics',
              heading: '物理',
              lines: [{ n: 1, title: 'T', links: [{ source: 'A' }], term: term(lang) }],
            },
          ],
        },
      });
    expect(part('en', 'zh-Hans')).toContain('   spectroscopy: S. （暂无中文词条，此为英文解释）');
    expect(part('zh-Hans', 'zh-Hans')).toContain('   光谱学: S.\n'.trimEnd());
    expect(part('zh-Hans', 'zh-Hans')).not.toContain('暂无中文词条');
    expect(part('en')).not.toContain('暂无');
  });
});
