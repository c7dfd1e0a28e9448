import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { invalidArgument } from '@lorahooks/core'
import { PayloadTooLargeError } from './errors.js'

type Decoder = (body: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>

/** The codings a client may compress a request body with (RFC 9110's names). */
const DECODERS: Record<string, Decoder> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress) as Decoder,
}

function unsupported(coding: string) {
  const supported = ['identity', ...Object.keys(DECODERS)].join(', ')
  return invalidArgument(
    'pkg/web',
    'unsupported_content_encoding',
    `Content-Encoding \`${coding}\` is not supported; supported: ${supported}`,
    { content_encoding: coding },
  )
}

function undecodable(coding: string, reason: string) {
  return invalidArgument(
    'pkg/web',
    'decode_body',
    `the request body is not valid ${coding} data: ${reason}`,
    { field: 'body', content_encoding: coding },
  )
}

/** Runs at most `size` tasks at once; the others wait their turn in arrival order. */
export class TaskSlots {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.running++
    try {
      return await task()
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }
}

/**
 * Each decode may hold up to the body limit (16–32 MiB) before it is refused: 40 bombs decoded at
 * once took the API from 77 to ~740 MB. Two at a time bound that; a decode takes milliseconds.
 */
const decodes = new TaskSlots(2)

/**
 * The body with its Content-Encoding undone. The decoded size counts against the same limit as a
 * plain body, so a small compressed body cannot inflate past it (a zip bomb stops at the limit).
 */
export function decodeContent(
  body: Uint8Array,
  header: string | undefined,
  limit: number,
): Promise<Uint8Array> {
  return decodes.run(() => decodeAll(body, header, limit))
}

async function decodeAll(
  body: Uint8Array,
  header: string | undefined,
  limit: number,
): Promise<Uint8Array> {
  // Codings apply in the order listed, so they are undone from the last one.
  const codings = (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse()
  let decoded = body
  for (const coding of codings) {
    const decode = DECODERS[coding]
    if (!decode) throw unsupported(coding)
    try {
      decoded = await decode(decoded, { maxOutputLength: limit })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PayloadTooLargeError(limit)
      }
      throw undecodable(coding, error instanceof Error ? error.message : String(error))
    }
  }
  return decoded
}
