import { VerifiedKeyCache } from '@lorahooks/auth'
import type { Logger } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import { Hono } from 'hono'
import { authenticate } from './auth.js'
import { requestContext, type AppEnv } from './context.js'
import type { RouteDeps } from './deps.js'
import type { ApiConfig } from './env.js'
import { onError, onNotFound } from './errors.js'
import { IngestBatcher } from './ingest-batcher.js'
import { ApiMetrics } from './metrics/api-metrics.js'
import { httpMetrics } from './metrics/http-metrics.js'
import { RegistryCache } from './registry-cache.js'
import { apiKeyRoutes } from './routes/api-keys.js'
import { applicationRoutes } from './routes/applications.js'
import { configurationRoutes } from './routes/configuration.js'
import { deliveryRoutes } from './routes/deliveries.js'
import { deviceRoutes } from './routes/devices.js'
import { downlinkRoutes } from './routes/downlinks.js'
import { formatRoutes } from './routes/formats.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { signingSecretRoutes } from './routes/signing-secret.js'
import { uplinkRoutes } from './routes/uplinks.js'
import { webhookRoutes } from './routes/webhooks.js'

export interface ApiDeps {
  store: Store
  config: ApiConfig
  logger: Logger
  clock?: () => number
  /** Pass one to flush it on shutdown; otherwise the app makes its own. */
  batcher?: IngestBatcher
  keyCache?: VerifiedKeyCache
  cache?: RegistryCache
  metrics?: ApiMetrics
}

/** The lorahooks HTTP API as a Hono app; serving it is index.ts's job. */
export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const clock = deps.clock ?? Date.now
  const routeDeps: RouteDeps = {
    store: deps.store,
    config: deps.config,
    logger: deps.logger,
    clock,
    batcher: deps.batcher ?? new IngestBatcher(deps.store, { clock }),
    keyCache: deps.keyCache ?? new VerifiedKeyCache(),
    cache: deps.cache ?? new RegistryCache(),
    metrics: deps.metrics ?? new ApiMetrics(),
  }
  const app = new Hono<AppEnv>()
  app.use('*', requestContext(deps.logger))
  app.use('*', httpMetrics(routeDeps.metrics))

  // Public routes come before the auth middleware: a route that answers ends the chain.
  app.route('/', healthRoutes(routeDeps))
  app.route('/', formatRoutes())
  app.route('/', metricsRoutes(routeDeps))

  const auth = authenticate(routeDeps)
  app.use('/api/v3/*', auth)
  app.use('/v3/api/*', auth)

  app.route('/', applicationRoutes(routeDeps))
  app.route('/', deviceRoutes(routeDeps))
  app.route('/', apiKeyRoutes(routeDeps))
  app.route('/', webhookRoutes(routeDeps))
  app.route('/', signingSecretRoutes(routeDeps))
  app.route('/', deliveryRoutes(routeDeps))
  app.route('/', uplinkRoutes(routeDeps))
  app.route('/', downlinkRoutes(routeDeps))
  app.route('/', configurationRoutes(routeDeps))

  app.onError(onError)
  app.notFound(onNotFound)
  return app
}
