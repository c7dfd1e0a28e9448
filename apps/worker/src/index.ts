import { createLogger } from '@lorahooks/core'
import { openStore } from '@lorahooks/db'
import { DeliveryWorker } from './delivery-worker.js'
import { loadWorkerConfig } from './env.js'
import { HttpSender } from './http-sender.js'

const loaded = loadWorkerConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`lorahooks worker: invalid configuration: ${loaded.message}\n`)
  process.exit(1)
}
const config = loaded.config
const logger = createLogger({ name: 'lorahooks-worker', level: config.logLevel })

const store = openStore(config.database)
const sender = new HttpSender({
  timeoutMs: config.requestTimeoutMs,
  inFlightPerWebhook: config.webhookConcurrency,
  connectionsPerWebhook: config.webhookConnections,
})
const worker = new DeliveryWorker(
  {
    store,
    sender,
    logger,
    context: { publicUrl: config.publicUrl, domain: new URL(config.publicUrl).host },
  },
  {
    concurrency: config.concurrency,
    webhookConcurrency: config.webhookConcurrency,
    retryMaxAgeMs: config.retryMaxAgeMs,
  },
)
worker.start()
logger.info({ database: config.database, publicUrl: config.publicUrl }, 'worker started')

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'worker stopping: finishing attempts in flight')
  await worker.stop()
  await sender.close()
  store.close()
  logger.info('worker stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
