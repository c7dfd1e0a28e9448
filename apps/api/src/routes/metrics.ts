import { createHash, timingSafeEqual } from 'node:crypto'
import { unauthenticated } from '@lorahooks/core'
import { Hono } from 'hono'
import type { AppEnv } from '../context.js'
import type { RouteDeps } from '../deps.js'
import { EXPOSITION_CONTENT_TYPE } from '../metrics/registry.js'

const BEARER = /^Bearer\s+(\S+)\s*$/i

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

// Digests have one length, so the comparison takes the same time whatever was sent.
function tokenMatches(header: string | undefined, token: string): boolean {
  const sent = header === undefined ? undefined : BEARER.exec(header)?.[1]
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token))
}

/** Prometheus scrape endpoint; open unless LORAHOOKS_METRICS_TOKEN is set. */
export function metricsRoutes(deps: RouteDeps) {
  const routes = new Hono<AppEnv>()
  const token = deps.config.metricsToken

  routes.get('/metrics', async (c) => {
    if (token !== undefined && !tokenMatches(c.req.header('authorization'), token)) {
      const message = 'send `Authorization: Bearer <token>`'
      throw unauthenticated('pkg/metrics', 'unauthenticated', message)
    }

    const text = deps.metrics.render(await deps.store.queueStats(), deps.clock())
    return c.body(text, 200, { 'Content-Type': EXPOSITION_CONTENT_TYPE })
  })

  return routes
}
