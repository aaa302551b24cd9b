/** The clock seam: tests pass a fixed or stepped clock and never sleep. */
export interface Clock {
  now(): Date;
}

/** The logging seam; pino loggers fit it. */
export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
