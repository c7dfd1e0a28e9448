import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'

import type { TimerSet } from './timer-set.js'
import type { ResponseSpec } from './types.js'

const DEFAULT_BODY = Buffer.from('{}')
const DEFAULT_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'application/json',
  'content-length': String(DEFAULT_BODY.length),
}

/** Shared by every streamed response; it is never written to. */
const FILLER = Buffer.alloc(64 * 1024, 'x')

/** The answer to any request without a behavior: 200 with `{}`. */
export function sendDefault(res: ServerResponse): void {
  res.writeHead(200, DEFAULT_HEADERS)
  res.end(DEFAULT_BODY)
}

/**
 * Answers as the spec says. `onAnswered` runs once the whole response was handed to the socket,
 * and never for hang, destroy, or a client that left during the delay.
 */
export function respondWith(
  res: ServerResponse,
  spec: ResponseSpec,
  timers: TimerSet,
  onAnswered?: () => void,
): void {
  if (spec.delayMs !== undefined && spec.delayMs > 0) {
    timers.after(spec.delayMs, () => respondNow(res, spec, onAnswered))
    return
  }
  respondNow(res, spec, onAnswered)
}

function respondNow(res: ServerResponse, spec: ResponseSpec, onAnswered?: () => void): void {
  if (res.destroyed || spec.hang === true) return

  if (spec.destroy === true) {
    res.socket?.destroy()
    return
  }

  if (onAnswered !== undefined) res.once('finish', onAnswered)
  const status = spec.status ?? 200

  if (spec.bodyBytes !== undefined) {
    // No content-length, so node:http sends it chunked.
    res.writeHead(status, headersFor(spec, 'application/octet-stream'))
    streamFiller(res, spec.bodyBytes)
    return
  }

  const body = spec.body === undefined ? DEFAULT_BODY : Buffer.from(spec.body)
  const headers = headersFor(spec, 'application/json')
  headers['content-length'] = String(body.length)
  res.writeHead(status, headers)
  res.end(body)
}

function headersFor(spec: ResponseSpec, defaultContentType: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'content-type': defaultContentType }
  if (spec.headers === undefined) return headers

  // Lower-cased so a configured Content-Type replaces the default instead of doubling it.
  for (const [name, value] of Object.entries(spec.headers)) headers[name.toLowerCase()] = value
  return headers
}

function streamFiller(res: ServerResponse, remaining: number): void {
  while (remaining > 0) {
    if (res.destroyed) return

    const size = Math.min(remaining, FILLER.length)
    remaining -= size
    const flushed = res.write(size === FILLER.length ? FILLER : FILLER.subarray(0, size))
    if (!flushed && remaining > 0) {
      res.once('drain', () => streamFiller(res, remaining))
      return
    }
  }
  res.end()
}
