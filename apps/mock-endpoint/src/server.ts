import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

import { BehaviorTable } from './behavior-table.js'
import { parseBehavior } from './behavior-validation.js'
import { CONTROL_PREFIX, createControlHandler } from './control-api.js'
import { CountWaiters } from './count-waiters.js'
import { DownlinkReplier } from './downlink-replier.js'
import { pathOf } from './path-match.js'
import { RequestLog } from './request-log.js'
import { respondWith, sendDefault } from './respond.js'
import { TimerSet } from './timer-set.js'
import type { MockEndpoint, MockEndpointOptions } from './types.js'

export type * from './types.js'

const DEFAULT_MAX_RECORDS = 10_000

/** Starts a recording HTTP endpoint and resolves once it listens. */
export async function createMockEndpoint(options: MockEndpointOptions = {}): Promise<MockEndpoint> {
  const port = options.port ?? 0
  const host = options.host ?? '127.0.0.1'
  const record = options.record ?? true
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS
  checkOptions(port, maxRecords)

  const log = new RequestLog(maxRecords)
  const behaviors = new BehaviorTable()
  const waiters = new CountWaiters()
  const replier = new DownlinkReplier(maxRecords)
  const timers = new TimerSet()
  let lastSeq = 0

  const controls = {
    requests: log.list.bind(log),
    count: () => log.count,
    clear() {
      log.clear()
      replier.clear()
    },
    setBehavior: (behavior: unknown) => behaviors.set(parseBehavior(behavior)),
    resetBehaviors: () => behaviors.reset(),
    downlinkResults: () => replier.results(),
    stats: () => log.stats(),
    waitForCount: (target: number, timeoutMs: number) =>
      waiters.wait(log.count, target, timeoutMs),
  }
  const handleControl = createControlHandler(controls)

  function answer(
    req: IncomingMessage,
    res: ServerResponse,
    target: string,
    recorded?: { receivedAt: number; body: Buffer },
  ): void {
    lastSeq += 1
    const seq = lastSeq
    const path = pathOf(target)

    log.noteArrival(path)
    if (recorded !== undefined) {
      const method = req.method ?? ''
      log.store({ seq, method, target, rawHeaders: req.rawHeaders, ...recorded })
    }
    if (waiters.pending) waiters.notify(log.count)

    const spec = behaviors.next(path)
    if (spec === undefined) return sendDefault(res)

    const { downlink } = spec
    const replyDownlink =
      downlink === undefined ? undefined : () => replier.send(seq, req.headers, downlink)
    respondWith(res, spec, timers, replyDownlink)
  }

  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/'
    if (target.startsWith(CONTROL_PREFIX)) {
      handleControl(req, res, target).catch(() => failControl(res))
      return
    }

    // A client that drops mid-body just isn't recorded; its error must not crash the process.
    req.on('error', ignore)

    if (!record) {
      req.once('end', () => answer(req, res, target))
      req.resume()
      return
    }

    const receivedAt = Date.now()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('end', () => answer(req, res, target, { receivedAt, body: joinChunks(chunks) }))
  }

  const server = createServer(handleRequest)
  const listeningPort = await listen(server, port, host)

  let closing: Promise<void> | undefined
  return {
    ...controls,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}`,
    port: listeningPort,
    close() {
      closing ??= closeServer(server, () => {
        timers.clearAll()
        waiters.close()
        replier.close()
      })
      return closing
    },
  }
}

function checkOptions(port: number, maxRecords: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`)
  }
  if (!Number.isSafeInteger(maxRecords) || maxRecords < 0) {
    throw new RangeError(`maxRecords must be a non-negative integer, got ${maxRecords}`)
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      if (address === null || typeof address === 'string') {
        reject(new Error('server is not listening on a TCP port'))
        return
      }
      resolve(address.port)
    })
  })
}

/** Hanging and slow requests would keep close() waiting forever, so their sockets are cut. */
function closeServer(server: Server, stopPending: () => void): Promise<void> {
  stopPending()
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)))
    server.closeAllConnections()
  })
}

function failControl(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(500, { 'content-type': 'application/json' })
  res.end('{"error":"internal error"}')
}

function joinChunks(chunks: Buffer[]): Buffer {
  if (chunks.length === 1) return chunks[0] as Buffer
  return Buffer.concat(chunks)
}

function ignore(): void {}
