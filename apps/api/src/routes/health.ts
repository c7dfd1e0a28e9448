import { Hono } from 'hono'
import { requestLogger, type AppEnv } from '../context.js'
import type { RouteDeps } from '../deps.js'

/** Liveness (the process answers) and readiness (the store answers a cheap query). */
export function healthRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()

  routes.get('/healthz/live', (c) => c.json({ status: 'ok' }))

  routes.get('/healthz/ready', async (c) => {
    try {
      await deps.store.getApplication('healthz-probe')
      return c.json({ status: 'ok' })
    } catch (error) {
      requestLogger(c).warn({ err: error }, 'store not ready')
      return c.json({ status: 'unavailable' }, 503)
    }
  })

  return routes
}
