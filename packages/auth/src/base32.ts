const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding: how TTS spells every part of its tokens. */
export function encodeBase32(bytes: Uint8Array): string {
  let output = ''
  let pending = 0
  let pendingBits = 0

  for (const byte of bytes) {
    pending = (pending << 8) | byte
    pendingBits += 8

    while (pendingBits >= 5) {
      pendingBits -= 5
      output += ALPHABET.charAt((pending >>> pendingBits) & 31)
    }

    pending &= (1 << pendingBits) - 1
  }

  if (pendingBits > 0) output += ALPHABET.charAt((pending << (5 - pendingBits)) & 31)

  return output
}
