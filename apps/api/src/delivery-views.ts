import type { AttemptLogRow, DeliveryRow } from '@lorahooks/db'
import { isoTime } from './deps.js'
import { redactUrl } from './url-redaction.js'

/** A delivery as the API shows it; `next_attempt_at` only while it waits for an attempt. */
export function deliveryView(row: DeliveryRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: String(row.id),
    message_id: row.messageId,
    message_type: row.messageType,
    device_id: row.deviceId,
    state: row.state,
    attempts: row.attempts,
  }
  if (row.state === 'pending') view['next_attempt_at'] = isoTime(row.nextAttemptAt)
  if (row.lastStatus !== undefined) view['last_status'] = row.lastStatus
  if (row.lastError !== undefined) view['last_error'] = row.lastError
  view['created_at'] = isoTime(row.createdAt)
  view['updated_at'] = isoTime(row.updatedAt)
  return view
}

/**
 * One entry of the attempt log; `status` is absent when no answer came back. With `redact`, the
 * URL's query values are replaced (callers who may not manage the webhook).
 */
export function attemptView(row: AttemptLogRow, redact = false): Record<string, unknown> {
  const view: Record<string, unknown> = {
    attempt: row.attempt,
    started_at: isoTime(row.startedAt),
    url: redact ? redactUrl(row.url) : row.url,
  }
  if (row.status !== undefined) view['status'] = row.status
  view['duration_ms'] = row.durationMs
  if (row.error !== undefined) view['error'] = row.error
  if (row.responseExcerpt !== undefined) view['response_excerpt'] = row.responseExcerpt
  return view
}
