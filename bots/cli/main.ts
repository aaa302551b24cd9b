import { Command, CommanderError } from 'commander';
import { registerDigestCommands } from './digest';
import { registerFeedCommands } from './feed';
import { registerGlossaryCommands } from './glossary';
import { registerRunCommand } from './run';
import { registerSourcesCommands } from './sources';
import { registerStoreCommands } from './store';
import { registerWorkersCommand } from './workers';
import { errorMessage } from '../../shared/errors';

/** Builds the `scipop` program with every command group registered. */
export function createProgram(): Command {
  const program = new Command('scipop')
    .description('SciPop: science jargon explained, in the browser and in community chats.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerGlossaryCommands(program);
  registerSourcesCommands(program);
  registerRunCommand(program);
  registerFeedCommands(program);
  registerStoreCommands(program);
  registerWorkersCommand(program);
  registerDigestCommands(program);
  return program;
}

/** Runs the command line; usage errors exit 2 with commander's one-line message. */
export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
          ? 0
          : 2;
      return;
    }
    process.stderr.write(`scipop: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  }
}
