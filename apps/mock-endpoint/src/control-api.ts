import type { IncomingMessage, ServerResponse } from 'node:http'

import { BehaviorError, parseBehavior } from './behavior-validation.js'
import { pathOf } from './path-match.js'
import type { MockEndpoint, RequestFilter } from './types.js'

export const CONTROL_PREFIX = '/_mock/'

const MAX_CONTROL_BODY_BYTES = 1024 * 1024
const DEFAULT_WAIT_MS = 5_000
const MAX_WAIT_MS = 10 * 60_000

type ControlTarget = Omit<MockEndpoint, 'url' | 'port' | 'close'>
type Route = (req: IncomingMessage, query: URLSearchParams) => Promise<Reply> | Reply

interface Reply {
  status: number
  body?: unknown
}

class BadRequest extends Error {}

/** The HTTP face of the endpoint's own methods; nothing under /_mock/ is recorded. */
export function createControlHandler(endpoint: ControlTarget) {
  const routes: Record<string, Record<string, Route>> = {
    requests: {
      GET: (_req, query) => ({
        status: 200,
        body: { requests: endpoint.requests(requestFilter(query)), count: endpoint.count() },
      }),
      DELETE: () => {
        endpoint.clear()
        return { status: 204 }
      },
    },
    behaviors: {
      PUT: async (req) => {
        endpoint.setBehavior(parseBehavior(await readJson(req)))
        return { status: 204 }
      },
      DELETE: () => {
        endpoint.resetBehaviors()
        return { status: 204 }
      },
    },
    downlinks: {
      GET: () => ({ status: 200, body: { results: endpoint.downlinkResults() } }),
    },
    stats: {
      GET: () => ({ status: 200, body: endpoint.stats() }),
    },
    wait: {
      GET: async (_req, query) => {
        const target = integerParam(query, 'count', undefined)
        const timeoutMs = Math.min(integerParam(query, 'timeoutMs', DEFAULT_WAIT_MS), MAX_WAIT_MS)
        const reached = await endpoint.waitForCount(target, timeoutMs)
        return { status: reached ? 200 : 408, body: { count: endpoint.count() } }
      },
    },
  }

  return async (req: IncomingMessage, res: ServerResponse, target: string): Promise<void> => {
    const name = pathOf(target).slice(CONTROL_PREFIX.length)
    const methods = routes[name]
    if (methods === undefined) return send(res, { status: 404, body: { error: 'no such route' } })

    const route = methods[req.method ?? '']
    if (route === undefined) {
      res.setHeader('allow', Object.keys(methods).join(', '))
      return send(res, { status: 405, body: { error: 'method not allowed' } })
    }

    try {
      send(res, await route(req, queryOf(target)))
    } catch (error) {
      if (!(error instanceof BadRequest || error instanceof BehaviorError)) throw error
      send(res, { status: 400, body: { error: error.message } })
    }
  }
}

function requestFilter(query: URLSearchParams): RequestFilter {
  const filter: RequestFilter = {}
  const path = query.get('path')
  if (path !== null) filter.path = path
  if (query.has('since')) filter.since = integerParam(query, 'since', 0)
  return filter
}

function integerParam(query: URLSearchParams, name: string, fallback: number | undefined): number {
  const raw = query.get(name)
  if (raw === null && fallback !== undefined) return fallback

  const value = raw === null || raw === '' ? Number.NaN : Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BadRequest(`${name} must be a non-negative integer`)
  }
  return value
}

function queryOf(target: string): URLSearchParams {
  const start = target.indexOf('?')
  return new URLSearchParams(start === -1 ? '' : target.slice(start + 1))
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_CONTROL_BODY_BYTES) throw new BadRequest('body too large')
    chunks.push(chunk)
  }

  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new BadRequest('body is not valid JSON')
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status)
    res.end()
    return
  }

  const body = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}
