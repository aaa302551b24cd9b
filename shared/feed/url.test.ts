import { describe, expect, it } from 'vitest';
import { normalizeLinkForIdentity, resolveLink } from './url';

describe('resolveLink', () => {
  it('resolves against the innermost base, itself resolved against the outer ones', () => {
    expect(resolveLink('post/1', '/blog/', 'https://example.org/feed.xml')).toBe('https://example.org/blog/post/1');
    expect(resolveLink('../a', undefined, 'https://example.org/x/y/feed')).toBe('https://example.org/x/a');
  });
  it('keeps absolute links and refuses non-web schemes', () => {
    expect(resolveLink(' https://example.org/a ', 'https://other.org/')).toBe('https://example.org/a');
    expect(resolveLink('javascript:alert(1)', 'https://example.org/')).toBeUndefined();
    expect(resolveLink('data:text/html,hi')).toBeUndefined();
    expect(resolveLink('relative/only')).toBeUndefined();
    expect(resolveLink('relative', 'file:///tmp/feed.xml')).toBeUndefined();
  });
});

describe('normalizeLinkForIdentity', () => {
  it('ignores scheme, www, fragment, tracking parameters, parameter order and trailing slash', () => {
    const a = normalizeLinkForIdentity('https://www.Example.org/news/?utm_source=rss&b=2&a=1#comments');
    const b = normalizeLinkForIdentity('http://example.org/news?a=1&b=2');
    expect(a).toBe(b);
    expect(a).toBe('example.org/news?a=1&b=2');
  });
  it('keeps parameters that matter', () =>
    expect(normalizeLinkForIdentity('https://x.org/?p=1')).not.toBe(normalizeLinkForIdentity('https://x.org/?p=2')));
});
