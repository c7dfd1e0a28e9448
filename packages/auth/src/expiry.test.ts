import { describe, expect, it } from 'vitest'

import { isExpired } from './expiry.js'

const NOW = new Date('2025-06-01T12:00:00Z')

describe('isExpired', () => {
  it('treats a missing expiry as never expiring', () => {
    expect(isExpired(null, NOW)).toBe(false)
    expect(isExpired(undefined, NOW)).toBe(false)
  })

  it('compares against now, expiring at the exact instant', () => {
    expect(isExpired('2025-06-01T12:00:01Z', NOW)).toBe(false)
    expect(isExpired('2025-06-01T12:00:00Z', NOW)).toBe(true)
    expect(isExpired('2025-06-01T11:59:59.999Z', NOW)).toBe(true)
  })

  it('honours time zone offsets', () => {
    expect(isExpired('2025-06-01T13:30:00+02:00', NOW)).toBe(true)
    expect(isExpired('2025-06-01T13:30:00+01:00', NOW)).toBe(false)
  })

  it('defaults to the current time', () => {
    expect(isExpired(new Date(Date.now() + 60_000).toISOString())).toBe(false)
    expect(isExpired(new Date(Date.now() - 60_000).toISOString())).toBe(true)
  })

  it('fails closed on an unreadable timestamp', () => {
    expect(isExpired('', NOW)).toBe(true)
    expect(isExpired('soon', NOW)).toBe(true)
  })
})
