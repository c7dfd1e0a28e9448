import { setTimeout as sleep } from 'node:timers/promises'

import { beforeEach, describe, expect, it, vi } from 'vitest'

import { generateApiKey } from './api-key.js'
import { hashSecret, verifySecret } from './secret-hash.js'
import { VerifiedKeyCache } from './verified-key-cache.js'

vi.mock('./secret-hash.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./secret-hash.js')>()
  return { ...actual, verifySecret: vi.fn(actual.verifySecret) }
})

const pbkdf2Checks = vi.mocked(verifySecret)

async function storedKey(): Promise<{ id: string; secret: string; hash: string }> {
  const { id, secret } = generateApiKey()
  return { id, secret, hash: await hashSecret(secret) }
}

describe('VerifiedKeyCache', () => {
  beforeEach(() => {
    pbkdf2Checks.mockClear()
  })

  it('pays PBKDF2 only on the first successful verification', async () => {
    const cache = new VerifiedKeyCache()
    const { id, secret, hash } = await storedKey()

    expect(await cache.verify(id, secret, hash)).toBe(true)
    expect(await cache.verify(id, secret, hash)).toBe(true)
    expect(await cache.verify(id, secret, hash)).toBe(true)

    expect(pbkdf2Checks).toHaveBeenCalledTimes(1)
  })

  it('never remembers a failed verification', async () => {
    const cache = new VerifiedKeyCache()
    const { id, hash } = await storedKey()
    const wrong = generateApiKey().secret

    expect(await cache.verify(id, wrong, hash)).toBe(false)
    expect(await cache.verify(id, wrong, hash)).toBe(false)

    expect(pbkdf2Checks).toHaveBeenCalledTimes(2)
  })

  it('does not let a wrong secret ride on a cached id', async () => {
    const cache = new VerifiedKeyCache()
    const { id, secret, hash } = await storedKey()
    await cache.verify(id, secret, hash)

    expect(await cache.verify(id, generateApiKey().secret, hash)).toBe(false)
    expect(await cache.verify(id, secret, hash)).toBe(true)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(2)
  })

  it('refuses the old secret once the stored hash changed (rotated key)', async () => {
    const cache = new VerifiedKeyCache()
    const old = await storedKey()
    await cache.verify(old.id, old.secret, old.hash)

    const rotatedSecret = generateApiKey().secret
    const rotatedHash = await hashSecret(rotatedSecret)

    expect(await cache.verify(old.id, old.secret, rotatedHash)).toBe(false)
    expect(await cache.verify(old.id, rotatedSecret, rotatedHash)).toBe(true)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(3)
  })

  it('re-checks when the same secret was re-hashed', async () => {
    const cache = new VerifiedKeyCache()
    const { id, secret, hash } = await storedKey()
    await cache.verify(id, secret, hash)

    expect(await cache.verify(id, secret, await hashSecret(secret))).toBe(true)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(2)
  })

  it('forgets entries after the TTL', async () => {
    const cache = new VerifiedKeyCache({ ttlMs: 40 })
    const { id, secret, hash } = await storedKey()
    await cache.verify(id, secret, hash)
    await cache.verify(id, secret, hash)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(1)

    await sleep(60)

    expect(await cache.verify(id, secret, hash)).toBe(true)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(2)
  })

  it('evicts the least recently used entry when full', async () => {
    const cache = new VerifiedKeyCache({ maxEntries: 2 })
    const [first, second, third] = await Promise.all([storedKey(), storedKey(), storedKey()])
    if (!first || !second || !third) throw new Error('keys missing')

    await cache.verify(first.id, first.secret, first.hash)
    await cache.verify(second.id, second.secret, second.hash)
    await cache.verify(first.id, first.secret, first.hash)
    await cache.verify(third.id, third.secret, third.hash)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(3)

    await cache.verify(first.id, first.secret, first.hash)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(3)

    await cache.verify(second.id, second.secret, second.hash)
    expect(pbkdf2Checks).toHaveBeenCalledTimes(4)
  })

  it('rejects nonsensical options', () => {
    expect(() => new VerifiedKeyCache({ maxEntries: 0 })).toThrow(RangeError)
    expect(() => new VerifiedKeyCache({ maxEntries: 1.5 })).toThrow(RangeError)
    expect(() => new VerifiedKeyCache({ ttlMs: 0 })).toThrow(RangeError)
  })
})
