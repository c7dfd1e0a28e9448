import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { HttpSender } from '../src/http-sender.js'

let server: http.Server | undefined
let sender: HttpSender | undefined

afterEach(async () => {
  await sender?.close()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = sender = undefined
})

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const request = (url: string, n: number) => ({
  url: `${url}/up?n=${n}`,
  headers: ['Content-Type', 'application/json', 'webhook-id', `msg_${n}`],
  body: Buffer.from(`{"n":${n}}`),
})

describe('HttpSender', () => {
  it('pipelines the attempts of one webhook on one connection, in the order sent', async () => {
    const seen: { n: string | null; port: number | undefined }[] = []
    const url = await listen((req, res) => {
      const n = new URL(req.url!, 'http://x').searchParams.get('n')
      seen.push({ n, port: req.socket.remotePort })
      req.resume()
      req.on('end', () => res.end('{}'))
    })
    sender = new HttpSender({ timeoutMs: 1000, inFlightPerWebhook: 8 })

    await sender.send(request(url, 0), 'wh1')
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sender!.send(request(url, i + 1), 'wh1')),
    )
    expect(results.every((result) => result.ok && result.status === 200)).toBe(true)
    expect(seen.map((entry) => entry.n)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8'])
    expect(new Set(seen.map((entry) => entry.port)).size).toBe(1)
  })

  it('ends every attempt within the timeout, also one pipelined behind a hung one', async () => {
    const url = await listen((req) => req.resume())
    sender = new HttpSender({ timeoutMs: 200, inFlightPerWebhook: 4 })

    const started = Date.now()
    const results = await Promise.all([1, 2, 3].map((n) => sender!.send(request(url, n), 'wh1')))
    expect(results.map((result) => result.failure)).toEqual(['timeout', 'timeout', 'timeout'])
    expect(results[0]?.error).toBe('timeout: no answer within 200 ms')
    expect(Date.now() - started).toBeLessThan(450)
  })

  it('fails the attempts queued behind a hung one at once, instead of sending them again', async () => {
    const url = await listen((req) => req.resume())
    let connections = 0
    server!.on('connection', () => connections++)
    sender = new HttpSender({ timeoutMs: 200, inFlightPerWebhook: 8 })

    // Sent 20 ms apart, as claims come: each has a deadline of its own.
    const sends = []
    for (let n = 0; n < 8; n++) {
      sends.push(sender.send(request(url, n), 'wh1'))
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const results = await Promise.all(sends)
    expect(results.map((result) => result.failure)).toEqual(Array(8).fill('timeout'))
    expect(results[0]?.error).toBe('timeout: no answer within 200 ms')
    for (const result of results.slice(1)) {
      expect(result.error).toBe('timeout: queued behind a request with no answer within 200 ms')
    }
    // Sent again one by one, each would have opened a connection of its own when the one ahead
    // of it timed out. undici may open one in advance when the first is dropped.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(connections).toBeLessThanOrEqual(2)
  })

  it('keeps the status of an answer whose body is still coming at the timeout', async () => {
    const url = await listen((req, res) => {
      req.resume()
      res.writeHead(503, { 'Retry-After': '7' })
      res.write('busy, ')
    })
    sender = new HttpSender({ timeoutMs: 200, inFlightPerWebhook: 1 })

    const result = await sender.send(request(url, 1), 'wh1')
    expect(result).toMatchObject({ ok: false, status: 503, responseExcerpt: 'busy, ' })
    expect(result.retryAfterMs).toBe(7000)
    expect(result.durationMs).toBeLessThan(400)
  })
})
