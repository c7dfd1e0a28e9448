import type { IncomingHttpHeaders } from 'node:http'
import type { Socket } from 'node:net'
import { Agent, buildConnector, type Dispatcher } from 'undici'
import type { AddressGuard } from './address-guard.js'
import { Deadlines, type Expirable } from './deadlines.js'
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
/** Parsed origins and paths of target URLs kept; past this the cache starts over. */
const MAX_CACHED_TARGETS = 10_000

interface Pool {
  agent: Agent
  lastUsed: number
  /** Its open connections, to cork while a batch of requests is written. */
  sockets: Set<Socket>
  corked: boolean
  /** Attempts sent and not settled yet, in the order they were sent. */
  attempts: Set<Attempt>
}

interface Target {
  origin: string
  path: string
}

/**
 * Sends delivery attempts over pooled keep-alive connections. Each webhook has a connection pool
 * of its own, so webhooks on the same host cannot starve each other. Requests are pipelined on
 * a connection, in the order they were sent. Redirects are never followed (a 3xx is a failed
 * attempt), and response bodies are read only up to a cap.
 */
export class HttpSender {
  private readonly pools = new Map<string, Pool>()
  private readonly targets = new Map<string, Target>()
  private readonly deadlines: Deadlines
  private readonly idleSweep: NodeJS.Timeout
  private corkedPools: Pool[] = []
  private uncorkScheduled = false
  private readonly uncorkAll = () => this.uncork()
  private readonly trimDeadlines = () => this.deadlines.trim()

  constructor(private readonly options: SenderOptions) {
    this.deadlines = new Deadlines(options.timeoutMs)
    this.idleSweep = setInterval(() => this.closeIdleAgents(), 60_000)
    this.idleSweep.unref()
  }

  private poolFor(poolKey: string): Pool {
    let pool = this.pools.get(poolKey)
    if (!pool) {
      const { timeoutMs, guard } = this.options
      const connections = this.options.connectionsPerWebhook ?? 1
      const sockets = new Set<Socket>()
      const connect = guard
        ? guardedConnector(guard, timeoutMs)
        : buildConnector({ timeout: timeoutMs })
      const agent = new Agent({
        connections,
        pipelining: Math.ceil(this.options.inFlightPerWebhook / connections),
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: tracked(connect, sockets),
      })
      pool = { agent, lastUsed: 0, sockets, corked: false, attempts: new Set() }
      this.pools.set(poolKey, pool)
    }
    pool.lastUsed = Date.now()
    return pool
  }

  private closeIdleAgents(): void {
    const cutoff = Date.now() - IDLE_AGENT_MS
    for (const [key, pool] of this.pools) {
      if (pool.lastUsed >= cutoff) continue
      this.pools.delete(key)
      void pool.agent.close()
    }
  }

  private targetOf(url: string): Target {
    let target = this.targets.get(url)
    if (!target) {
      const parsed = new URL(url)
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear()
      this.targets.set(url, target)
    }
    return target
  }

  /**
   * Holds the pool's writes until the sends of this turn of the event loop are dispatched, so
   * requests started together leave in one write: a syscall per request is what a busy worker
   * spends most on. The writes are let go in the check phase, after undici's own setImmediate
   * that holds requests to a connection which went idle (it looks for a pending close first),
   * so those are batched too.
   */
  private cork(pool: Pool): void {
    if (pool.corked || pool.sockets.size === 0) return
    pool.corked = true
    for (const socket of pool.sockets) socket.cork()
    this.corkedPools.push(pool)
  }

  /** After a dispatch, so undici's setImmediate for an idle connection runs first. */
  private scheduleUncork(): void {
    if (this.uncorkScheduled || this.corkedPools.length === 0) return
    this.uncorkScheduled = true
    setImmediate(this.uncorkAll)
  }

