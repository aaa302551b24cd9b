import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/config';
import { parseEnv } from '../config/env';
import { dueText, previewDigest } from '../digest/preview';
import { openStore } from '../store/open-store';
import type { Channel } from '../store/types';
import { renderPlainText } from '../../shared/message/plain-text';
import { errorMessage } from '../../shared/errors';

const RULE = '─'.repeat(60);

/** A usage problem: one line on stderr and exit 2. */
class UsageError extends Error {}

/** `scipop digest preview CHANNEL [--config FILE]`. */
export function registerDigestCommands(program: Command): void {
  const digest = program.command('digest').description("channels' digests: the best stories once a day or week");
  digest
    .command('preview')
    .description("print a channel's next digest as it stands now, as the console sink would print it (nothing is sent)")
    .argument('<channel>', 'the channel id (as in the config file)')
    .option('--config <file>', 'YAML or JSON config: its digest settings for the channel are used')
    .action(async (id: string, o: { config?: string }) => {
      try {
        const config = loadConfig(o.config);
        const store = await openStore(parseEnv().SCIPOP_DB);
        try {
          const stored = (await store.listChannels()).find((c) => c.id === id);
          const configured = config.channels.find((c) => c.id === id);
          if (!stored && !configured) {
            const known = [
              ...new Set([...config.channels.map((c) => c.id), ...(await store.listChannels()).map((c) => c.id)]),
            ];
            throw new UsageError(
              `no channel "${id}" in the config or the store (channels: ${known.join(', ') || 'none'})`,
            );
          }
          // The config file's settings win over the stored ones (the file may be newer than the last run).
          const channel: Channel = {
            ...(stored ?? { id, sink: configured!.sink, target: configured!.target, rules: configured!.rules }),
            title: configured?.title ?? stored?.title ?? id,
            digest: configured ? (configured.digest ?? null) : (stored?.digest ?? null),
          };
          const p = await previewDigest(store, channel, Date.now());
          const head = `${p.stories === 1 ? '1 story' : `${p.stories} stories`} so far, due ${dueText(p.dueAt, p.config.timezone)}`;
          const note = p.configured ? '' : ' (no digest is set for this channel: shown with the defaults)';
          for (const [i, part] of p.parts.entries())
            process.stdout.write(
              `${RULE}\n[digest preview ${i + 1}/${p.parts.length} → ${id}] ${head}${note}\n${renderPlainText(part)}\n`,
            );
        } finally {
          await store.close();
        }
      } catch (error) {
        process.stderr.write(`scipop digest preview: ${errorMessage(error)}\n`);
        process.exitCode = error instanceof ConfigError || error instanceof UsageError ? 2 : 1;
      }
    });
}
