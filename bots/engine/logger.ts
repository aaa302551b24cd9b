import pino from 'pino';

/**
 * The bots' structured logger: JSON lines on stderr (stdout belongs to the console sink's posts),
 * written synchronously so the last lines before a crash are not lost. Token-like fields are
 * redacted as a second line of defence; tokens are never passed to the logger in the first place.
 */
export function createLogger(level = 'info'): pino.Logger {
  return pino(
    {
      level,
      base: { app: 'scipop' },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
