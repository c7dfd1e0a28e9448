const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/

/** `baseUrl` → `base_url`; anything that is not lowerCamelCase is returned unchanged. */
export function snakeCase(key: string): string {
  if (!LOWER_CAMEL.test(key)) return key
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/**
 * A copy with object keys in snake_case, as protojson accepts both spellings. The values of
 * `opaque` keys are maps whose keys are data (header names), so they are copied as they are.
 */
export function snakeKeys(value: unknown, opaque: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((item) => snakeKeys(item, opaque))
  if (typeof value !== 'object' || value === null) return value

  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    const name = snakeCase(key)
    out[name] = opaque.has(name) ? inner : snakeKeys(inner, opaque)
  }
  return out
}
