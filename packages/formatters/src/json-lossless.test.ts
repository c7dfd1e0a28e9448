import { LorahooksError } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { parseJsonLossless } from './json-lossless.js'

function decodeError(run: () => unknown): LorahooksError {
  try {
    run()
  } catch (error) {
    if (error instanceof LorahooksError) return error
    throw error
  }
  throw new Error('expected a LorahooksError')
}

describe('parseJsonLossless', () => {
  it('parses text without long digit runs exactly like JSON.parse', () => {
    const text = '{"a":[1,-2.5,true,null,"x"],"b":{"c":123456789012345}}'
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text))
  })

  it('returns integers beyond 2^53 as strings of their exact digits', () => {
    const parsed = parseJsonLossless(
      '{"fine":9007199254740993,"neg":-9223372036854775808,"list":[18446744073709551615]}',
    )
    expect(parsed).toEqual({
      fine: '9007199254740993',
      neg: '-9223372036854775808',
      list: ['18446744073709551615'],
    })
  })

  it('keeps safe integers with 16 digits as numbers', () => {
    expect(parseJsonLossless('[9007199254740991,1000000000000000]')).toEqual([
      9007199254740991, 1000000000000000,
    ])
    expect(parseJsonLossless('[9007199254740992]')).toEqual(['9007199254740992'])
  })

  it('leaves floats, strings and keys with long digit runs alone', () => {
    const parsed = parseJsonLossless(
      '{"12345678901234567890":"98765432109876543210","f":1.2345678901234567,"e":1e25}',
    )
    expect(parsed).toEqual({
      '12345678901234567890': '98765432109876543210',
      f: 1.2345678901234567,
      e: 1e25,
    })
  })

  it('does not confuse escaped quotes inside strings with string ends', () => {
    const parsed = parseJsonLossless('{"s":"a\\"12345678901234567890","n":12345678901234567890}')
    expect(parsed).toEqual({ s: 'a"12345678901234567890', n: '12345678901234567890' })

    const endsInBackslash = parseJsonLossless('{"s":"x\\\\","n":12345678901234567890}')
    expect(endsInBackslash).toEqual({ s: 'x\\', n: '12345678901234567890' })
  })

  it('throws decode_body for invalid JSON', () => {
    const error = decodeError(() => parseJsonLossless('{"a":'))
    expect(error.errorName).toBe('decode_body')
    expect(error.httpStatus).toBe(400)
  })

  it('keeps invalid JSON invalid when it contains long integers', () => {
    expect(decodeError(() => parseJsonLossless('{12345678901234567890:1}')).errorName).toBe(
      'decode_body',
    )
    expect(decodeError(() => parseJsonLossless('[012345678901234567890]')).errorName).toBe(
      'decode_body',
    )
    expect(decodeError(() => parseJsonLossless('{"a":1,12345678901234567890:2}')).errorName).toBe(
      'decode_body',
    )
  })
})
