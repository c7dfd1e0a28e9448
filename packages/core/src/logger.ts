import { pino, type Logger } from 'pino'

export type { Logger }

export interface LoggerOptions {
  name: string
  level?: string
}

/** A JSON-lines logger on stdout; every lorahooks process uses one of these. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level ?? process.env['LORAHOOKS_LOG_LEVEL'] ?? 'info',
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  })
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
