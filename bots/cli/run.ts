import type { Command } from 'commander';
import { runBots } from '../main';
import { isUnwritable } from '../store/types';
import { errorMessage } from '../../shared/errors';

/** `scipop run [--config FILE] [--once] [--dry-run]`. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the bot network: poll the sources, curate, and post (to stdout when no platform token is set)')
    .option('--config <file>', 'YAML or JSON config (see bots/config/example.yaml)')
    .option('--once', 'one poll-and-deliver cycle over every active source, due or not, then exit')
    .option(
      '--dry-run',
      'work on a snapshot of the store and print every post instead of sending it; nothing is recorded',
    )
    .action(async (o: { config?: string; once?: boolean; dryRun?: boolean }) => {
      try {
        const bots = await runBots({
          ...(o.config ? { config: o.config } : {}),
          once: Boolean(o.once),
          dryRun: Boolean(o.dryRun),
        });
        if (o.once && bots.report && bots.report.polled > 0 && bots.report.errors === bots.report.polled)
          process.exitCode = 1;
      } catch (error) {
        process.stderr.write(`scipop: ${errorMessage(error)}\n`);
        // 2 is bad input (config, arguments); a disk or file that cannot be written is the machine's.
        process.exitCode = isUnwritable(error) ? 1 : 2;
      }
    });
}
