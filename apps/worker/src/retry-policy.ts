export interface RetryPolicy {
  /** Delays before attempt 2, 3, …; the last one repeats until the maximum age is reached. */
  scheduleMs: readonly number[]
  /** A retry that would start later than this after acceptance is not made: a dead letter. */
  maxAgeMs: number
}

export const DEFAULT_RETRY_SCHEDULE = '1s,5s,30s,2m,10m,30m,1h,2h'

/** Bounds of a receiver's Retry-After: never hammer it, never park a delivery for hours. */
export const RETRY_AFTER_MIN_MS = 1_000
export const RETRY_AFTER_MAX_MS = 60 * 60_000

/** Scheduled delays vary by ±20 % so that deliveries failing together do not retry together. */
const JITTER = 0.2

/**
 * When to try again after the failed attempt number `attempt`, or undefined when that would be
 * past the maximum age and the delivery becomes a dead letter. A Retry-After from the receiver
 * replaces the scheduled delay, clamped to [1 s, 1 h] and without jitter.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempt: number,
  createdAt: number,
  now: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  let delay: number
  if (retryAfterMs !== undefined) {
    delay = Math.min(Math.max(retryAfterMs, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS)
  } else {
    const schedule = policy.scheduleMs
    const base = schedule[Math.min(attempt - 1, schedule.length - 1)] ?? RETRY_AFTER_MIN_MS
    delay = Math.round(base * (1 - JITTER + random() * 2 * JITTER))
  }
  const at = now + delay
  return at - createdAt > policy.maxAgeMs ? undefined : at
}

/**
 * A Retry-After header value in milliseconds from `now`: delay-seconds or an HTTP date. Values
 * that are neither are ignored.
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // Every HTTP date format starts with the day name; Date.parse alone accepts far more.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(date - now, 0)
}
