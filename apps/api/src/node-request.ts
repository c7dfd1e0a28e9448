import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from './context.js'

/**
 * The Node request behind `c` when served by @hono/node-server, which passes it as
 * `c.env.incoming`; undefined under `app.request()`. Reading it directly skips building a web
 * Request, its Headers and a ReadableStream, which cost more than the rest of an ingest.
 */
export function nodeIncoming(c: Context<AppEnv>): IncomingMessage | undefined {
  return (c.env as NodeBindings | undefined)?.incoming
}

/** The Node response behind `c`, like nodeIncoming. */
export function nodeOutgoing(c: Context<AppEnv>): ServerResponse | undefined {
  return (c.env as NodeBindings | undefined)?.outgoing
}

interface NodeBindings {
  incoming?: IncomingMessage
  outgoing?: ServerResponse
}

/**
 * A request header as `c.req.header(name)` gives it (repeated headers joined with `, `), read
 * from the Node request when there is one. `name` must be lower case.
 */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  const incoming = nodeIncoming(c)
  if (incoming === undefined) return c.req.header(name)

  const raw = incoming.rawHeaders
  let value: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i] as string
    if (key.length !== name.length || key.toLowerCase() !== name) continue
    const next = raw[i + 1] as string
    value = value === undefined ? next : `${value}, ${next}`
  }
  return value
}

interface Reader {
  chunks: Buffer[]
  size: number
  limit: number
  tooLarge: () => Error
  resolve: (body: Buffer) => void
  reject: (error: unknown) => void
}

const READER = Symbol('lorahooks.bodyReader')
type Reading = IncomingMessage & { [READER]?: Reader }

/**
 * The body of a Node request nobody has started to read, refused with `tooLarge()` as soon as
 * it passes `limit` bytes. What is left of a refused body is drained by @hono/node-server once
 * the answer is sent. The listeners are shared functions that find their state on the request,
 * so reading a body creates no closures.
 */
export function readIncoming(
  incoming: IncomingMessage,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    ;(incoming as Reading)[READER] = { chunks: [], size: 0, limit, tooLarge, resolve, reject }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

function detach(incoming: Reading): Reader | undefined {
  const reader = incoming[READER]
  if (reader === undefined) return undefined
  incoming[READER] = undefined
  incoming.off('data', onData)
  incoming.off('end', onEnd)
  incoming.off('error', onError)
  incoming.off('close', onClose)
  return reader
}

function onData(this: Reading, chunk: Buffer): void {
  const reader = this[READER]
  if (reader === undefined) return
  reader.size += chunk.length
  if (reader.size <= reader.limit) {
    reader.chunks.push(chunk)
    return
  }
  detach(this)
  reader.reject(reader.tooLarge())
}

function onEnd(this: Reading): void {
  const reader = detach(this)
  if (reader === undefined) return
  const { chunks, size } = reader
  reader.resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
}

function onError(this: Reading, error: Error): void {
  detach(this)?.reject(error)
}

function onClose(this: Reading): void {
  detach(this)?.reject(new Error('the client closed the request before its end'))
}

/** True while nobody reads the Node request yet (no web stream was made of it either). */
export function isUnread(incoming: IncomingMessage): boolean {
  return incoming.readableFlowing === null && !incoming.readableEnded && !incoming.destroyed
}
