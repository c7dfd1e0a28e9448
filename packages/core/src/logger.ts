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
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? process.env['LORAHOOKS_LOG_LEVEL'] ?? 'info',
      base: { service: options.name },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
  destinations.set(logger, destination)
  return logger
}

/** The stdout stream of each logger createLogger made, for exitAfterLogs. */
const destinations = new WeakMap<Logger, LogDestination>()

type LogDestination = ReturnType<typeof pino.destination>

/**
 * Whether the stream still holds lines or a write is on its way. sonic-boom keeps both private;
 * they are read defensively (a missing field reads as idle), and the lockfile pins the version.
 */
function writesPending(destination: LogDestination): boolean {
  const state = destination as unknown as { _writing?: unknown; _len?: unknown }
  return state._writing === true || (typeof state._len === 'number' && state._len > 0)
}

/**
 * Exits once the logger's lines are written, or after `timeoutMs`. Exiting at once leaves them
 * to the synchronous flush at exit, and sonic-boom 4 retries a write to a closed stdout (EPIPE:
 * `npm start | head`) every 100 ms forever there. Written asynchronously, the EPIPE reaches
 * pino, which stops logging, and the exit flush has nothing left to do.
 */
export function exitAfterLogs(logger: Logger, code: number, timeoutMs = 2_000): void {
  process.exitCode = code
  const exit = () => process.exit(code)
  const destination = destinations.get(logger)
  if (!destination || !writesPending(destination)) return exit()

  setTimeout(exit, timeoutMs).unref()
  const check = () => {
    if (!writesPending(destination)) exit()
  }
  destination.on('write', () => setImmediate(check))
  destination.once('error', exit)
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
