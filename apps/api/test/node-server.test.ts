import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BODY_LIMIT_BYTES } from '../src/body.js'
import { answerClientError } from '../src/client-error.js'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

// Behind @hono/node-server the API reads bodies and headers from the Node request itself; these
// tests send real HTTP to 127.0.0.1 to cover that path, which app.request() never takes.

let h: Harness
let server: ServerType
let port: number
const simulate = '/api/v3/as/applications/app1/devices/dev1/up/simulate'
const simulateRoute = '/api/v3/as/applications/:applicationId/devices/:deviceId/up/simulate'
const uplink = { uplink_message: { f_port: 1, frm_payload: 'AQID' } }

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: any
}

/** One request; `chunks` are written one by one, so the body is sent chunked. */
function send(
  method: string,
  path: string,
  options: {
    headers?: Record<string, string | string[]>
    body?: string | Buffer
    chunks?: Buffer[]
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => {
        const body = text === '' ? undefined : JSON.parse(text)
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body })
      })
    })
    request.on('error', reject)
    request.setHeader('authorization', `Bearer ${h.adminKey}`)
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      request.setHeader(name, value)
    }
    for (const chunk of options.chunks ?? []) request.write(chunk)
    request.end(options.body)
  })
}

async function storedBodies(): Promise<any[]> {
  const claimed = await h.store.claimDeliveries(100, 60_000, Date.now())
  return claimed.sort((a, b) => a.id - b.id).map((delivery) => JSON.parse(delivery.body))
}

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createDevice('app1', 'dev1')
  const webhook = {
    ids: { webhook_id: 'wh1' },
    base_url: 'http://127.0.0.1:9/h',
    format: 'json',
    uplink_message: {},
  }
  expect((await h.json('POST', '/api/v3/as/webhooks/app1', { body: { webhook } })).status).toBe(200)
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    )
  })
  server.on('clientError', answerClientError)
  port = (server.address() as AddressInfo).port
})
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve))
  h.close()
})

