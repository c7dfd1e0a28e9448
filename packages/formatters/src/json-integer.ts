import { randomBytes } from 'node:crypto'

/**
 * Markers of this process: random, so no text a client sends can contain one by chance, and
 * made of characters JSON.stringify leaves as they are.
 */
const PARSE_MARK = `lh-int-${randomBytes(16).toString('base64url')}:`
const EMIT_MARK = `lh-raw-${randomBytes(16).toString('base64url')}:`
const EMITTED = new RegExp(`"${EMIT_MARK}(-?\\d+)"`, 'g')

/** Set while `stringifyJson` runs (it is synchronous), so toJSON knows who asks. */
let emittingRaw = false

/**
 * An integer of a JSON text outside JavaScript's safe range (beyond ±2^53), kept as its exact
 * digits. Where the schema says int64 the normalizer reads the digits (TTS JSON writes those
 * as strings); inside Struct content (decoded payloads) `stringifyJson` writes it back as the
 * number it was. Anywhere else JSON.stringify writes its digits as a string.
 */
export class JsonInteger {
  constructor(readonly digits: string) {}

  toJSON(): string {
    return emittingRaw ? EMIT_MARK + this.digits : this.digits
  }
}

/**
 * A JsonInteger's digits, anything else as it is: what a schema field other than Struct content
 * reads, as protojson reads an int64 given as a string.
 */
export function digitsOf(value: unknown): unknown {
  return value instanceof JsonInteger ? value.digits : value
}

/** The text to put in place of an unsafe integer token before JSON.parse (see `reviveIntegers`). */
export function markedInteger(digits: string): string {
  return `"${PARSE_MARK}${digits}"`
}

/** A JSON.parse reviver that turns the marked integers back into JsonIntegers. */
export function reviveIntegers(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(PARSE_MARK)) {
    return new JsonInteger(value.slice(PARSE_MARK.length))
  }
  return value
}

/** JSON.stringify that writes JsonIntegers as bare numbers with their exact digits. */
export function stringifyJson(value: unknown): string {
  emittingRaw = true
  let text: string
  try {
    text = JSON.stringify(value)
  } finally {
    emittingRaw = false
  }
  return text.includes(EMIT_MARK) ? text.replace(EMITTED, '$1') : text
}
