import { randomUUID } from 'node:crypto'
import type { Logger } from '@lorahooks/core'
import type { Context, MiddlewareHandler } from 'hono'
import { nodeOutgoing } from './node-request.js'

/** Who is calling: an admin key (applicationId null) or a key of one application. */
export interface Principal {
  keyId: string
  applicationId: string | null
  rights: readonly string[]
}

export interface AppEnv {
  Variables: {
    requestId: string
    /** The process logger; use requestLogger(c) to log about a request. */
    baseLogger: Logger
    /** The request's child logger once requestLogger made it. */
    logger: Logger | undefined
    principal: Principal
    applicationId: string
  }
}

export function newRequestId(): string {
  return randomUUID().replaceAll('-', '')
}

/**
 * The request's logger, carrying its requestId. Made on first use: most requests never log
 * anything but the completion line, and a pino child costs more than the rest of the context.
 */
export function requestLogger(c: Context<AppEnv>): Logger {
  let child = c.get('logger')
  if (child === undefined) {
    child = c.get('baseLogger').child({ requestId: c.get('requestId') })
    c.set('logger', child)
  }
  return child
}

/**
 * Gives each request an id (also the correlation id of its errors and the X-Request-Id header)
 * and a logger, and writes one completion line per request.
 */
export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const started = performance.now()
    const requestId = newRequestId()
    c.set('requestId', requestId)
    c.set('baseLogger', logger)
    // On the Node response the header reaches every answer without a web Headers object, which
    // would cost more than the rest of this middleware.
    const outgoing = nodeOutgoing(c)
    if (outgoing === undefined) c.header('X-Request-Id', requestId)
    else outgoing.setHeader('X-Request-Id', requestId)

    await next()

    if (outgoing === undefined) c.res.headers.set('X-Request-Id', requestId)
    const status = c.res.status
    const level = status >= 500 ? 'error' : 'info'
    // Building the line is most of its cost, so skip it when the level is off (as in benches).
    if (!logger.isLevelEnabled(level)) return
    const line = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      applicationId: c.get('applicationId'),
    }
    logger[level](line, 'request')
  }
}
