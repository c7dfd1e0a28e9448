import { Agent, request } from 'undici'
import type { DeliveryRequest } from './delivery-request.js'

export interface AttemptResult {
  ok: boolean
  status?: number
  /** Why the attempt failed: a transport error or the non-2xx answer. */
  error?: string
  /** The first bytes of a failure's response body, as text. */
  responseExcerpt?: string
  location?: string
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
  /** Bytes of an error response body kept for the attempt log. */
  excerptBytes?: number
}

const SUCCESS_DRAIN_LIMIT = 64 * 1024

/**
 * Sends delivery attempts over pooled keep-alive connections. Each webhook has a connection pool
 * of its own, so webhooks on the same host cannot starve each other. Redirects are never
 * followed (a 3xx is a failed attempt), and response bodies are read only up to a cap.
 */
export class HttpSender {
  private readonly agents = new Map<string, { agent: Agent; lastUsed: number }>()
  private readonly excerptBytes: number
  private readonly idleSweep: NodeJS.Timeout

  constructor(private readonly options: SenderOptions) {
    this.excerptBytes = options.excerptBytes ?? 1024
    this.idleSweep = setInterval(() => this.closeIdleAgents(), 60_000)
    this.idleSweep.unref()
  }

  private agentFor(poolKey: string): Agent {
    let entry = this.agents.get(poolKey)
    if (!entry) {
      const agent = new Agent({
        connections: this.options.connectionsPerWebhook ?? 1,
        pipelining: Math.ceil(
          this.options.inFlightPerWebhook / (this.options.connectionsPerWebhook ?? 1),
        ),
        keepAliveTimeout: 30_000,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        connect: { timeout: this.options.timeoutMs },
      })
      entry = { agent, lastUsed: 0 }
      this.agents.set(poolKey, entry)
    }
    entry.lastUsed = Date.now()
    return entry.agent
  }

  private closeIdleAgents(): void {
    const cutoff = Date.now() - 5 * 60_000
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
        await response.body.dump({ limit: SUCCESS_DRAIN_LIMIT }).catch(() => undefined)
        return { ok: true, status, durationMs: elapsed() }
      }
      const excerpt = await readExcerpt(response.body, this.excerptBytes)
      const location = response.headers['location']
      return {
        ok: false,
        status,
        error: `endpoint answered ${status}`,
        responseExcerpt: excerpt,
        ...(typeof location === 'string' ? { location } : {}),
        durationMs: elapsed(),
      }
    } catch (error) {
      return { ok: false, error: describeTransportError(error), durationMs: elapsed() }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.idleSweep)
    const agents = [...this.agents.values()].map((entry) => entry.agent.destroy())
    this.agents.clear()
    await Promise.all(agents)
  }
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

function describeTransportError(error: unknown): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: unknown }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout: no answer in time'
  const cause = err.cause as { code?: string; message?: string } | undefined
  const code = err.code ?? cause?.code
  const message = cause?.message ?? err.message ?? String(error)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return 'timeout: no answer in time'
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return `connection closed: ${message}`
  if (code === 'ECONNREFUSED') return `connection refused: ${message}`
  return code ? `${code}: ${message}` : message
}
