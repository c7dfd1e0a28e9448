import { serve } from '@hono/node-server'
import { createLogger } from '@lorahooks/core'
import { openStore } from '@lorahooks/db'
import { ensureAdminKey } from './admin-key.js'
import { createApp } from './app.js'
import { loadConfig } from './env.js'
import { IngestBatcher } from './ingest-batcher.js'

const SHUTDOWN_TIMEOUT_MS = 10_000

const loaded = loadConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`lorahooks: invalid configuration: ${loaded.message}\n`)
  process.exit(1)
}
const { config } = loaded

const logger = createLogger({ name: 'lorahooks-api', level: config.logLevel })
const store = openStore(config.database)
await ensureAdminKey(store, config.adminApiKey, (text) => process.stderr.write(text))

const batcher = new IngestBatcher(store)
const app = createApp({ store, config, logger, batcher })

const listen = { fetch: app.fetch, port: config.httpPort, hostname: config.httpHost }
const server = serve(listen, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
  logger.info({ url: `http://${host}:${info.port}`, publicUrl: config.publicUrl }, 'listening')
})

let stopping = false

async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down')
  setTimeout(() => {
    logger.error('shutdown timed out')
    process.exit(1)
  }, SHUTDOWN_TIMEOUT_MS).unref()

  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  })
  await batcher.flush()
  store.close()
  logger.info('stopped')
  process.exit(0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
