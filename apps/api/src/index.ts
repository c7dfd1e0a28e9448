import { serve } from '@hono/node-server'
import { createLogger, exitAfterLogs } from '@lorahooks/core'
import { openStore, type Store } from '@lorahooks/db'
import { ensureAdminKey } from './admin-key.js'
import { createApp } from './app.js'
import { answerClientError } from './client-error.js'
import { loadConfig } from './env.js'
import { IngestBatcher } from './ingest-batcher.js'

const SHUTDOWN_TIMEOUT_MS = 10_000

/** A start-up failure: one line an operator can act on, exit 1, never a stack trace. */
function fail(message: string): never {
  process.stderr.write(`lorahooks: ${message}\n`)
  process.exit(1)
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** What to do about the listen errors an operator can cause, by errno code. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'address already in use (set LORAHOOKS_HTTP_PORT)',
  EACCES: 'permission denied (set LORAHOOKS_HTTP_PORT to a port from 1024)',
  EADDRNOTAVAIL: 'the address is not one of this host (set LORAHOOKS_HTTP_HOST)',
  ENOTFOUND: 'the host name is not known (set LORAHOOKS_HTTP_HOST)',
  EAI_AGAIN: 'the host name could not be resolved (set LORAHOOKS_HTTP_HOST)',
}

const loaded = loadConfig(process.env)
if (!loaded.ok) fail(`invalid configuration: ${loaded.message}`)
const { config } = loaded

const logger = createLogger({ name: 'lorahooks-api', level: config.logLevel })
let store: Store
try {
  // Checkpoints on a thread of their own: inline, one request's commit every second or so
  // would copy megabytes and sync the file while every other request waits.
  store = openStore(config.database, { checkpoints: 'background', logger })
} catch (error) {
  fail(`cannot open the database ${config.database}: ${reason(error)} (set LORAHOOKS_DATABASE)`)
}
try {
  await ensureAdminKey(store, config.adminApiKey, (text) => process.stderr.write(text))
} catch (error) {
  fail(`cannot set up the admin key in ${config.database}: ${reason(error)}`)
}

const batcher = new IngestBatcher(store)
const app = createApp({ store, config, logger, batcher })

const listen = { fetch: app.fetch, port: config.httpPort, hostname: config.httpHost }
const bindHost = config.httpHost.includes(':') ? `[${config.httpHost}]` : config.httpHost
let listening = false

function listenFailed(error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const problem = LISTEN_PROBLEMS[code] ?? reason(error)
  fail(`cannot listen on ${bindHost}:${config.httpPort}: ${problem}`)
}

let server: ReturnType<typeof serve>
try {
  server = serve(listen, (info) => {
    listening = true
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
    logger.info({ url: `http://${host}:${info.port}`, publicUrl: config.publicUrl }, 'listening')
  })
} catch (error) {
  // Node refuses some bad hosts or ports synchronously, before any error event.
  listenFailed(error)
}
server.on('clientError', answerClientError)
server.on('error', (error) => {
  if (!listening) listenFailed(error)
  logger.error({ err: error }, 'server error')
})

let stopping = false

async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down')
  setTimeout(() => {
    logger.error('shutdown timed out')
    exitAfterLogs(logger, 1)
  }, SHUTDOWN_TIMEOUT_MS).unref()

  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  })
  await batcher.flush()
  store.close()
  logger.info('stopped')
  exitAfterLogs(logger, 0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
