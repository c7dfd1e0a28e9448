import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterEach, describe, expect, it, vi } from 'vitest'

import { createMockEndpoint } from './server.js'
import { send, sendJson } from './test-http-client.js'
import type { MockEndpoint, MockEndpointOptions } from './types.js'

const open: MockEndpoint[] = []

async function start(options: MockEndpointOptions = {}): Promise<MockEndpoint> {
  const endpoint = await createMockEndpoint(options)
  open.push(endpoint)
  return endpoint
}

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(open.splice(0).map((endpoint) => endpoint.close()))
})

describe('recording', () => {
  it('keeps the raw target, header pairs in order and the exact body bytes', async () => {
    const mock = await start()
    const body = Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x0a, 0xc3])

    const response = await send(mock.url, '/hooks/up?x=1&y=a%20b', {
      method: 'POST',
      headers: { 'X-Api-Key': 'secret', 'x-lower': 'v', 'X-Dup': ['first', 'second'] },
      body,
    })

    expect(response.status).toBe(200)
    expect(response.text).toBe('{}')
    const [recorded] = mock.requests()
    expect(recorded?.seq).toBe(1)
    expect(recorded?.method).toBe('POST')
    expect(recorded?.target).toBe('/hooks/up?x=1&y=a%20b')
    expect(Buffer.from(recorded?.body ?? '', 'base64').equals(body)).toBe(true)
    expect(recorded?.bodyLength).toBe(6)
    const names = recorded?.headers.map(([name]) => name) ?? []
    expect(names.indexOf('X-Api-Key')).toBeLessThan(names.indexOf('x-lower'))
    expect(recorded?.headers).toContainEqual(['X-Api-Key', 'secret'])
    expect(recorded?.headers.filter(([name]) => name === 'X-Dup')).toEqual([
      ['X-Dup', 'first'],
      ['X-Dup', 'second'],
    ])
    expect(Date.parse(recorded?.receivedAt ?? '')).not.toBeNaN()
  })

  it('serves the records over the control API without recording control calls', async () => {
    const mock = await start()
    await send(mock.url, '/hooks/up', { method: 'POST', body: 'one' })
    await send(mock.url, '/hooks/join', { method: 'POST', body: 'two' })
    await send(mock.url, '/other', { method: 'POST', body: 'three' })

    const byPrefix = await sendJson(mock.url, '/_mock/requests?path=/hooks/*&since=1')
    const stats = await sendJson(mock.url, '/_mock/stats')

    expect(byPrefix).toMatchObject({ status: 200, json: { count: 3 } })
    const listed = (byPrefix.json as { requests: { bodyText: string }[] }).requests
    expect(listed.map((r) => r.bodyText)).toEqual(['two'])
    const byPath = { '/hooks/up': 1, '/hooks/join': 1, '/other': 1 }
    expect(stats.json).toEqual({ count: 3, byPath })
    expect(mock.count()).toBe(3)
  })

  it('forgets everything on DELETE /_mock/requests', async () => {
    const mock = await start()
    await send(mock.url, '/a', { method: 'POST' })

    const cleared = await send(mock.url, '/_mock/requests', { method: 'DELETE' })

    expect(cleared.status).toBe(204)
    expect(mock.count()).toBe(0)
    expect(mock.requests()).toEqual([])
  })

  it('drops the oldest records beyond maxRecords but keeps counting', async () => {
    const mock = await start({ maxRecords: 2 })
    for (const n of [1, 2, 3, 4]) await send(mock.url, `/n${n}`, { method: 'POST' })

    expect(mock.requests().map((r) => r.target)).toEqual(['/n3', '/n4'])
    expect(mock.count()).toBe(4)
  })

  it('only counts when recording is off', async () => {
    const mock = await start({ record: false })
    await send(mock.url, '/up', { method: 'POST', body: 'x' })
    await send(mock.url, '/up?q=1', { method: 'POST', body: 'y' })

    expect(mock.requests()).toEqual([])
    expect(mock.stats()).toEqual({ count: 2, byPath: { '/up': 2 } })
  })

  it('reassembles large request bodies exactly', async () => {
    const mock = await start()
    const body = Buffer.alloc(3 * 1024 * 1024 + 7)
    for (let i = 0; i < body.length; i += 1) body[i] = (i * 31) & 0xff

    await send(mock.url, '/big', { method: 'POST', body })

    const [recorded] = mock.requests()
    expect(recorded?.bodyLength).toBe(body.length)
    expect(Buffer.from(recorded?.body ?? '', 'base64').equals(body)).toBe(true)
  })
})

