import { describe, expect, it } from 'vitest'
import { BYTES_CODEC, hexCodec } from './bytes.js'
import { Problem } from './codec.js'
import { INT32_CODEC, INT64_CODEC, UINT32_CODEC, UINT64_CODEC } from './integers.js'
import { FLOAT_CODEC } from './simple-scalars.js'
import { DURATION_CODEC } from './timestamps.js'

describe('64-bit integer codecs', () => {
  it('write exact decimal strings', () => {
    expect(UINT64_CODEC.parse(867700000)).toBe('867700000')
    expect(UINT64_CODEC.parse('9007199254740993')).toBe('9007199254740993')
    expect(UINT64_CODEC.parse('18446744073709551615')).toBe('18446744073709551615')
    expect(INT64_CODEC.parse('-9223372036854775808')).toBe('-9223372036854775808')
    expect(UINT64_CODEC.parse('007')).toBe('7')
  })

  it('reject values out of range, fractions and unsafe JS numbers', () => {
    expect(UINT64_CODEC.parse('18446744073709551616')).toBeInstanceOf(Problem)
    expect(INT64_CODEC.parse('9223372036854775808')).toBeInstanceOf(Problem)
    expect(UINT64_CODEC.parse(-1)).toBeInstanceOf(Problem)
    expect(UINT64_CODEC.parse('-1')).toBeInstanceOf(Problem)
    expect(UINT64_CODEC.parse(1.5)).toBeInstanceOf(Problem)
    expect(UINT64_CODEC.parse(2 ** 60)).toBeInstanceOf(Problem)
    expect(UINT64_CODEC.parse(true)).toBeInstanceOf(Problem)
  })

  it('treat "0" as the zero value', () => {
    expect(UINT64_CODEC.isZero(UINT64_CODEC.parse(0))).toBe(true)
  })
})

describe('32-bit integer codecs', () => {
  it('accept numbers and decimal strings and write numbers', () => {
    expect(UINT32_CODEC.parse(4036323499)).toBe(4036323499)
    expect(UINT32_CODEC.parse('70000')).toBe(70000)
    expect(INT32_CODEC.parse(-12)).toBe(-12)
  })

  it('reject values out of range and non-integers', () => {
    expect(UINT32_CODEC.parse(2 ** 32)).toBeInstanceOf(Problem)
    expect(UINT32_CODEC.parse(-1)).toBeInstanceOf(Problem)
    expect(INT32_CODEC.parse(2 ** 31)).toBeInstanceOf(Problem)
    expect(UINT32_CODEC.parse(1.5)).toBeInstanceOf(Problem)
    expect(UINT32_CODEC.parse('1.5')).toBeInstanceOf(Problem)
  })
})

describe('FLOAT_CODEC', () => {
  it('keeps numbers as given and accepts protojson strings', () => {
    expect(FLOAT_CODEC.parse(5.2)).toBe(5.2)
    expect(FLOAT_CODEC.parse('-35.5')).toBe(-35.5)
    expect(FLOAT_CODEC.parse('NaN')).toBe('NaN')
    expect(FLOAT_CODEC.parse('abc')).toBeInstanceOf(Problem)
    expect(FLOAT_CODEC.parse(1e39)).toBeInstanceOf(Problem)
  })
})

describe('BYTES_CODEC', () => {
  it('keeps standard base64 and re-encodes base64url or unpadded input', () => {
    expect(BYTES_CODEC.parse('AQID')).toBe('AQID')
    expect(BYTES_CODEC.parse('-_8')).toBe('+/8=')
    expect(BYTES_CODEC.parse('vu8')).toBe('vu8=')
    expect(BYTES_CODEC.parse('ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk')).toBe(
      'ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk=',
    )
  })

  it('rejects text that is not base64', () => {
    for (const bad of ['A', 'AQI=A', '@@@@', 'AQ==A', 'vu8==', 42]) {
      expect(BYTES_CODEC.parse(bad), String(bad)).toBeInstanceOf(Problem)
    }
  })
})

describe('hexCodec', () => {
  it('upper-cases hex of the exact length and keeps empty as zero', () => {
    const eui = hexCodec(8)
    expect(eui.parse('70b3d57ed0000001')).toBe('70B3D57ED0000001')
    expect(eui.isZero(eui.parse(''))).toBe(true)
    expect(eui.parse('70B3D57ED00000')).toBeInstanceOf(Problem)
    expect(eui.parse('70B3D57ED000000G')).toBeInstanceOf(Problem)
  })
})

describe('DURATION_CODEC', () => {
  it('accepts protojson durations and rejects others', () => {
    expect(DURATION_CODEC.parse('0.061696s')).toBe('0.061696s')
    expect(DURATION_CODEC.parse('-1.5s')).toBe('-1.5s')
    expect(DURATION_CODEC.parse('61ms')).toBeInstanceOf(Problem)
    expect(DURATION_CODEC.parse(0.061696)).toBeInstanceOf(Problem)
    expect(DURATION_CODEC.parse('315576000001s')).toBeInstanceOf(Problem)
  })
})
