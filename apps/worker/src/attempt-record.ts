import { attemptBase, type AttemptRecord, type ClaimedDelivery } from '@lorahooks/db'
import { failureDetails } from './failure-details.js'
import type { AttemptResult } from './http-sender.js'
import { nextAttemptAt, type RetryPolicy } from './retry-policy.js'

/** What an HTTP attempt means: delivered, retried later, or a dead letter past the max age. */
export function attemptRecord(
  delivery: ClaimedDelivery,
  url: string,
  startedAt: number,
  result: AttemptResult,
  retry: RetryPolicy,
  now: number,
  random?: () => number,
): AttemptRecord {
  // One object filled in place: this runs for every attempt. The three fields set next make it
  // a whole AttemptRecord.
  const record = attemptBase(delivery, url, startedAt) as AttemptRecord
  record.durationMs = result.durationMs
  record.outcome = 'delivered'
  record.affectsHealth = true
  if (result.status !== undefined) record.status = result.status
  if (result.error !== undefined) record.error = result.error
  if (result.responseExcerpt) record.responseExcerpt = result.responseExcerpt
  if (result.ok) return record

  record.failureDetails = failureDetails(delivery.webhookId, url, result)
  const { attempt, createdAt } = delivery
  const next = nextAttemptAt(retry, attempt, createdAt, now, result.retryAfterMs, random)
  if (next === undefined) {
    record.outcome = 'failed'
  } else {
    record.outcome = 'retry'
    record.nextAttemptAt = next
  }
  return record
}

/** A delivery that is not attempted: its webhook was deleted, paused or dropped the type. */
export function cancelledRecord(
  delivery: ClaimedDelivery,
  reason: string,
  now: number,
): AttemptRecord {
  return {
    ...attemptBase(delivery, '', now),
    durationMs: 0,
    error: reason,
    outcome: 'cancelled',
    affectsHealth: false,
  }
}

/**
 * A request that could not be built. An unknown format can never succeed (a dead letter);
 * anything else is retried, since the webhook's configuration may be fixed meanwhile. Neither
 * says anything about the endpoint's health.
 */
export function unbuildableRecord(
  delivery: ClaimedDelivery,
  error: string,
  permanent: boolean,
  retry: RetryPolicy,
  now: number,
): AttemptRecord {
  const record = { ...attemptBase(delivery, '', now), durationMs: 0, error, affectsHealth: false }
  const { attempt, createdAt } = delivery
  const next = permanent ? undefined : nextAttemptAt(retry, attempt, createdAt, now)
  if (next === undefined) return { ...record, outcome: 'failed' }
  return { ...record, outcome: 'retry', nextAttemptAt: next }
}
