import { pbkdf2, randomInt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

import { formatHash, parseHash } from './hash-format.js'

const derive = promisify(pbkdf2)

/**
 * TTS hashes API key secrets with 1000 rounds. We use 20000 (what TTS uses for passwords) so
 * every guess against a leaked database costs twenty times more; the per-request price is paid
 * only once per key thanks to VerifiedKeyCache.
 */
export const HASH_ITERATIONS = 20_000

const KEY_BYTES = 32
const SALT_LENGTH = 16
const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomSalt(): string {
  let salt = ''
  for (let index = 0; index < SALT_LENGTH; index++) {
    salt += SALT_ALPHABET.charAt(randomInt(SALT_ALPHABET.length))
  }
  return salt
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomSalt()
  const key = await derive(secret, salt, HASH_ITERATIONS, KEY_BYTES, 'sha256')

  return formatHash({ iterations: HASH_ITERATIONS, salt, key })
}

/** True only if `secret` derives the stored key; a malformed stored hash is simply a mismatch. */
export async function verifySecret(secret: string, storedHash: string): Promise<boolean> {
  const stored = parseHash(storedHash)
  if (!stored) return false

  try {
    const { salt, iterations, key } = stored
    const derived = await derive(secret, salt, iterations, key.length, 'sha256')
    return timingSafeEqual(derived, key)
  } catch {
    return false
  }
}
