import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../context.js'
import type { ApiMetrics } from './api-metrics.js'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The route pattern that serves the request (middleware is registered for method ALL), so
 * `/api/v3/as/webhooks/:applicationId` and not one series per application. Also known when a
 * middleware answered first, as for a 401.
 */
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  for (const entry of matchedRoutes(c)) if (entry.method !== 'ALL') return entry.path
  return 'unmatched'
}

/** Counts and times every request by method, route pattern and status. */
export function httpMetrics(metrics: ApiMetrics): MiddlewareHandler<AppEnv> {
  return async function httpMetricsMiddleware(c, next) {
    const started = performance.now()
    await next()

    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER'
    const seconds = (performance.now() - started) / 1000
    metrics.observeRequest(method, routeOf(c), c.res.status, seconds)
  }
}
