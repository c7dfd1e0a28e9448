import { LorahooksError } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { JsonInteger } from './json-integer.js'
import { MAX_JSON_DEPTH, parseJson, parseJsonLossless } from './json-lossless.js'

const big = (digits: string) => new JsonInteger(digits)

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

  it('returns integers beyond 2^53 as JsonIntegers of their exact digits', () => {
    const parsed = parseJsonLossless(
      '{"fine":9007199254740993,"neg":-9223372036854775808,"list":[18446744073709551615]}',
    )
    expect(parsed).toEqual({
      fine: big('9007199254740993'),
      neg: big('-9223372036854775808'),
      list: [big('18446744073709551615')],
    })
  })

  it('keeps safe integers with 16 digits as numbers', () => {
    expect(parseJsonLossless('[9007199254740991,1000000000000000]')).toEqual([
      9007199254740991, 1000000000000000,
    ])
    expect(parseJsonLossless('[9007199254740992]')).toEqual([big('9007199254740992')])
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
    expect(parsed).toEqual({ s: 'a"12345678901234567890', n: big('12345678901234567890') })

    const endsInBackslash = parseJsonLossless('{"s":"x\\\\","n":12345678901234567890}')
    expect(endsInBackslash).toEqual({ s: 'x\\', n: big('12345678901234567890') })
  })

  it('finds long integers at every place a value can start', () => {
    const text = '12345678901234567890'
    expect(parseJsonLossless(text)).toEqual(big(text))
    expect(parseJsonLossless(` \n-${text}`)).toEqual(big(`-${text}`))
    expect(parseJsonLossless(`{"a":[1, ${text}],"b": \t${text},"c":"${text}"}`)).toEqual({
      a: [1, big(text)],
      b: big(text),
      c: text,
    })
  })

  it('throws decode_body for invalid JSON', () => {
    const error = decodeError(() => parseJsonLossless('{"a":'))
    expect(error.errorName).toBe('decode_body')
    expect(error.httpStatus).toBe(400)
  })

  it('refuses numbers beyond a float64 instead of turning them into null', () => {
    for (const text of ['{"t":1e400}', '[-1.5E+309]', `{"n":${'9'.repeat(400)}.5}`]) {
      const error = decodeError(() => parseJsonLossless(text))
      expect(error.errorName).toBe('decode_body')
      expect(error.message).toContain('beyond the range of a 64-bit float')
    }
    // Strings, large but finite exponents and underflow to zero stay as JSON.parse has them.
    const fine = '{"s":"1e400","big":1.7e308,"tiny":1e-400,"x":2E100}'
    expect(parseJsonLossless(fine)).toEqual(JSON.parse(fine))
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

describe('the JSON depth limit', () => {
  const nested = (depth: number, open = '{"a":', close = '}') =>
    open.repeat(depth - 1) + '{}' + close.repeat(depth - 1)

  it('accepts exactly MAX_JSON_DEPTH levels of objects and arrays', () => {
    expect(parseJsonLossless(nested(MAX_JSON_DEPTH))).toBeTypeOf('object')
    expect(parseJson(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeTruthy()
  })

  it.each([MAX_JSON_DEPTH + 1, 6_000, 100_000])('refuses %i levels naming the maximum', (depth) => {
    for (const parse of [parseJsonLossless, parseJson]) {
      const error = decodeError(() => parse(nested(depth)))
      expect(error.errorName).toBe('decode_body')
      expect(error.httpStatus).toBe(400)
      expect(error.message).toContain(`maximum depth of ${MAX_JSON_DEPTH}`)
      expect(error.attributes['max_depth']).toBe(MAX_JSON_DEPTH)
    }
  })

  it('does not count brackets inside strings, escaped quotes included', () => {
    const brackets = '[{'.repeat(500)
    const value = { a: brackets, b: '\\', c: `\\"${brackets}`, d: [1] }
    const text = JSON.stringify(value)
    expect(text).toContain('\\\\\\"')
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text))
  })

  it('is checked before parsing, so invalid deep JSON is refused for its depth', () => {
    const error = decodeError(() => parseJsonLossless('['.repeat(100)))
    expect(error.message).toContain('maximum depth')
  })
})