describe('behaviors', () => {
  it('walks the response sequence per path and repeats the last one', async () => {
    const mock = await start()
    const put = await send(mock.url, '/_mock/behaviors', {
      method: 'PUT',
      body: JSON.stringify({ path: '/flaky', responses: [{ status: 500 }, { status: 500 }, {}] }),
    })

    const statuses: number[] = []
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await send(mock.url, '/flaky?try=' + i, { method: 'POST' })).status)
    }
    const elsewhere = await send(mock.url, '/steady', { method: 'POST' })

    expect(put.status).toBe(204)
    expect(statuses).toEqual([500, 500, 200, 200])
    expect(elsewhere.status).toBe(200)
  })

  it('matches prefixes, prefers the longest one and restarts when replaced', async () => {
    const mock = await start()
    mock.setBehavior({ path: '/up*', responses: [{ status: 503 }] })
    mock.setBehavior({ path: '/up/special*', responses: [{ status: 202 }] })

    const general = await send(mock.url, '/up/dev-1', { method: 'POST' })
    const special = await send(mock.url, '/up/special/x', { method: 'POST' })
    mock.setBehavior({ path: '/up*', responses: [{ status: 418 }, { status: 201 }] })
    const replaced = await send(mock.url, '/up/dev-1', { method: 'POST' })
    mock.resetBehaviors()
    const reset = await send(mock.url, '/up/dev-1', { method: 'POST' })

    expect([general.status, special.status, replaced.status, reset.status]).toEqual([
      503, 202, 418, 200,
    ])
  })

  it('sends the configured status, headers and body', async () => {
    const mock = await start()
    mock.setBehavior({
      path: '/custom',
      responses: [{ status: 429, headers: { 'Retry-After': '7' }, body: 'slow down' }],
    })

    const response = await send(mock.url, '/custom', { method: 'POST' })

    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('7')
    expect(response.text).toBe('slow down')
  })

  it('rejects an invalid behavior with 400', async () => {
    const mock = await start()

    const invalid = await sendJson(mock.url, '/_mock/behaviors', {
      method: 'PUT',
      body: JSON.stringify({ path: '/x', responses: [{ status: 42 }] }),
    })
    const notJson = await sendJson(mock.url, '/_mock/behaviors', { method: 'PUT', body: '{' })

    expect(invalid.status).toBe(400)
    expect(notJson.status).toBe(400)
    expect(() => mock.setBehavior({ path: '/x', responses: [] })).toThrow(/non-empty/)
  })

  it('delays the answer by delayMs', async () => {
    const mock = await start()
    mock.setBehavior({ path: '/slow', responses: [{ delayMs: 300 }] })

    const startedAt = performance.now()
    const response = await send(mock.url, '/slow', { method: 'POST' })
    const elapsed = performance.now() - startedAt

    expect(response.status).toBe(200)
    expect(elapsed).toBeGreaterThanOrEqual(280)
  })

  it('hangs until the client gives up, and close() still finishes', async () => {
    const mock = await start()
    mock.setBehavior({ path: '/hang', responses: [{ hang: true }] })
    const stillWaiting = send(mock.url, '/hang', { method: 'POST', timeoutMs: 30_000 })
    stillWaiting.catch(() => {})

    const timedOut = send(mock.url, '/hang', { method: 'POST', timeoutMs: 200 })
    await expect(timedOut).rejects.toThrow('client timeout')

    await mock.close()
    await expect(stillWaiting).rejects.toThrow()
    expect(mock.count()).toBe(2)
  })

  it('closes the socket without an answer when told to destroy', async () => {
    const mock = await start()
    mock.setBehavior({ path: '/drop', responses: [{ destroy: true }, {}] })

    await expect(send(mock.url, '/drop', { method: 'POST' })).rejects.toMatchObject({
      code: 'ECONNRESET',
    })
    const next = await send(mock.url, '/drop', { method: 'POST' })

    expect(next.status).toBe(200)
    expect(mock.count()).toBe(2)
  })

  it('streams bodyBytes of filler as a chunked body', async () => {
    const mock = await start()
    const size = 5 * 1024 * 1024 + 3
    mock.setBehavior({ path: '/huge', responses: [{ status: 500, bodyBytes: size }] })

    const response = await send(mock.url, '/huge', { method: 'POST' })

    expect(response.status).toBe(500)
    expect(response.headers['transfer-encoding']).toBe('chunked')
    expect(response.headers['content-length']).toBeUndefined()
    expect(response.body.length).toBe(size)
    expect(response.body.every((byte) => byte === 0x78)).toBe(true)
  })
})

