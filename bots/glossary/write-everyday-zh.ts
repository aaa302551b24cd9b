// Writes shared/glossary/everyday-zh.json from jieba's dictionary: `npx tsx bots/glossary/write-everyday-zh.ts`.
import { writeFileSync } from 'node:fs';
import { EVERYDAY_ZH_COUNT, everydayChineseWords } from './segmentation';

const file = new URL('../../shared/glossary/everyday-zh.json', import.meta.url);
const words = everydayChineseWords();
const rows: string[] = [];
for (let i = 0; i < words.length; i += 20)
  rows.push(
    `    ${words
      .slice(i, i + 20)
      .map((w) => JSON.stringify(w))
      .join(', ')}`,
  );
writeFileSync(
  file,
  `{\n  "//": "The ${EVERYDAY_ZH_COUNT} most frequent words of two Han characters or more in jieba's dictionary (its frequencies come from a general news corpus), most frequent first. Written by bots/glossary/write-everyday-zh.ts; test/glossary/everyday-zh.test.ts checks it against the dictionary. A Chinese form on this list counts only with context: the quality rules ask the entry to list it in needsContext.",\n  "words": [\n${rows.join(',\n')}\n  ]\n}\n`,
);
process.stdout.write(`wrote ${words.length} words\n`);
