import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { nowNs } from '../clock.js'
import { sentAtOf } from '../payload.js'
import { SampleBuffer, summarize } from '../stats.js'
import type {
  PathStats,
  Progress,
  ReceiverCommand,
  ReceiverReply,
  ReceiverStats,
} from './protocol.js'

/*
 * The webhook receiver every scenario delivers to: a plain node:http server that answers 200 {}
 * at once, counts requests and records each body's age. It runs in a process of its own so
 * that its CPU use is not mixed with the load generator's.
 */

const ANSWER_HEADERS = { 'content-type': 'application/json', 'content-length': '2' }

let progress: Progress = emptyProgress()
let latencies = new Map<string, SampleBuffer>()

function emptyProgress(): Progress {
  return { total: 0, blackholed: 0, bodyBytes: 0, firstNs: 0, lastNs: 0 }
}

function record(url: string, body: string, at: number): void {
  if (progress.total === 0) progress.firstNs = at
  progress.lastNs = at
  progress.total++
  progress.bodyBytes += Buffer.byteLength(body)

  const sentAt = sentAtOf(body)
  if (sentAt === undefined) return
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  let samples = latencies.get(path)
  if (!samples) {
    samples = new SampleBuffer()
    latencies.set(path, samples)
  }
  samples.push((at - sentAt) / 1e6)
}

function answer(request: http.IncomingMessage, response: http.ServerResponse): void {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
    record(request.url ?? '/', body.toString('utf8'), nowNs())
    response.writeHead(200, ANSWER_HEADERS)
    response.end('{}')
  })
}

// Node parses a pipelined request only after the one before it was answered, so a black hole
// sees one request per connection: the count is of connections the worker opened to it.
function swallow(request: http.IncomingMessage): void {
  progress.blackholed++
  request.resume()
}

function stats(): ReceiverStats {
  const paths: Record<string, PathStats> = {}
  const merged = new SampleBuffer()
  for (const [path, samples] of latencies) {
    const values = samples.values()
    paths[path] = { count: samples.length, latencyMs: summarize(values) }
    for (const value of values) merged.push(value)
  }
  return { ...progress, paths, all: summarize(merged.values()) }
}

function handle(command: ReceiverCommand): void {
  let body: Progress | ReceiverStats | null = null
  if (command.type === 'reset') {
    progress = emptyProgress()
    latencies = new Map()
  } else if (command.type === 'progress') {
    body = { ...progress }
  } else {
    body = stats()
  }
  send({ type: 'reply', id: command.id, body })
}

function send(reply: ReceiverReply): void {
  process.send?.(reply)
}

function listen(server: http.Server): Promise<string> {
  // Idle keep-alive connections must outlive the pauses between scenario steps.
  server.keepAliveTimeout = 120_000
  server.requestTimeout = 0
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
}

const url = await listen(http.createServer(answer))
const blackholeUrl = await listen(http.createServer(swallow))
process.on('message', (command: ReceiverCommand) => handle(command))
process.on('disconnect', () => process.exit(0))
send({ type: 'ready', url, blackholeUrl })
