import { pino, type Logger } from 'pino'

export type { Logger }

export interface LoggerOptions {
  name: string
  level?: string
}

/** Log bytes kept while stdout cannot take them; beyond this lines are dropped. */
const MAX_BUFFERED_LOG_BYTES = 16 * 1024 * 1024

/**
 * A JSON-lines logger on stdout; every lorahooks process uses one of these. Writes are
 * asynchronous: with synchronous writes a full stdout pipe (a reader that stopped reading) froze
 * the whole process, SIGTERM handling included. pino flushes what is buffered when the process
 * exits.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    maxLength: MAX_BUFFERED_LOG_BYTES,
  })
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env['LORAHOOKS_LOG_LEVEL'] ?? 'info',
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
