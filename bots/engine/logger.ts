import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * The bots' structured logger, on stderr (stdout belongs to the console sink's posts), written
 * synchronously so the last lines before a crash are not lost: readable lines when stderr is a
 * terminal (someone ran `npm start`), JSON lines otherwise (a supervisor, a log collector, a
 * test). Token-like fields are redacted as a second line of defence; tokens are never passed to
 * the logger in the first place.
 */
export function createLogger(level = 'info', readable = process.stderr.isTTY === true): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'scipop' },
    redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
  };
  if (readable)
    return pino(
      options,
      pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' }),
    );
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
