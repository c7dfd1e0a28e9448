import { decodeBodyError } from './decode-body-error.js'
import { downlinkWithSnakeCaseKeys } from './downlink-keys.js'
import type { Formatter } from './formatter.js'
import { checkJsonDepth, parseJsonLossless } from './json-lossless.js'
import { isPlainObject } from './normalize/json-value.js'
import { stringifyUp } from './stringify-up.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })

const NOT_JSON = 'the body is not valid JSON for a json webhook'

function decodeText(body: Uint8Array): string {
  try {
    return utf8.decode(body)
  } catch {
    throw decodeBodyError(NOT_JSON, { detail: 'the body is not UTF-8 text' })
  }
}

function parseBody(body: Uint8Array): unknown {
  const text = decodeText(body)
  // Outside the try, so that the answer names the depth limit rather than "not valid JSON".
  checkJsonDepth(text)
  try {
    return parseJsonLossless(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw decodeBodyError(NOT_JSON, { detail })
  }
}

function decodeDownlinks(body: Uint8Array): { downlinks: unknown[] } {
  const parsed = parseBody(body)
  if (!isPlainObject(parsed)) {
    throw decodeBodyError('the body must be a JSON object like {"downlinks":[...]}')
  }

  // protojson reads a missing or null list as an empty one.
  const list = parsed.downlinks ?? []
  if (!Array.isArray(list)) throw decodeBodyError('`downlinks` must be a list')
  return { downlinks: list.map(downlinkWithSnakeCaseKeys) }
}

/** The `json` format: TTS JSON bodies, `Content-Type: application/json`. */
export const jsonFormatter: Formatter = {
  name: 'json',
  contentType: 'application/json',
  encodeUp: (up) => Buffer.from(stringifyUp(up), 'utf8'),
  decodeDownlinks,
}
