import { describe, expect, it } from 'vitest';
import { chatLangOf, parseChatLang } from './lang';
import { CATALOGUES, paramsOf, translate, type MessageKey } from './translate';

describe('the bots’ message catalogue', () => {
  const en = CATALOGUES.en;
  const zh = CATALOGUES['zh-Hans'];

  it('has every key in both languages, with the same parameters and plural forms', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const differ = (Object.keys(en) as MessageKey[]).filter(
      (k) => paramsOf(en[k]).join() !== paramsOf(zh[k]).join() || typeof en[k] !== typeof zh[k],
    );
    expect(differ).toEqual([]);
  });

  it('writes Chinese texts in Chinese, not English copied over', () => {
    // A text made only of commands, names and parameters (`{description} ({access})`) may be the same in both.
    const prose = (text: string) => text.replace(/\{\w+\}|\/\w+|[\w.:|-]+/g, '').replace(/[\s\p{P}\p{S}]/gu, '');
    const copied = (Object.keys(en) as MessageKey[]).filter((k) => {
      const z = JSON.stringify(zh[k]);
      return z === JSON.stringify(en[k]) ? prose(z).length > 0 && !/^name\./.test(k) : false;
    });
    expect(copied).toEqual([]);
    const noHan = (Object.keys(zh) as MessageKey[]).filter(
      (k) =>
        !/^name\.(?!explain|sources)/.test(k) &&
        /\p{L}{4,}/u.test(JSON.stringify(zh[k]).replace(/\{\w+\}/g, '')) &&
        !/\p{Script=Han}/u.test(JSON.stringify(zh[k])),
    );
    expect(noHan).toEqual([]);
  });

  it('fills parameters and picks plural forms', () => {
    expect(translate('en', 'lang.set', { titles: 'Astro', lang: 'English' })).toBe(
      'Astro now speaks English: posts, term explanations and replies.',
    );
    expect(translate('zh-Hans', 'lang.current', { title: '天文', lang: '简体中文' })).toBe('“天文”目前使用简体中文。');
  });

  it('maps platform locales and typed names to the two languages', () => {
    expect(['zh', 'zh-CN', 'zh-TW', 'zh-hans', 'zh_Hant_HK'].map(chatLangOf)).toEqual(Array(5).fill('zh-Hans'));
    expect(['en', 'en-US', 'de', 'ja', '', null, undefined].map(chatLangOf)).toEqual(Array(7).fill('en'));
    expect(['zh-Hans', 'zh', '中文', 'en', 'English', 'fr'].map(parseChatLang)).toEqual([
      'zh-Hans',
      'zh-Hans',
      'zh-Hans',
      'en',
      'en',
      null,
    ]);
  });
});
