import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { lintPacks } from '../../shared/glossary/lint';
import { qualityProblems } from '../../shared/glossary/quality';
import type { LoadedPack } from '../../shared/glossary/load';
import { formatProblem } from '../../shared/glossary/problems';
import { listPackFiles, readPackFiles } from '../glossary/bundled';
import { registerCommunityCommands } from './glossary-community';
import { registerDraftCommand } from './glossary-draft';
import { registerGapsCommand } from './glossary-gaps';
import { registerStaleCommand } from './glossary-stale';
import { explainTerm, glossaryTerms, matchText } from '../glossary/read';
import { errorMessage } from '../../shared/errors';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The packs a command works on: the given files, or the bundled ones. Exits 1 on problems. */
function loadOrExit(files: readonly string[]): LoadedPack[] | null {
  const { packs, problems } = readPackFiles(files.length > 0 ? files : listPackFiles());
  if (problems.length === 0) return packs;
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exitCode = 1;
  return null;
}

/** `scipop glossary lint|terms|match|gaps|stale|explain`. */
export function registerGlossaryCommands(program: Command): void {
  const glossary = program.command('glossary').description('validate, list and use the glossary packs');

  glossary
    .command('lint')
    .description(
      'validate the bundled packs (or the given files): exit 0 when valid, else one line per problem and exit 1',
    )
    .argument('[packs...]', 'pack files to check (default: every bundled pack)')
    .option(
      '--no-quality',
      'check shape and references only, not the quality rules (readability, everyday words, jargon, duplicates)',
    )
    .action((files: string[], options: { quality: boolean }) => {
      const { packs, problems } = readPackFiles(files.length > 0 ? files : listPackFiles());
      problems.push(...lintPacks(packs));
      if (options.quality) problems.push(...qualityProblems(packs));
      for (const problem of problems) out(formatProblem(problem));
      const entries = packs.reduce((n, p) => n + p.pack.entries.length, 0);
      if (problems.length > 0) {
        process.stderr.write(
          `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.length || listPackFiles().length} file(s)\n`,
        );
        process.exitCode = 1;
      } else process.stderr.write(`ok: ${packs.length} pack(s), ${entries} entries\n`);
    });

  glossary
    .command('terms')
    .description('list every surface form the matcher looks for, with its entry id')
    .option('--lang <lang>', 'only this language (en, zh-Hans)')
    .option('--json', 'print a JSON array of {form, id, lang}')
    .option('--pack <file...>', 'use these pack files instead of the bundled ones')
    .action((options: { lang?: string; json?: boolean; pack?: string[] }) => {
      const packs = loadOrExit(options.pack ?? []);
      if (!packs) return;
      const terms = glossaryTerms(packs, options.lang);
      if (options.json) out(JSON.stringify(terms));
      else for (const t of terms) out(`${t.form}\t${t.id}\t${t.lang}`);
    });

  glossary
    .command('match')
    .description('find glossary terms in a text: JSON array of {start, end, text, id} with UTF-16 offsets')
    .argument('[file]', 'text file to read, or - for standard input', '-')
    .option('--lang <lang>', 'only terms of this language (en, zh-Hans)')
    .option('--json', 'print JSON (the default; kept for symmetry with the other commands)')
    .option('--pack <file...>', 'use these pack files instead of the bundled ones')
    .action((file: string, options: { lang?: string; pack?: string[] }) => {
      const packs = loadOrExit(options.pack ?? []);
      if (!packs) return;
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (error) {
        process.stderr.write(
          `scipop: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})\n`,
        );
        process.exitCode = 2;
        return;
      }
      out(JSON.stringify(matchText(packs, text, options.lang)));
    });

  registerGapsCommand(glossary);
  registerCommunityCommands(glossary);
  registerDraftCommand(glossary);
  registerStaleCommand(glossary);

  glossary
    .command('explain')
    .description('show the entry for a term, as a reader would see it')
    .argument('<term>', 'a term or any of its aliases, in any case (or an entry id)')
    .option('--lang <lang>', 'only this language (en, zh-Hans)')
    .option('--pack <file...>', 'use these pack files instead of the bundled ones')
    .action((term: string, options: { lang?: string; pack?: string[] }) => {
      const packs = loadOrExit(options.pack ?? []);
      if (!packs) return;
      const text = explainTerm(packs, term, options.lang);
      if (text === null) {
        process.stderr.write(
          `scipop: no glossary entry for "${term}"${options.lang ? ` in ${options.lang}` : ''}; \`scipop glossary terms\` lists them\n`,
        );
        process.exitCode = 1;
      } else out(text);
    });
}
