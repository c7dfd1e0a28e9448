import { Hono } from 'hono'
import type { AppEnv } from '../context.js'
import type { RouteDeps } from '../deps.js'

/** The AS configuration the TTS Console reads to decide whether to show webhook health. */
export function configurationRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const { unhealthyAttemptsThreshold, unhealthyRetryInterval } = deps.config.webhooks

  routes.get('/api/v3/as/configuration', (c) =>
    c.json({
      configuration: {
        webhooks: {
          unhealthy_attempts_threshold: unhealthyAttemptsThreshold,
          unhealthy_retry_interval: unhealthyRetryInterval,
        },
      },
    }),
  )
  return routes
}
