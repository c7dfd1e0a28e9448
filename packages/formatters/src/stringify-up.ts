import { stringifyJson } from './json-integer.js'
import type { CanonicalUp } from './normalize/normalize-application-up.js'

/**
 * The JSON text of a canonical ApplicationUp. Canonical values are already in TTS JSON form
 * (64-bit integers as strings, bytes as base64 or hex), so plain serialization is exact; an
 * integer beyond ±2^53 in a decoded payload is written back as the number it was sent as.
 */
export function stringifyUp(up: CanonicalUp): string {
  return stringifyJson(up)
}
