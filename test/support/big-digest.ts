import type { Digest, DigestStory } from '../../shared/digest/build';

/** A digest of `n` stories over three fields, as buildDigest would give it. */
export function bigDigest(n: number, titleLength = 120): Digest {
  const fields = ['astronomy', 'genetics', 'energy'];
  const stories: DigestStory[] = Array.from({ length: n }, (_, i) => ({
    title: `Story ${i + 1} ${'about something quite specialist '.repeat(10)}`.slice(0, titleLength),
    links: [
      { source: `Source ${i + 1}`, url: `https://news${i}.example/story/${i + 1}` },
      { source: 'Wire', url: `https://wire.example/${i + 1}` },
    ],
    terms: [
      {
        id: `t${i}`,
        term: `term ${i + 1}`,
        short: 'A plain explanation of one hundred or so characters, as the glossary writes them.',
        lang: 'en',
      },
    ],
    field: fields[Math.floor((i * fields.length) / n)]!,
    score: n - i,
    sources: 2,
    ids: [`r${i}`],
  }));
  let k = 0;
  const sections = fields.map((field) => ({
    field,
    heading: field,
    lines: stories
      .filter((s) => s.field === field)
      .map((s) => ({ n: ++k, title: s.title, links: s.links, term: s.terms[0]! })),
  }));
  return { stories, sections, considered: n, storyCount: n };
}