describe('ingest over a real Node server', () => {
  it('accepts a simulate body and answers with a request id', async () => {
    const json = { 'content-type': 'application/json' }
    const res = await send('POST', simulate, { headers: json, body: JSON.stringify(uplink) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({})
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(res.headers['content-type']).toBe('application/json')
    const [stored] = await storedBodies()
    expect(stored.uplink_message).toEqual({ f_port: 1, frm_payload: 'AQID' })
  })

  it('reads a body sent in many chunks', async () => {
    const messages = [{ ...uplink, end_device_ids: { device_id: 'dev1' } }]
    const text = JSON.stringify({ messages })
    const chunks = [...Buffer.from(text)].map((byte) => Buffer.from([byte]))
    const res = await send('POST', '/api/v3/as/applications/app1/up/batch', { chunks })
    expect(res).toMatchObject({ status: 200, body: { accepted: 1 } })
  })

  it('gives the same answers as in process for bad bodies', async () => {
    for (const body of ['', '{"a":', '[1]', '{"uplink_message":{"f_port":"x"}}']) {
      const overNode = await send('POST', simulate, { body })
      const inProcess = await h.json('POST', simulate, { rawBody: body })
      expect(overNode.status).toBe(inProcess.status)
      expect(overNode.body.details[0].name).toBe(inProcess.body.details[0].name)
      expect(overNode.body.details[0].correlation_id).toBe(overNode.headers['x-request-id'])
    }
  })

  it('answers 413 to a chunked body over the limit and keeps serving', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    const chunks = Array.from({ length: BODY_LIMIT_BYTES / chunk.length + 1 }, () => chunk)
    const res = await send('POST', simulate, { chunks })
    expect(res.status).toBe(413)
    expectTtsError(res.body, 8, 'request_too_large')
    expect((await send('POST', simulate, { body: JSON.stringify(uplink) })).status).toBe(200)
  })

  it('takes gzip, deflate and br bodies, stacked codings too', async () => {
    const text = JSON.stringify(uplink)
    const bodies: [string, Buffer][] = [
      ['gzip', zlib.gzipSync(text)],
      ['deflate', zlib.deflateSync(text)],
      ['br', zlib.brotliCompressSync(text)],
      ['deflate, GZIP', zlib.gzipSync(zlib.deflateSync(text))],
      ['identity', Buffer.from(text)],
    ]
    for (const [coding, body] of bodies) {
      const res = await send('POST', simulate, { headers: { 'content-encoding': coding }, body })
      expect(res.status, coding).toBe(200)
    }
    const stored = await storedBodies()
    expect(stored.map((message) => message.uplink_message)).toEqual(
      bodies.map(() => uplink.uplink_message),
    )
  })

  it('refuses unknown codings, bad compressed data and bodies that inflate past the limit', async () => {
    const compress = await send('POST', simulate, {
      headers: { 'content-encoding': 'compress' },
      body: '{}',
    })
    expect(compress.status).toBe(400)
    expectTtsError(compress.body, 3, 'unsupported_content_encoding')

    const garbage = await send('POST', simulate, {
      headers: { 'content-encoding': 'gzip' },
      body: JSON.stringify(uplink),
    })
    expect(garbage.status).toBe(400)
    expectTtsError(garbage.body, 3, 'decode_body')

    // 16 MiB + 1 of spaces compresses to a few KiB: the decoded size is what counts.
    const bomb = zlib.gzipSync(Buffer.alloc(BODY_LIMIT_BYTES + 1, 0x20))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const res = await send('POST', simulate, { headers: { 'content-encoding': 'gzip' }, body: bomb })
    expect(res.status).toBe(413)
    expectTtsError(res.body, 8, 'request_too_large')
    expect(await storedBodies()).toEqual([])
  })

  it('joins repeated Authorization headers like web Headers do, so they fail', async () => {
    const authorization = [`Bearer ${h.adminKey}`, `Bearer ${h.adminKey}`]
    const res = await send('POST', simulate, { headers: { authorization }, body: '{}' })
    expect(res.status).toBe(401)
  })

  it('sets X-Request-Id on answers that middleware gives, such as 401', async () => {
    const res = await send('POST', simulate, { headers: { authorization: 'Bearer nope' } })
    expect(res.status).toBe(401)
    expect(res.headers['x-request-id']).toBe(res.body.details[0].correlation_id)
  })

  it('counts a client that leaves mid-body as 499, not as a server error', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST ${simulate} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Authorization: Bearer ${h.adminKey}\r\nContent-Length: 1000\r\n\r\n{"uplink`,
        )
        setTimeout(() => socket.destroy(), 50)
      })
      socket.on('close', () => resolve())
      socket.on('error', reject)
    })
    // The server sees the close a moment later; the count is taken when its answer is done.
    const series = (status: number) =>
      `lorahooks_http_requests_total{method="POST",route="${simulateRoute}",status="${status}"} 1`
    let metrics = ''
    for (let tries = 0; tries < 50 && !metrics.includes('status="4'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      metrics = await (await h.request('GET', '/metrics', { key: null })).text()
    }
    expect(metrics).toContain(series(499))
    expect(metrics).not.toContain('status="500"')
  })

  it('answers requests Node cannot parse in the TTS error shape', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text))
        let answer = ''
        socket.setEncoding('utf8')
        socket.on('data', (chunk: string) => (answer += chunk))
        socket.on('close', () => resolve(answer))
        socket.on('error', reject)
      })
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n')
      return { statusLine: head.split('\r\n')[0], body: JSON.parse(body) }
    }

    const garbage = parse(await raw('HELLO THERE\r\n\r\n'))
    expect(garbage.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(garbage.body).toMatchObject({ code: 3, details: [{ name: 'malformed_request' }] })

    const big = 'a'.repeat(20_000)
    const header = `GET /api/v3/as/webhooks/app1 HTTP/1.1\r\nHost: x\r\nX-Big: ${big}`
    const huge = parse(await raw(`${header}\r\n\r\n`))
    expect(huge.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(huge.body).toMatchObject({ details: [{ name: 'headers_too_large' }] })

    // The server keeps serving.
    const res = await send('POST', simulate, { body: JSON.stringify(uplink) })
    expect(res.status).toBe(200)
  })
})
