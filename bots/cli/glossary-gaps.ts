import type { Command } from 'commander';
import { findGaps } from '../../shared/glossary/gaps';
import { COMMON_WORDS, COMMON_WORDS_ZH } from '../../shared/glossary/quality';
import type { Matcher } from '../../shared/matcher';
import { compileGlossaryMatcher } from '../glossary/segmentation';
import { listPackFiles, readPackFiles } from '../glossary/bundled';
import { readTexts, type SourceText } from '../glossary/read-texts';

/** How much of a set of texts the glossary explains: matches per 1,000 words (Latin) and per 1,000 Han characters. */
export function coverage(texts: readonly SourceText[], matcher: Matcher) {
  let words = 0;
  let han = 0;
  let latinMatches = 0;
  let hanMatches = 0;
  for (const { text } of texts) {
    words += (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).filter((w) => !/\p{Script=Han}/u.test(w)).length;
    han += (text.match(/\p{Script=Han}/gu) ?? []).length;
    for (const m of matcher.find(text)) {
      if (/\p{Script=Han}/u.test(m.text)) hanMatches++;
      else latinMatches++;
    }
  }
  return {
    texts: texts.length,
    words,
    hanChars: han,
    matches: latinMatches + hanMatches,
    perThousandWords: words > 0 ? (latinMatches * 1000) / words : 0,
    perThousandHanChars: han > 0 ? (hanMatches * 1000) / han : 0,
  };
}

/** `scipop glossary gaps FILE…`. */
export function registerGapsCommand(glossary: Command): void {
  glossary
    .command('gaps')
    .description(
      'list technical terms that appear in texts (plain text, HTML pages, feeds) but have no glossary entry, most frequent and widespread first',
    )
    .argument('<files...>', 'text, HTML or feed files (RSS, Atom, RDF, JSON Feed); - for standard input')
    .option('--top <n>', 'how many candidates to list', '50')
    .option('--min-count <n>', 'fewest occurrences for a candidate', '2')
    .option('--json', 'print JSON: {coverage, candidates}')
    .option('--pack <file...>', 'use these pack files instead of the bundled ones')
    .action(async (files: string[], options: { top: string; minCount: string; json?: boolean; pack?: string[] }) => {
      const limit = Number.parseInt(options.top, 10);
      const minCount = Number.parseInt(options.minCount, 10);
      if (!(limit > 0) || !(minCount > 0)) {
        process.stderr.write('scipop: --top and --min-count take a whole number above 0\n');
        process.exitCode = 2;
        return;
      }
      const { packs, problems } = readPackFiles(options.pack ?? listPackFiles());
      if (problems.length > 0) {
        process.stderr.write(`scipop: the glossary has problems; run \`scipop glossary lint\` (${problems.length})\n`);
        process.exitCode = 1;
        return;
      }
      const matcher = compileGlossaryMatcher(packs);
      const texts = await readTexts(files, (line) => process.stderr.write(`${line}\n`));
      if (texts.length === 0) {
        process.stderr.write('scipop: no readable text in the given files\n');
        process.exitCode = 2;
        return;
      }
      const cov = coverage(texts, matcher);
      const candidates = findGaps(
        texts.map((t) => t.text),
        { matcher, commonWords: COMMON_WORDS, commonZh: COMMON_WORDS_ZH, limit, minCount },
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ coverage: cov, candidates })}\n`);
        return;
      }
      process.stderr.write(
        `${cov.texts} texts, ${cov.words} words and ${cov.hanChars} Chinese characters; ${cov.matches} glossary matches ` +
          `(${cov.perThousandWords.toFixed(1)} per 1,000 words, ${cov.perThousandHanChars.toFixed(1)} per 1,000 Chinese characters)\n`,
      );
      process.stdout.write('score\tcount\ttexts\tkind\tcandidate\n');
      for (const c of candidates) process.stdout.write(`${c.score}\t${c.count}\t${c.docs}\t${c.kind}\t${c.text}\n`);
    });
}
