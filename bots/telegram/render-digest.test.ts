import { describe, expect, it } from 'vitest';
import { digestMessages } from '../../shared/digest/split';
import { bigDigest } from '../../test/support/big-digest';
import { TEXT_LIMIT } from './render';
import { fitsTelegram, renderTelegramDigest } from './render-digest';

describe('renderTelegramDigest', () => {
  it('links every title and every source, escapes feed text and explains the key term', () => {
    const digest = bigDigest(1);
    digest.sections[0]!.lines[0]!.title = 'Webb <sees> K2-18b & more';
    const [part] = digestMessages(digest, fitsTelegram, {
      heading: 'Science digest',
      from: 'Main',
      late: 'Sent late.',
    });
    const { html } = renderTelegramDigest(part!);
    expect(html).toBe(
      [
        '<b>Science digest</b>\n<i>Main · 1 story from 2 sources</i>',
        '<i>Sent late.</i>',
        '<b>astronomy</b>\n' +
          '1. <b><a href="https://news0.example/story/1">Webb &lt;sees&gt; K2-18b &amp; more</a></b> — ' +
          '<a href="https://news0.example/story/1">Source 1</a>, <a href="https://wire.example/1">Wire</a>\n' +
          '    <i>term 1</i> — A plain explanation of one hundred or so characters, as the glossary writes them.',
      ].join('\n\n'),
    );
  });

  it('cuts a digest too long for one message into numbered parts within 4,096 visible characters', () => {
    const parts = digestMessages(bigDigest(60), fitsTelegram, { heading: 'Science digest', from: 'Main' });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const [i, p] of parts.entries()) {
      const r = renderTelegramDigest(p);
      expect(r.length).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(r.html.startsWith(`<b>Science digest (${i + 1}/${parts.length})</b>`)).toBe(true);
    }
    // Nearly full parts: the split packs lines, it does not send a message per story.
    expect(renderTelegramDigest(parts[0]!).length).toBeGreaterThan(TEXT_LIMIT - 400);
    const stories = parts.flatMap((p) =>
      [...renderTelegramDigest(p).html.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])),
    );
    expect(stories).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('shows a link that is not a web link as text', () => {
    const digest = bigDigest(1);
    digest.sections[0]!.lines[0]!.links = [{ source: 'Odd', url: 'javascript:alert(1)' }];
    const [part] = digestMessages(digest, fitsTelegram, { heading: 'D', from: 'M' });
    expect(renderTelegramDigest(part!).html).not.toContain('href="javascript');
  });
});
