import { pbkdf2Sync, timingSafeEqual } from 'node:crypto'

import { beforeEach, describe, expect, it, vi } from 'vitest'

import { HASH_ITERATIONS, hashSecret, verifySecret } from './secret-hash.js'

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})

const SECRET = 'Z'.repeat(52)

function replacePart(hash: string, index: number, value: string): string {
  const parts = hash.split('$')
  parts[index] = value
  return parts.join('$')
}

describe('hashSecret', () => {
  it('writes PBKDF2$sha256$20000$<16-char salt>$<32-byte base64url key>', async () => {
    const hash = await hashSecret(SECRET)

    expect(HASH_ITERATIONS).toBe(20_000)
    expect(hash).toMatch(/^PBKDF2\$sha256\$20000\$[A-Za-z0-9]{16}\$[A-Za-z0-9_-]{43}$/)

    const [, , , salt, key] = hash.split('$')
    const expected = pbkdf2Sync(SECRET, salt ?? '', 20_000, 32, 'sha256')
    expect(Buffer.from(key ?? '', 'base64url').equals(expected)).toBe(true)
  })

  it('salts every hash differently', async () => {
    const first = await hashSecret(SECRET)
    const second = await hashSecret(SECRET)

    expect(first).not.toBe(second)
  })
})

describe('verifySecret', () => {
  beforeEach(() => {
    vi.mocked(timingSafeEqual).mockClear()
  })

  it('accepts the secret that was hashed', async () => {
    const hash = await hashSecret(SECRET)

    expect(await verifySecret(SECRET, hash)).toBe(true)
  })

  it('rejects a different secret', async () => {
    const hash = await hashSecret(SECRET)

    expect(await verifySecret('Y'.repeat(52), hash)).toBe(false)
    expect(await verifySecret('', hash)).toBe(false)
  })

  it('compares with crypto.timingSafeEqual', async () => {
    const hash = await hashSecret(SECRET)

    await verifySecret('Y'.repeat(52), hash)

    expect(timingSafeEqual).toHaveBeenCalledTimes(1)
  })

  it('accepts hashes written by TTS with its 1000 rounds', async () => {
    const key = pbkdf2Sync(SECRET, 'abcdefghijklmnop', 1000, 32, 'sha256')
    const hash = `PBKDF2$sha256$1000$abcdefghijklmnop$${key.toString('base64url')}`

    expect(await verifySecret(SECRET, hash)).toBe(true)
  })

  it('rejects a tampered hash', async () => {
    const hash = await hashSecret(SECRET)
    const key = hash.split('$')[4] ?? ''
    const flipped = (key.startsWith('A') ? 'B' : 'A') + key.slice(1)

    expect(await verifySecret(SECRET, replacePart(hash, 4, flipped))).toBe(false)
    expect(await verifySecret(SECRET, replacePart(hash, 2, '20001'))).toBe(false)
    expect(await verifySecret(SECRET, replacePart(hash, 3, 'aaaaaaaaaaaaaaaa'))).toBe(false)
  })

  it('treats malformed stored hashes as a mismatch', async () => {
    const hash = await hashSecret(SECRET)
    const malformed = [
      '',
      'plaintext',
      hash.replace('PBKDF2', 'BCRYPT'),
      replacePart(hash, 1, 'sha1'),
      replacePart(hash, 2, '0'),
      replacePart(hash, 2, '-5'),
      replacePart(hash, 2, '2e4'),
      replacePart(hash, 2, '99999999999'),
      replacePart(hash, 3, ''),
      replacePart(hash, 4, ''),
      replacePart(hash, 4, 'not*base64'),
      replacePart(hash, 4, 'c2hvcnQ'),
      `${hash}$extra`,
      hash.split('$').slice(0, 4).join('$'),
    ]

    for (const stored of malformed) {
      expect(await verifySecret(SECRET, stored), stored).toBe(false)
    }
  })
})
