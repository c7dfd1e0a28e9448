import type { Duplex } from 'node:stream'
import { invalidArgument, toTtsErrorBody, type LorahooksError } from '@lorahooks/core'
import { newRequestId } from './context.js'

interface ClientError extends Error {
  code?: string
}

interface Refusal {
  status: number
  reason: string
  error: LorahooksError
}

function refusalOf(code: string | undefined): Refusal {
  if (code === 'HPE_HEADER_OVERFLOW') {
    const message = 'the request line and headers are larger than the server accepts'
    const error = invalidArgument('pkg/web', 'headers_too_large', message)
    return { status: 431, reason: 'Request Header Fields Too Large', error }
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const message = 'the request did not arrive in time'
    const error = invalidArgument('pkg/web', 'request_timeout', message)
    return { status: 408, reason: 'Request Timeout', error }
  }
  const message = `the request is not valid HTTP/1.1 (${code ?? 'parse error'})`
  const error = invalidArgument('pkg/web', 'malformed_request', message, { parse_error: code })
  return { status: 400, reason: 'Bad Request', error }
}

/**
 * Node answers a request it cannot parse (a garbage request line, a bad header, headers over its
 * size limit, a bad chunk) itself, with an empty body, before the app sees it. This answers in
 * TTS's error shape instead, like every other refusal, and closes the connection as Node does.
 * Attach it to the server's 'clientError' event.
 */
export function answerClientError(error: ClientError, socket: Duplex): void {
  // A reset connection has nobody to answer (Node's own handler also just drops it).
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const { status, reason, error: refusal } = refusalOf(error.code)
  const requestId = newRequestId()
  const body = JSON.stringify(toTtsErrorBody(refusal, requestId))
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  )
}
