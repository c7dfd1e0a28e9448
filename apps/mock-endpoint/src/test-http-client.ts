import { request } from 'node:http'
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

export interface TestRequest {
  method?: string
  headers?: OutgoingHttpHeaders
  body?: Buffer | string
  timeoutMs?: number
}

export interface TestResponse {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  text: string
}

/**
 * A bare node:http client for tests: sends the target exactly as given and does not go
 * through global fetch, which some tests replace.
 */
export function send(
  baseUrl: string,
  target: string,
  init: TestRequest = {},
): Promise<TestResponse> {
  const { hostname, port } = new URL(baseUrl)

  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: target,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
        timeout: init.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const status = res.statusCode ?? 0
          resolve({ status, headers: res.headers, body, text: body.toString() })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('client timeout')))
    req.on('error', reject)
    req.end(init.body)
  })
}

export async function sendJson(
  baseUrl: string,
  target: string,
  init: TestRequest = {},
): Promise<{ status: number; json: unknown }> {
  const { status, text } = await send(baseUrl, target, init)
  return { status, json: text === '' ? undefined : JSON.parse(text) }
}
