import { decodeBodyError } from './decode-body-error.js'
import { markedInteger, reviveIntegers } from './json-integer.js'

/**
 * What makes the scan worth running, in one pass over the text (most bodies have neither):
 * a number token of 16 digits or more (integers of 15 or fewer are always safe), or an exponent
 * of three digits or more (the number may be beyond a float's range). A number token starts the
 * text or follows `:`, `,` or `[` (and maybe whitespace), so long digit runs inside strings, such
 * as 64-bit IDs sent as strings, do not force the scan; the pattern may still match inside a
 * string, which only costs the scan.
 */
const NEEDS_SCAN = /(?:^|[:,[])\s*-?\d{16}|\d[eE]\+?\d{3}/
const CANONICAL_INTEGER = /^-?(?:0|[1-9]\d*)$/

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

/** Digits and `.`, `e`, `E`, `+`, `-`: every character a JSON number token can hold. */
const NUMBER_SIGNS = new Set([0x2e, 0x65, 0x45, 0x2b, MINUS])

function isNumberChar(code: number): boolean {
  return isDigit(code) || NUMBER_SIGNS.has(code)
}

function isEscaped(text: string, quoteIndex: number): boolean {
  let backslashes = 0
  for (let i = quoteIndex - 1; text.charCodeAt(i) === BACKSLASH; i--) backslashes++
  return backslashes % 2 === 1
}

/** Index just past the string literal that starts at `start` (a quote). */
function skipString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1)
  while (quote !== -1 && isEscaped(text, quote)) quote = text.indexOf('"', quote + 1)
  return quote === -1 ? text.length : quote + 1
}

function isUnsafeInteger(token: string): boolean {
  return CANONICAL_INTEGER.test(token) && !Number.isSafeInteger(Number(token))
}

/**
 * A number JSON.parse would turn into Infinity, which JSON.stringify then writes as null: the
 * value would reach receivers changed. TTS's JSON decoding refuses it too.
 */
function refuseOutOfRange(token: string): void {
  if (Math.abs(Number(token)) !== Infinity) return
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token
  throw decodeBodyError(`number ${shown} is beyond the range of a 64-bit float`, { number: shown })
}

/**
 * The JSON text with every integer value outside the safe range turned into a marked string
 * literal, for `reviveIntegers`. Object keys are never touched, so invalid JSON stays invalid.
 * Refuses numbers beyond a float's range.
 */
function quoteUnsafeIntegers(text: string): string {
  const containers: number[] = []
  let expectKey = false
  let out = ''
  let copiedUpTo = 0
  let i = 0

  while (i < text.length) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      i = skipString(text, i)
      continue
    }
    if (code === MINUS || isDigit(code)) {
      const start = i
      while (i < text.length && isNumberChar(text.charCodeAt(i))) i++
      const token = text.slice(start, i)
      if (expectKey) continue
      if (isUnsafeInteger(token)) {
        out += text.slice(copiedUpTo, start) + markedInteger(token)
        copiedUpTo = i
      } else {
        refuseOutOfRange(token)
      }
      continue
    }

    if (code === OPEN_OBJECT) {
      containers.push(code)
      expectKey = true
    } else if (code === OPEN_ARRAY) {
      containers.push(code)
      expectKey = false
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      containers.pop()
      expectKey = false
    } else if (code === COMMA) {
      expectKey = containers[containers.length - 1] === OPEN_OBJECT
    } else if (code === COLON) {
      expectKey = false
    }
    i++
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo)
}

/**
 * The deepest nesting of objects and arrays lorahooks accepts in a JSON text. Every walk over
 * parsed JSON (normalizing, copying, snake_casing) recurses, so without a limit a body nested
 * 100,000 deep overflows the stack. protobuf's default recursion limit is 100; lorahooks takes
 * 64, which leaves room under it for the envelope around a payload, and no TTS message or
 * decoded payload of a real codec comes close.
 */
export const MAX_JSON_DEPTH = 64

/** True when the JSON text nests objects and arrays deeper than `max`; strings are skipped. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      i = skipString(text, i) - 1
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > max) return true
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--
    }
  }
  return false
}

/**
 * Refuses a JSON text nested deeper than MAX_JSON_DEPTH with a `decode_body` LorahooksError,
 * before anything recursive sees it. One pass without recursion, so the check cannot overflow.
 */
export function checkJsonDepth(text: string): void {
  if (!nestsDeeperThan(text, MAX_JSON_DEPTH)) return
  const message = `JSON nested deeper than the maximum depth of ${MAX_JSON_DEPTH} levels`
  throw decodeBodyError(message, { max_depth: MAX_JSON_DEPTH })
}

/** JSON.parse behind the depth check, for bodies that need no 64-bit integers. */
export function parseJson(text: string): unknown {
  checkJsonDepth(text)
  return JSON.parse(text)
}

/**
 * JSON.parse that keeps 64-bit integers exact: integers outside the safe range come back as
 * JsonIntegers holding their digits. Throws a `decode_body` LorahooksError for invalid JSON,
 * JSON nested deeper than MAX_JSON_DEPTH, or a number beyond a 64-bit float's range.
 */
export function parseJsonLossless(text: string): unknown {
  checkJsonDepth(text)
  const prepared = NEEDS_SCAN.test(text) ? quoteUnsafeIntegers(text) : text
  try {
    // The reviver visits every value, so it only runs when there is something to revive.
    return prepared === text ? JSON.parse(text) : JSON.parse(prepared, reviveIntegers)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw decodeBodyError(`invalid JSON: ${detail}`, { detail })
  }
}
