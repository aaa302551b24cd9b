import type { Command } from 'commander';
import { formatPath, formatProblem } from '../../shared/glossary/problems';
import { staleEntries } from '../../shared/glossary/stale';
import { listPackFiles, readPackFiles } from '../glossary/bundled';

/** `scipop glossary stale [--months N] [--json] [--pack FILE…]`: volatile entries due for a review. */
export function registerStaleCommand(glossary: Command): void {
  glossary
    .command('stale')
    .description(
      'list the volatile entries (facts that age) not reviewed within N months, never-reviewed ones first; exit 0',
    )
    .option('--months <n>', 'how recent a review must be, in months', '12')
    .option('--json', 'print a JSON array of {file, path, id, lang, reviewed}')
    .option('--pack <file...>', 'use these pack files instead of the bundled ones')
    .action((options: { months: string; json?: boolean; pack?: string[] }) => {
      const months = Number(options.months);
      if (!Number.isInteger(months) || months < 0) {
        process.stderr.write(
          `scipop: --months must be a whole number of months (0 or more), not "${options.months}"\n`,
        );
        process.exitCode = 2;
        return;
      }
      const { packs, problems } = readPackFiles(options.pack ?? listPackFiles());
      for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (problems.length > 0) {
        process.exitCode = 1;
        return;
      }
      const stale = staleEntries(packs, months, new Date());
      const rows = stale.map((s) => ({ ...s, path: formatPath(['entries', s.index]) }));
      if (options.json)
        process.stdout.write(
          `${JSON.stringify(rows.map(({ file, path, id, lang, reviewed }) => ({ file, path, id, lang, reviewed })))}\n`,
        );
      else
        for (const r of rows)
          process.stdout.write(
            `${r.file}: ${r.path}: ${r.id} (${r.lang}) ${r.reviewed ? `last reviewed ${r.reviewed}` : 'never reviewed'}\n`,
          );
      const volatile = packs.reduce((n, p) => n + p.pack.entries.filter((e) => e.volatile).length, 0);
      process.stderr.write(
        `${stale.length} of ${volatile} volatile entr${volatile === 1 ? 'y' : 'ies'} not reviewed in the last ${months} month(s)\n`,
      );
    });
}
