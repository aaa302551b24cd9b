import { describe, expect, it } from 'vitest';
import { digestMessages } from '../../shared/digest/split';
import { bigDigest } from '../../test/support/big-digest';
import { EMBED_LIMITS, embedSize } from './render';
import { fitsDiscord, renderDigestEmbed } from './render-digest';

describe('renderDigestEmbed', () => {
  it('puts the stories in the description as markdown links, feed text escaped, pings defused', () => {
    const digest = bigDigest(1);
    digest.sections[0]!.lines[0]!.title = 'Webb [sees] *K2-18b* @everyone';
    digest.sections[0]!.lines[0]!.links = [{ source: 'NASA', url: 'https://nasa.example/a_(b)' }];
    const [part] = digestMessages(digest, fitsDiscord, { heading: 'Science digest', from: 'Main', late: 'Sent late.' });
    const embed = renderDigestEmbed(part!);
    expect(embed.title).toBe('Science digest');
    expect(embed.author?.name).toBe('Main');
    expect(embed.footer?.text).toBe('1 story from 1 source · Sent late.');
    expect(embed.description).toBe(
      '__**astronomy**__\n' +
        '**1.** [Webb \\[sees\\] \\*K2-18b\\* @\u200beveryone](https://nasa.example/a_%28b%29) — [NASA](https://nasa.example/a_%28b%29)\n' +
        '*term 1* — A plain explanation of one hundred or so characters, as the glossary writes them.',
    );
  });

  it('cuts a long digest into parts each within every embed limit, in order', () => {
    const parts = digestMessages(bigDigest(80, 250), fitsDiscord, { heading: 'Science digest', from: 'Main' });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const numbers: number[] = [];
    for (const [i, p] of parts.entries()) {
      const e = renderDigestEmbed(p);
      expect(e.description!.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
      expect(embedSize(e)).toBeLessThanOrEqual(EMBED_LIMITS.total);
      expect(e.title).toBe(`Science digest (${i + 1}/${parts.length})`);
      numbers.push(...[...e.description!.matchAll(/^\*\*(\d+)\.\*\*/gm)].map((m) => Number(m[1])));
    }
    expect(numbers).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });
});
