import { Agent, request } from 'undici'
import type { AddressGuard } from './address-guard.js'
import type { DeliveryRequest } from './delivery-request.js'
import { ADDRESS_DENIED, guardedConnector } from './guarded-connector.js'
import { parseRetryAfter } from './retry-policy.js'

/** What went wrong on the way, for the error details: a small closed set. */
export type TransportFailure =
  | 'timeout'
  | 'connection_closed'
  | 'connection_refused'
  | 'address_denied'
  | 'dns'
  | 'tls'
  | 'transport'

export interface AttemptResult {
  ok: boolean
  status?: number
  /** Why the attempt failed: a transport error or the non-2xx answer. */
  error?: string
  /** Set when no HTTP answer arrived. */
  failure?: TransportFailure
  /** The first bytes of a failure's response body, as text. */
  responseExcerpt?: string
  /** A receiver's Retry-After on 429 or 503, in ms from the answer. */
  retryAfterMs?: number
  durationMs: number
}

export interface SenderOptions {
  timeoutMs: number
  /**
   * Requests one webhook may have in flight. With one connection they are pipelined on it, so
   * the endpoint receives them in the order they were sent.
   */
  inFlightPerWebhook: number
  /** Connections per webhook: 1 keeps arrival order; more trade order for throughput. */
  connectionsPerWebhook?: number
  /** Bytes of an error response body kept for the attempt log (default 4 KiB). */
  excerptBytes?: number
  /** Bytes of a success response read before the connection is dropped (default 64 KiB). */
  successDrainBytes?: number
  /** Checks every address connected to; none means any address. */
  guard?: AddressGuard
}

export const EXCERPT_BYTES = 4 * 1024
export const SUCCESS_DRAIN_BYTES = 64 * 1024
const IDLE_AGENT_MS = 5 * 60_000

/**
 * Sends delivery attempts over pooled keep-alive connections. Each webhook has a connection pool
 * of its own, so webhooks on the same host cannot starve each other. Redirects are never
 * followed (a 3xx is a failed attempt), and response bodies are read only up to a cap.
 */
export class HttpSender {
  private readonly agents = new Map<string, { agent: Agent; lastUsed: number }>()
  private readonly idleSweep: NodeJS.Timeout

  constructor(private readonly options: SenderOptions) {
    this.idleSweep = setInterval(() => this.closeIdleAgents(), 60_000)
    this.idleSweep.unref()
  }

  private agentFor(poolKey: string): Agent {
    let entry = this.agents.get(poolKey)
    if (!entry) {
      const { timeoutMs, guard } = this.options
      const connections = this.options.connectionsPerWebhook ?? 1
      const agent = new Agent({
        connections,
        pipelining: Math.ceil(this.options.inFlightPerWebhook / connections),
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: guard ? guardedConnector(guard, timeoutMs) : { timeout: timeoutMs },
      })
      entry = { agent, lastUsed: 0 }
      this.agents.set(poolKey, entry)
    }
    entry.lastUsed = Date.now()
    return entry.agent
  }

  private closeIdleAgents(): void {
    const cutoff = Date.now() - IDLE_AGENT_MS
    for (const [key, entry] of this.agents) {
      if (entry.lastUsed >= cutoff) continue
      this.agents.delete(key)
      void entry.agent.close()
    }
  }

  /** Sends one attempt; `poolKey` names the connection pool (one per webhook). */
  async send(delivery: DeliveryRequest, poolKey = 'default'): Promise<AttemptResult> {
    const started = performance.now()
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        dispatcher: this.agentFor(poolKey),
        // Marked idempotent so undici pipelines it: receivers must drop duplicates by message
        // ID anyway, since delivery is at-least-once.
        idempotent: true,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
      const status = response.statusCode
      if (status >= 200 && status < 300) {
        // A receiver streaming a huge body gets its connection dropped past the limit.
        const limit = this.options.successDrainBytes ?? SUCCESS_DRAIN_BYTES
        await response.body.dump({ limit }).catch(() => undefined)
        return { ok: true, status, durationMs: elapsed() }
      }

      const excerpt = await readExcerpt(response.body, this.options.excerptBytes ?? EXCERPT_BYTES)
      const throttled = status === 429 || status === 503
      const retryAfter = throttled ? response.headers['retry-after'] : undefined
      const retryAfterMs =
        typeof retryAfter === 'string' ? parseRetryAfter(retryAfter, Date.now()) : undefined
      return {
        ok: false,
        status,
        error: describeStatus(status, response.headers['location']),
        responseExcerpt: excerpt,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        durationMs: elapsed(),
      }
    } catch (error) {
      const { failure, message } = describeTransportError(error, this.options.timeoutMs)
      return { ok: false, failure, error: message, durationMs: elapsed() }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.idleSweep)
    const agents = [...this.agents.values()].map((entry) => entry.agent.destroy())
    this.agents.clear()
    await Promise.all(agents)
  }
}

function describeStatus(status: number, location: string | string[] | undefined): string {
  if (status >= 300 && status < 400 && typeof location === 'string') {
    return `endpoint answered ${status}; redirect to ${location} not followed`
  }
  return `endpoint answered ${status}`
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number) {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      chunks.push(chunk)
      size += chunk.length
      if (size >= limit) break
    }
  } catch {
    // A body that fails mid-way still leaves the status as the attempt's answer.
  } finally {
    body.destroy()
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/

function describeTransportError(
  error: unknown,
  timeoutMs: number,
): { failure: TransportFailure; message: string } {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown }
  const cause = err.cause as { code?: string; message?: string } | undefined
  const code = err.code ?? cause?.code ?? ''
  const message = cause?.message ?? err.message ?? String(error)
  const timedOut =
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  if (timedOut) return { failure: 'timeout', message: `timeout: no answer within ${timeoutMs} ms` }
  if (code === ADDRESS_DENIED) return { failure: 'address_denied', message }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return { failure: 'connection_closed', message: `connection closed: ${message}` }
  }
  if (code === 'ECONNREFUSED') {
    return { failure: 'connection_refused', message: `connection refused: ${message}` }
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { failure: 'dns', message: `${code}: ${message}` }
  }
  if (TLS_CODES.test(code)) return { failure: 'tls', message: `TLS: ${code}: ${message}` }
  return { failure: 'transport', message: code ? `${code}: ${message}` : message }
}
