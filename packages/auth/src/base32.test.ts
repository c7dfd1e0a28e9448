import { describe, expect, it } from 'vitest'

import { encodeBase32 } from './base32.js'

describe('encodeBase32', () => {
  it('matches the RFC 4648 test vectors without padding', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ]

    for (const [input, expected] of vectors) {
      expect(encodeBase32(Buffer.from(input))).toBe(expected)
    }
  })

  it('spells the TTS token type tags', () => {
    expect(encodeBase32(Buffer.from('key'))).toBe('NNSXS')
    expect(encodeBase32(Buffer.from('acc'))).toBe('MFRWG')
    expect(encodeBase32(Buffer.from('ssn'))).toBe('ONZW4')
  })

  it('encodes every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index)

    expect(encodeBase32(all)).toMatch(/^[A-Z2-7]{410}$/)
    expect(encodeBase32(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff))).toBe('77777777')
  })
})