describe('wait', () => {
  it('answers once enough requests arrived, or 408 after the timeout', async () => {
    const mock = await start()
    const waiting = sendJson(mock.url, '/_mock/wait?count=2&timeoutMs=3000')

    await send(mock.url, '/a', { method: 'POST' })
    await send(mock.url, '/b', { method: 'POST' })
    const tooMany = await sendJson(mock.url, '/_mock/wait?count=5&timeoutMs=100')

    expect(await waiting).toEqual({ status: 200, json: { count: 2 } })
    expect(tooMany).toEqual({ status: 408, json: { count: 2 } })
  })

  it('refuses a missing count', async () => {
    const mock = await start()

    const response = await sendJson(mock.url, '/_mock/wait')

    expect(response.status).toBe(400)
  })
})

interface PushSeen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

async function startPushServer(): Promise<{ server: Server; base: string; seen: PushSeen[] }> {
  const seen: PushSeen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      res.writeHead(200)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, base: `http://127.0.0.1:${port}`, seen }
}

describe('downlink auto-reply', () => {
  const pushPath = '/api/v3/as/applications/app-1/webhooks/hook-1/devices/dev-1/down/push'
  const reply = { downlinks: [{ f_port: 1, frm_payload: 'AQID', priority: 'NORMAL' }] }

  it('POSTs the downlinks to X-Downlink-Push with the received key as Bearer', async () => {
    const push = await startPushServer()
    try {
      const mock = await start()
      mock.setBehavior({ path: '/up*', responses: [{ downlink: reply }] })

      const uplink = await send(mock.url, '/up/dev-1', {
        method: 'POST',
        headers: {
          'X-Downlink-Apikey': 'NNSXS.TESTKEY',
          'X-Downlink-Push': push.base + pushPath,
          'X-Downlink-Replace': push.base + pushPath.replace('/push', '/replace'),
        },
        body: '{"uplink_message":{}}',
      })
      await vi.waitFor(() => expect(mock.downlinkResults()).toHaveLength(1))
      const viaApi = await sendJson(mock.url, '/_mock/downlinks')

      expect(uplink.status).toBe(200)
      expect(push.seen).toHaveLength(1)
      expect(push.seen[0]?.method).toBe('POST')
      expect(push.seen[0]?.url).toBe(pushPath)
      expect(push.seen[0]?.headers.authorization).toBe('Bearer NNSXS.TESTKEY')
      expect(JSON.parse(push.seen[0]?.body ?? '')).toEqual(reply)
      expect(viaApi.json).toEqual({
        results: [{ seq: 1, url: push.base + pushPath, status: 200, body: '' }],
      })
    } finally {
      push.server.close()
    }
  })

  it('refuses a non-loopback push URL before any connection is attempted', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(() => {
      throw new Error('fetch must not be called for a non-loopback push URL')
    })
    const mock = await start()
    mock.setBehavior({ path: '/up', responses: [{ downlink: reply }] })

    const uplink = await send(mock.url, '/up', {
      method: 'POST',
      headers: {
        'X-Downlink-Apikey': 'NNSXS.TESTKEY',
        'X-Downlink-Push': 'http://198.51.100.1:1885' + pushPath,
      },
    })
    await vi.waitFor(() => expect(mock.downlinkResults()).toHaveLength(1))

    expect(uplink.status).toBe(200)
    expect(fetchSpy).not.toHaveBeenCalled()
    expect(mock.downlinkResults()[0]).toMatchObject({
      seq: 1,
      url: 'http://198.51.100.1:1885' + pushPath,
      status: null,
      error: expect.stringMatching(/198\.51\.100\.1 is not a loopback address/),
    })
  })

  it('records an error when the uplink carried no push headers', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const mock = await start()
    mock.setBehavior({ path: '/up', responses: [{ downlink: reply }] })

    await send(mock.url, '/up', { method: 'POST' })
    await vi.waitFor(() => expect(mock.downlinkResults()).toHaveLength(1))

    expect(fetchSpy).not.toHaveBeenCalled()
    expect(mock.downlinkResults()[0]).toMatchObject({ status: null, error: expect.any(String) })
  })
})
