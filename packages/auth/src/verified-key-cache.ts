import { createHash, timingSafeEqual } from 'node:crypto'

import { verifySecret } from './secret-hash.js'

export interface VerifiedKeyCacheOptions {
  maxEntries?: number
  ttlMs?: number
}

interface Entry {
  storedHash: string
  secretDigest: Buffer
  expiresAt: number
}

const DEFAULT_MAX_ENTRIES = 10_000
const DEFAULT_TTL_MS = 5 * 60_000

// A digest rather than the secret itself, so long-lived memory never holds a usable key.
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}

/**
 * Remembers successful verifications so the API does not pay PBKDF2 on every request. Entries
 * are keyed by key id and hold the stored hash they were checked against plus a SHA-256 of the
 * secret; a hit needs both to match, so a deleted, rotated or changed key never hits.
 */
export class VerifiedKeyCache {
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number
  readonly #ttlMs: number

  constructor(options: VerifiedKeyCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
    const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer')
    }
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be positive')

    this.#maxEntries = maxEntries
    this.#ttlMs = ttlMs
  }

  async verify(id: string, secret: string, storedHash: string): Promise<boolean> {
    const secretDigest = digest(secret)
    if (this.#hit(id, secretDigest, storedHash)) return true

    const valid = await verifySecret(secret, storedHash)
    if (valid) this.#remember(id, { storedHash, secretDigest, expiresAt: Date.now() + this.#ttlMs })

    return valid
  }

  #hit(id: string, secretDigest: Buffer, storedHash: string): boolean {
    const entry = this.#entries.get(id)
    if (!entry) return false

    if (entry.expiresAt <= Date.now() || entry.storedHash !== storedHash) {
      this.#entries.delete(id)
      return false
    }

    // A wrong secret leaves the entry alone: guessing must not evict the real key's entry.
    if (!timingSafeEqual(entry.secretDigest, secretDigest)) return false

    // Map keeps insertion order; re-inserting marks the entry as most recently used.
    this.#entries.delete(id)
    this.#entries.set(id, entry)
    return true
  }

  #remember(id: string, entry: Entry): void {
    this.#entries.delete(id)
    this.#entries.set(id, entry)

    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done) break
      this.#entries.delete(oldest.value)
    }
  }
}