  private uncork(): void {
    const pools = this.corkedPools
    this.corkedPools = []
    this.uncorkScheduled = false
    for (const pool of pools) {
      pool.corked = false
      for (const socket of pool.sockets) socket.uncork()
    }
  }

  /** Sends one attempt; `poolKey` names the connection pool (one per webhook). */
  send(delivery: DeliveryRequest, poolKey = 'default'): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve) => {
      const pool = this.poolFor(poolKey)
      const attempt = new Attempt(resolve, this.options, {
        settled: () => {
          pool.attempts.delete(attempt)
          this.trimDeadlines()
        },
        stalled: () => this.failPipelineBehind(pool),
      })
      pool.attempts.add(attempt)
      try {
        const target = this.targetOf(delivery.url)
        this.deadlines.add(attempt)
        this.cork(pool)
        pool.agent.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method: 'POST',
            headers: delivery.headers,
            body: delivery.body,
            // Idempotent and not blocking (for a POST undici otherwise waits for each answer
            // before writing the next), so undici pipelines it: receivers must drop duplicates
            // by message ID anyway, since delivery is at-least-once.
            idempotent: true,
            blocking: false,
          },
          attempt,
        )
      } catch (error) {
        attempt.onResponseError(undefined, error as Error)
      }
      this.scheduleUncork()
    })
  }

  /**
   * A request got no answer in time on a pool of one connection: every request pipelined behind
   * it waits for that answer too (HTTP/1.1 answers in order), so they fail with it. Left alone,
   * undici would send each of them again on a new connection when the first is aborted, where
   * the next to time out would drop that connection in turn: a black hole endpoint saw a dozen
   * connections per attempt.
   */
  private failPipelineBehind(pool: Pool): void {
    if ((this.options.connectionsPerWebhook ?? 1) !== 1) return
    for (const attempt of [...pool.attempts]) attempt.failBehindStall()
  }

  async close(): Promise<void> {
    clearInterval(this.idleSweep)
    this.deadlines.clear()
    const agents = [...this.pools.values()].map((pool) => pool.agent.destroy())
    this.pools.clear()
    await Promise.all(agents)
  }
}

/** Records the pool's connections while they are open. */
function tracked(
  connect: buildConnector.connector,
  sockets: Set<Socket>,
): buildConnector.connector {
  return (options, callback) => {
    connect(options, (...args) => {
      const socket = args[1]
      if (socket) {
        sockets.add(socket)
        socket.once('close', () => sockets.delete(socket))
      }
      callback(...args)
    })
  }
}

type Limits = Pick<SenderOptions, 'timeoutMs' | 'excerptBytes' | 'successDrainBytes'>

class BodyCapReached extends Error {
  constructor() {
    super('response body read up to its cap')
    this.name = 'BodyCapReached'
  }
}

class AttemptTimeout extends Error {
  constructor() {
    super('attempt timed out')
    this.name = 'TimeoutError'
  }
}

interface AttemptHooks {
  /** Called once, when the attempt settles. */
  settled: () => void
  /** Called when the attempt times out without an answer. */
  stalled: () => void
}

/**
 * One attempt as an undici dispatch handler: no response stream, no AbortSignal, no timer of
 * its own (the sender's deadline queue expires it). It settles exactly once: at the end of the
 * response, when the body cap is reached, at the deadline, or on a transport error.
 */
class Attempt implements Dispatcher.DispatchHandler, Expirable {
  settled = false
  private readonly started = performance.now()
  private controller: Dispatcher.DispatchController | undefined
  private status: number | undefined
  private headers: IncomingHttpHeaders | undefined
  /** Kept for a failure's excerpt only; a success's body is counted and dropped. */
  private chunks: Buffer[] | undefined
  private received = 0

