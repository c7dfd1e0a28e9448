import { describe, expect, it } from 'vitest'
import { nextAttemptAt, parseRetryAfter, type RetryPolicy } from './retry-policy.js'

const T0 = 1_700_000_000_000
const POLICY: RetryPolicy = { scheduleMs: [1_000, 5_000, 30_000], maxAgeMs: 3_600_000 }
const middle = () => 0.5

describe('nextAttemptAt', () => {
  it('follows the schedule and repeats its last step', () => {
    const delayOf = (attempt: number) =>
      nextAttemptAt(POLICY, attempt, T0, T0, undefined, middle)! - T0
    const delays = [1, 2, 3, 4, 5].map(delayOf)
    expect(delays).toEqual([1_000, 5_000, 30_000, 30_000, 30_000])
  })

  it('spreads a step by ±20 %', () => {
    expect(nextAttemptAt(POLICY, 2, T0, T0, undefined, () => 0)).toBe(T0 + 4_000)
    expect(nextAttemptAt(POLICY, 2, T0, T0, undefined, () => 0.999_999)).toBe(T0 + 6_000)
  })

  it('makes a dead letter of a retry that would start past the maximum age', () => {
    expect(nextAttemptAt(POLICY, 3, T0, T0 + 3_570_000, undefined, middle)).toBe(T0 + 3_600_000)
    expect(nextAttemptAt(POLICY, 3, T0, T0 + 3_570_001, undefined, middle)).toBeUndefined()
  })

  it('lets Retry-After replace the step, clamped to [1 s, 1 h]', () => {
    expect(nextAttemptAt(POLICY, 1, T0, T0, 7_000, middle)).toBe(T0 + 7_000)
    expect(nextAttemptAt(POLICY, 3, T0, T0, 2_000, middle)).toBe(T0 + 2_000)
    expect(nextAttemptAt(POLICY, 1, T0, T0, 0, middle)).toBe(T0 + 1_000)
    const long = { ...POLICY, maxAgeMs: 10 * 3_600_000 }
    expect(nextAttemptAt(long, 1, T0, T0, 5 * 3_600_000, middle)).toBe(T0 + 3_600_000)
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000)
    expect(parseRetryAfter(new Date(T0 + 30_000).toUTCString(), T0)).toBe(30_000)
    expect(parseRetryAfter(new Date(T0 - 30_000).toUTCString(), T0)).toBe(0)
  })

  it('ignores anything else', () => {
    expect(parseRetryAfter('soon', T0)).toBeUndefined()
    expect(parseRetryAfter('1.5', T0)).toBeUndefined()
    expect(parseRetryAfter('-5', T0)).toBeUndefined()
  })
})
