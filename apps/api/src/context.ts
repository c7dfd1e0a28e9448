import { randomUUID } from 'node:crypto'
import type { Logger } from '@lorahooks/core'
import type { MiddlewareHandler } from 'hono'

/** Who is calling: an admin key (applicationId null) or a key of one application. */
export interface Principal {
  keyId: string
  applicationId: string | null
  rights: readonly string[]
}

export interface AppEnv {
  Variables: {
    requestId: string
    logger: Logger
    principal: Principal
    applicationId: string
  }
}

function newRequestId(): string {
  return randomUUID().replaceAll('-', '')
}

/**
 * Gives each request an id (also the correlation id of its errors and the X-Request-Id header)
 * and a child logger, and writes one completion line per request.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const started = performance.now()
    const requestId = newRequestId()
    c.set('requestId', requestId)
    c.set('logger', logger.child({ requestId }))
    c.header('X-Request-Id', requestId)

    await next()

    c.res.headers.set('X-Request-Id', requestId)
    const status = c.res.status
    const line = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      applicationId: c.get('applicationId'),
    }
    if (status >= 500) logger.error(line, 'request')
    else logger.info(line, 'request')
  }
}
