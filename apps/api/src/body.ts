import { parseJson } from '@lorahooks/formatters'
import type { Context } from 'hono'
import { decodeContent } from './content-encoding.js'
import type { AppEnv } from './context.js'
import { malformedBody, PayloadTooLargeError, requestAborted } from './errors.js'
import { isUnread, nodeIncoming, readIncoming, requestHeader } from './node-request.js'

/** 16 MiB, the body limit of TTS's web server. */
export const BODY_LIMIT_BYTES = 16 * 1024 * 1024
/** Batch ingestion carries up to 10,000 messages, so it gets more room. */
export const BATCH_BODY_LIMIT_BYTES = 32 * 1024 * 1024

const EMPTY = new Uint8Array(0)

/**
 * The request body with its Content-Encoding (gzip, deflate, br) undone, refused with 413 as
 * soon as it passes `limit` bytes (before or after decoding), and with 499 when the client goes
 * away before its end (a reset or a closed connection mid-body).
 */
export async function readBody(c: Context<AppEnv>, limit = BODY_LIMIT_BYTES): Promise<Uint8Array> {
  const declared = Number(requestHeader(c, 'content-length'))
  if (declared > limit) throw new PayloadTooLargeError(limit)

  let body: Uint8Array
  try {
    body = await readWholeBody(c, limit)
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error
    throw requestAborted()
  }
  const coding = requestHeader(c, 'content-encoding')
  return coding === undefined ? body : decodeContent(body, coding, limit)
}

async function readWholeBody(c: Context<AppEnv>, limit: number): Promise<Uint8Array> {
  const incoming = nodeIncoming(c)
  if (incoming !== undefined && isUnread(incoming)) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return EMPTY
    return readIncoming(incoming, limit, () => new PayloadTooLargeError(limit))
  }

  const stream = c.req.raw.body
  if (stream === null) return EMPTY

  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) throw new PayloadTooLargeError(limit)
    chunks.push(chunk)
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size)
}

export async function readText(c: Context<AppEnv>, limit = BODY_LIMIT_BYTES): Promise<string> {
  const body = await readBody(c, limit)
  // A view, not a copy: the Node path already hands over a Buffer.
  const { buffer, byteOffset, length } = body
  return (Buffer.isBuffer(body) ? body : Buffer.from(buffer, byteOffset, length)).toString('utf8')
}

/** Parses with `parse` (default parseJson); an empty body counts as `{}`, like grpc-gateway. */
export async function readJson(
  c: Context<AppEnv>,
  options: { limit?: number; parse?: (text: string) => unknown } = {},
): Promise<unknown> {
  const text = await readText(c, options.limit)
  if (text.trim() === '') return {}
  try {
    return (options.parse ?? parseJson)(text)
  } catch (error) {
    throw malformedBody(error instanceof Error ? error.message : String(error))
  }
}

/** A JSON object body, or 400 naming the body. */
export async function readJsonObject(
  c: Context<AppEnv>,
  options: { limit?: number; parse?: (text: string) => unknown } = {},
): Promise<Record<string, unknown>> {
  const value = await readJson(c, options)
  if (!isObject(value)) throw malformedBody('expected a JSON object')
  return value
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
