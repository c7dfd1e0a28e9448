const SCHEME = 'PBKDF2'
const DIGEST = 'sha256'
const ITERATIONS_PATTERN = /^[1-9][0-9]*$/
const KEY_PATTERN = /^[A-Za-z0-9_-]+$/
const MIN_KEY_BYTES = 16
const MAX_KEY_BYTES = 64

/**
 * A row is trusted data, but a corrupted or hand-edited one must not pin a thread-pool worker
 * for minutes; a million rounds is still far beyond anything we or TTS write.
 */
export const MAX_ITERATIONS = 1_000_000

export interface HashParameters {
  iterations: number
  salt: string
  key: Buffer
}

/** `PBKDF2$sha256$<iterations>$<salt>$<base64url-no-pad key>`, the layout TTS stores. */
export function formatHash({ iterations, salt, key }: HashParameters): string {
  return [SCHEME, DIGEST, String(iterations), salt, key.toString('base64url')].join('$')
}

export function parseHash(stored: string): HashParameters | undefined {
  const parts = stored.split('$')
  if (parts.length !== 5) return undefined

  const [scheme, digest, iterationsText, salt, encodedKey] = parts
  if (scheme !== SCHEME || digest !== DIGEST) return undefined
  if (iterationsText === undefined || !ITERATIONS_PATTERN.test(iterationsText)) return undefined
  if (salt === undefined || salt === '') return undefined
  if (encodedKey === undefined || !KEY_PATTERN.test(encodedKey)) return undefined

  const iterations = Number(iterationsText)
  if (iterations > MAX_ITERATIONS) return undefined

  const key = Buffer.from(encodedKey, 'base64url')
  if (key.toString('base64url') !== encodedKey) return undefined
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) return undefined

  return { iterations, salt, key }
}
