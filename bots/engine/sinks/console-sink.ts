import { renderPlainText } from '../../../shared/message/plain-text';
import type { Sink } from './types';

/** Options of the console sink. */
export interface ConsoleSinkOptions {
  /**
   * Writes one block of text. The default writes to stdout, which Node writes synchronously for
   * files, pipes and terminals on Linux: when it returns, the text is in the kernel's hands.
   */
  write?: (text: string) => void;
}

const RULE = '─'.repeat(60);

/**
 * The sink used when no platform token is set: prints each post as it would be sent, with a
 * header naming the channel and the delivery, so tests and operators can count deliveries.
 */
export function createConsoleSink(options: ConsoleSinkOptions = {}): Sink {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  return {
    name: 'console',
    idempotent: false,
    async send(target, message, meta) {
      const note = meta.inDoubt ? ' (re-sent: the previous run stopped between sending and recording it)' : '';
      write(`${RULE}\n[post ${meta.deliveryId} → ${target.channelId}]${note}\n${renderPlainText(message)}\n`);
      return { remoteId: null };
    },
    async notify(target, text) {
      write(`${RULE}\n[notice → moderators of ${target.channelId}]\n${text}\n`);
    },
  };
}
