import { describe, expect, it } from 'vitest'
import { normalizeTimestamp } from './timestamps.js'

describe('normalizeTimestamp', () => {
  it('returns UTC times unchanged, with the fraction digits as given', () => {
    expect(normalizeTimestamp('2020-02-12T15:15:46.014773143Z')).toBe(
      '2020-02-12T15:15:46.014773143Z',
    )
    expect(normalizeTimestamp('2020-02-12T15:15:45.787Z')).toBe('2020-02-12T15:15:45.787Z')
    expect(normalizeTimestamp('2020-02-12T15:15:45Z')).toBe('2020-02-12T15:15:45Z')
  })

  it('moves offsets to UTC and upper-cases T and Z', () => {
    expect(normalizeTimestamp('2020-02-12T17:15:46.014773143+02:00')).toBe(
      '2020-02-12T15:15:46.014773143Z',
    )
    expect(normalizeTimestamp('2020-12-31T23:30:00.5-01:00')).toBe('2021-01-01T00:30:00.5Z')
    expect(normalizeTimestamp('2020-02-12t15:15:46z')).toBe('2020-02-12T15:15:46Z')
  })

  it('rejects text that is not a valid RFC 3339 time', () => {
    for (const bad of [
      '2020-02-30T00:00:00Z',
      '2019-02-29T00:00:00Z',
      '2020-02-12T24:00:00Z',
      '2020-02-12T15:60:00Z',
      '2020-02-12T15:15:46.0147731431Z',
      '2020-02-12 15:15:46Z',
      '2020-02-12T15:15:46',
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '2020-02-12T15:15:46+24:00',
    ]) {
      expect(normalizeTimestamp(bad), bad).toBeUndefined()
    }
  })

  it('accepts leap days of leap years', () => {
    expect(normalizeTimestamp('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00Z')
  })
})
