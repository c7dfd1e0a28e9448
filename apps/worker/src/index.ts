import { createLogger, exitAfterLogs } from '@lorahooks/core'
import { openStore } from '@lorahooks/db'
import { AddressGuard } from './address-guard.js'
import { DeliveryWorker } from './delivery-worker.js'
import { loadWorkerConfig } from './env.js'
import { HttpSender } from './http-sender.js'
import { DeliveryMetrics } from './metrics.js'
import { MetricsServer } from './metrics-server.js'
import { Housekeeping } from './housekeeping.js'

// Often enough that at full speed the database grows by seconds of deliveries between purges;
// a pass with nothing to do costs a count of the finished deliveries.
const HOUSEKEEPING_INTERVAL_MS = 10_000
const HOUSEKEEPING_BATCH = 500

const loaded = loadWorkerConfig(process.env)
if (!loaded.ok) {
  process.stderr.write(`lorahooks worker: invalid configuration: ${loaded.message}\n`)
  process.exit(1)
}
const config = loaded.config
const logger = createLogger({ name: 'lorahooks-worker', level: config.logLevel })

// Relaxed: a power cut may lose the worker's last claims and results, and at-least-once
// delivery allows that (those deliveries are sent again); an fsync per commit would not.
const store = (() => {
  try {
    return openStore(config.database, { durability: 'relaxed', checkpoints: 'background', logger })
  } catch (error) {
    // One line and exit 1, like a configuration error: a stack trace helps no operator here.
    const reason = error instanceof Error ? error.message : String(error)
    const where = `${config.database}: ${reason} (set LORAHOOKS_DATABASE)`
    process.stderr.write(`lorahooks worker: cannot open the database ${where}\n`)
    process.exit(1)
  }
})()
const metrics = new DeliveryMetrics()
const sender = new HttpSender({
  timeoutMs: config.requestTimeoutMs,
  inFlightPerWebhook: config.webhookConcurrency,
  connectionsPerWebhook: config.webhookConnections,
  guard: new AddressGuard({ allow: config.deliveryAllow, deny: config.deliveryDeny }),
})
const worker = new DeliveryWorker(
  {
    store,
    sender,
    logger,
    metrics,
    context: { publicUrl: config.publicUrl, domain: new URL(config.publicUrl).host },
  },
  {
    concurrency: config.concurrency,
    webhookConcurrency: config.webhookConcurrency,
    leaseMs: config.leaseMs,
    retry: { scheduleMs: config.retryScheduleMs, maxAgeMs: config.retryMaxAgeMs },
    health: {
      threshold: config.unhealthyThreshold,
      retryIntervalMs: config.unhealthyRetryIntervalMs,
    },
  },
)
const housekeeping = new Housekeeping(
  store,
  {
    maxAgeMs: config.retryMaxAgeMs,
    retention: {
      maxAgeMs: config.retentionAgeMs,
      maxFinished: config.retentionMaxDeliveries,
      batchSize: HOUSEKEEPING_BATCH,
    },
  },
  HOUSEKEEPING_INTERVAL_MS,
  logger,
)
const metricsServer = config.metricsPort > 0 ? new MetricsServer(metrics, store, logger) : undefined

worker.start()
housekeeping.start()
let metricsUrl: string | undefined
if (metricsServer) {
  try {
    metricsUrl = await metricsServer.listen(config.metricsHost, config.metricsPort)
  } catch (error) {
    // Delivery matters more than its metrics: a taken port is reported, not fatal.
    logger.error({ err: error, port: config.metricsPort }, 'metrics endpoint could not listen')
  }
}
if (config.leaseMs <= config.requestTimeoutMs) {
  logger.warn(
    { leaseMs: config.leaseMs, requestTimeoutMs: config.requestTimeoutMs },
    'the lease is not longer than the request timeout: another worker may repeat an attempt',
  )
}
logger.info(
  { database: config.database, publicUrl: config.publicUrl, metrics: metricsUrl ?? 'off' },
  'worker started',
)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'worker stopping: finishing attempts in flight')
  await housekeeping.stop()
  await worker.stop()
  await metricsServer?.close()
  await sender.close()
  store.close()
  logger.info('worker stopped')
  exitAfterLogs(logger, 0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
