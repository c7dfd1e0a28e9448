/** Delays before attempt 2, 3, …; the last one repeats until the maximum age is reached. */
export const RETRY_DELAYS_MS = [
  1_000, 5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 60 * 60_000,
]

/**
 * When to try again after `attempt` failed attempts, or undefined when the delivery is older
 * than `maxAgeMs` and becomes a dead letter. Jitter of ±20 % spreads retries of many
 * deliveries that failed together.
 */
export function nextAttemptAt(
  attempt: number,
  createdAt: number,
  now: number,
  maxAgeMs: number,
  random: () => number = Math.random,
): number | undefined {
  const base = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)] ?? 1000
  const delay = Math.round(base * (0.8 + random() * 0.4))
  const at = now + delay
  return at - createdAt > maxAgeMs ? undefined : at
}