  constructor(
    private resolve: ((result: AttemptResult) => void) | undefined,
    private readonly limits: Limits,
    private readonly hooks: AttemptHooks,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    // Expired while waiting for a connection: it must not be sent any more.
    if (this.settled) controller.abort(new AttemptTimeout())
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200 || this.settled) return
    this.status = statusCode
    this.headers = headers
    if (statusCode < 300) {
      // A receiver announcing a huge body gets its connection dropped at once.
      const length = Number(headers['content-length'])
      if (length > this.successLimit()) this.cut()
    } else {
      this.chunks = []
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return
    this.received += chunk.length
    if (this.chunks) {
      this.chunks.push(chunk)
      if (this.received >= (this.limits.excerptBytes ?? EXCERPT_BYTES)) this.cut()
    } else if (this.received > this.successLimit()) {
      this.cut()
    }
  }

  onResponseEnd(): void {
    this.settle(this.answer())
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return
    // A body that fails mid-way still leaves the status as the attempt's answer.
    if (this.status !== undefined) return this.settle(this.answer())
    const { failure, message } = describeTransportError(error, this.limits.timeoutMs)
    this.settle({ ok: false, failure, error: message, durationMs: this.elapsed() })
  }

  /** The whole-attempt timeout: an answer whose body is still coming counts as it stands. */
  expire(): void {
    if (this.settled) return
    const { controller } = this
    const stalled = this.status === undefined
    if (stalled) {
      const message = `timeout: no answer within ${this.limits.timeoutMs} ms`
      this.settle({ ok: false, failure: 'timeout', error: message, durationMs: this.elapsed() })
    } else {
      this.settle(this.answer())
    }
    controller?.abort(new AttemptTimeout())
    // After the abort: the attempts behind it are then waiting, not running, and leave quietly.
    if (stalled) this.hooks.stalled()
  }

  /** Sent behind a request that got no answer: it fails as a timeout without waiting more. */
  failBehindStall(): void {
    // One whose answer has begun is ahead of the stalled request, not behind it.
    if (this.settled || this.status !== undefined) return
    const { controller } = this
    const { timeoutMs } = this.limits
    const message = `timeout: queued behind a request with no answer within ${timeoutMs} ms`
    this.settle({ ok: false, failure: 'timeout', error: message, durationMs: this.elapsed() })
    controller?.abort(new AttemptTimeout())
  }

  private successLimit(): number {
    return this.limits.successDrainBytes ?? SUCCESS_DRAIN_BYTES
  }

  /** Enough of the body was read: settle and drop the connection rather than read on. */
  private cut(): void {
    const { controller } = this
    this.settle(this.answer())
    controller?.abort(new BodyCapReached())
  }

  private settle(result: AttemptResult): void {
    if (this.settled) return
    this.settled = true
    const { resolve } = this
    // A settled attempt may stay queued behind a slow one: it keeps nothing of its request.
    this.resolve = undefined
    this.controller = undefined
    this.headers = undefined
    this.chunks = undefined
    resolve?.(result)
    this.hooks.settled()
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 10) / 10
  }

  private answer(): AttemptResult {
    const status = this.status as number
    if (status >= 200 && status < 300) return { ok: true, status, durationMs: this.elapsed() }
    const headers = this.headers ?? {}
    const limit = this.limits.excerptBytes ?? EXCERPT_BYTES
    const excerpt = Buffer.concat(this.chunks ?? []).subarray(0, limit).toString('utf8')
    const throttled = status === 429 || status === 503
    const retryAfter = throttled ? headers['retry-after'] : undefined
    const retryAfterMs =
      typeof retryAfter === 'string' ? parseRetryAfter(retryAfter, Date.now()) : undefined
    return {
      ok: false,
      status,
      error: describeStatus(status, headers['location']),
      responseExcerpt: excerpt,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      durationMs: this.elapsed(),
    }
  }
}

function describeStatus(status: number, location: string | string[] | undefined): string {
  if (status >= 300 && status < 400 && typeof location === 'string') {
    return `endpoint answered ${status}; redirect to ${location} not followed`
  }
  return `endpoint answered ${status}`
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
