import pino from 'pino';

/** One JSON line per event; `proc` says which process wrote it. */
export function createLogger(proc: string, level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, base: { proc }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type Logger = pino.Logger;
