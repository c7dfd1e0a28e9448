import { randomBytes } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

let lastTime = -1
let lastRandom = new Uint8Array(10)

function incrementRandom(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const next = (bytes[i] ?? 0) + 1
    bytes[i] = next & 0xff
    if (next <= 0xff) return
  }
}

function encodeTime(time: number): string {
  let out = ''
  let rest = time
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out
    rest = Math.floor(rest / 32)
  }
  return out
}

function encodeRandom(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += CROCKFORD[(buffer >> bits) & 31]
    }
  }
  return out
}

/**
 * A ULID (26 chars, Crockford base32), as TTS uses in correlation IDs. IDs made in the same
 * millisecond by this process increase monotonically, so they sort in creation order.
 */
export function newUlid(now: number = Date.now()): string {
  if (now === lastTime) {
    incrementRandom(lastRandom)
  } else {
    lastTime = now
    lastRandom = new Uint8Array(randomBytes(10))
  }
  return encodeTime(now) + encodeRandom(lastRandom)
}
