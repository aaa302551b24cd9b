import { describe, expect, it } from 'vitest';
import { cutAtWord, foldWhitespace, htmlToText, titleText } from './html-text';

describe('htmlToText', () => {
  it('drops tags, scripts and styles, decodes entities and folds whitespace', () => {
    const html =
      '<p>Webb&nbsp;sees <b>water</b>&amp;&#x1F30D;</p>\n\n<script>alert("x")</script><style>p{}</style><div>on   K2-18b</div>';
    expect(htmlToText(html).text).toBe('Webb sees water&🌍 on K2-18b');
  });

  it('separates words at block boundaries', () => {
    expect(htmlToText('<p>one</p><p>two</p><br>three<li>four</li>').text).toBe('one two three four');
  });

  it('ends a sentence where a block ends without punctuation and the next begins one', () => {
    expect(htmlToText('<p>The standfirst</p><p>Donald Trump said</p>').text).toBe('The standfirst. Donald Trump said');
    expect(htmlToText('<h2>Results</h2>\n<p>We found it.</p><p>Then</p>').text).toBe('Results. We found it. Then');
    expect(htmlToText('<p>量子纠缠</p><p>实验</p><p>Done?</p><p>Yes</p>').text).toBe('量子纠缠 实验 Done? Yes');
    expect(htmlToText('a<br>B').text).toBe('a B');
  });

  it('finds the first real image, skipping tracking pixels and data: URIs', () => {
    const html =
      '<img src="data:image/gif;base64,R0l" /><img src="/pixel.gif" width="1" height="1"><img src="/fig1.png"><img src="/fig2.png">';
    expect(htmlToText(html).firstImage).toBe('/fig1.png');
  });

  it('never lets markup through, even broken or hostile', () => {
    const { text } = htmlToText(
      '<img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a><iframe src="//evil"></iframe><scr<script>ipt>bad()</script>',
    );
    expect(text).not.toMatch(/<|onerror|javascript/);
    expect(text).toContain('click');
  });
});

describe('cutAtWord', () => {
  it('leaves short text alone', () => expect(cutAtWord('short text', 20)).toBe('short text'));
  it('cuts at the last space before the limit, with an ellipsis', () => {
    expect(cutAtWord('The quick brown fox jumps over the lazy dog', 22)).toBe('The quick brown fox…');
  });
  it('cuts CJK text after punctuation', () => {
    const text = '量子纠缠是一种量子力学现象，其中粒子的状态无法独立描述。这是第二句话的内容很长很长';
    expect(cutAtWord(text, 30)).toBe('量子纠缠是一种量子力学现象，其中粒子的状态无法独立描述。…');
  });
  it('never splits a surrogate pair', () => {
    const cut = cutAtWord('🌍'.repeat(20), 9);
    expect(cut).toBe(`${'🌍'.repeat(4)}…`);
  });
});

describe('titleText and foldWhitespace', () => {
  it('decodes a second level of escaping in titles', () =>
    expect(titleText('AT&amp;T &lt;3 <b>bold</b>')).toBe('AT&T <3 bold'));
  it('keeps a bare ampersand and query strings as written', () =>
    expect(titleText('Fish & Chips ?a=1&copy=2')).toBe('Fish & Chips ?a=1&copy=2'));
  it('folds control characters with whitespace', () =>
    expect(foldWhitespace('a\u001b[31m b\u0000\tc')).toBe('a [31m b c'));
});
