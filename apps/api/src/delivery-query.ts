import { checkId, validationError, type FieldViolation } from '@lorahooks/core'
import type { DeliveryFilter, DeliveryState } from '@lorahooks/db'

const NS = 'pkg/applicationserver/io/web'
const STATES: readonly string[] = ['pending', 'inflight', 'delivered', 'failed', 'cancelled']
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/
const ID = /^[1-9]\d{0,14}$/
export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 1000

/** A delivery list request: the store filter without the webhook. */
export type DeliveryQuery = Omit<DeliveryFilter, 'applicationId' | 'webhookId'>

type Read = (name: string) => string | undefined

function readTime(field: string, value: unknown, violations: FieldViolation[]) {
  if (value === undefined || value === '') return undefined
  const time = typeof value === 'string' && RFC3339.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) {
    violations.push({ field, message: 'must be an RFC 3339 timestamp like 2024-10-02T07:40:00Z' })
    return undefined
  }
  return time
}

function readState(value: string | undefined, violations: FieldViolation[]) {
  if (value === undefined || value === '') return undefined
  if (STATES.includes(value)) return value as DeliveryState
  violations.push({ field: 'state', message: `must be one of ${STATES.join(', ')}` })
  return undefined
}

function readLimit(value: string | undefined, violations: FieldViolation[]): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT
  const limit = /^\d{1,4}$/.test(value) ? Number(value) : 0
  if (limit >= 1 && limit <= MAX_LIMIT) return limit
  violations.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_LIMIT}` })
  return DEFAULT_LIMIT
}

function readPageToken(value: string | undefined, violations: FieldViolation[]) {
  if (value === undefined || value === '') return undefined
  if (ID.test(value)) return Number(value)
  violations.push({ field: 'page_token', message: 'must be a next_page_token of an earlier page' })
  return undefined
}

function refuse(violations: FieldViolation[]): void {
  if (violations.length > 0) throw validationError(NS, violations)
}

/** The filters of `GET …/deliveries`; every bad parameter is named. */
export function readDeliveryQuery(read: Read): DeliveryQuery {
  const violations: FieldViolation[] = []
  const query: DeliveryQuery = { limit: readLimit(read('limit'), violations) }

  const state = readState(read('state'), violations)
  if (state !== undefined) query.state = state

  const deviceId = read('device_id')
  if (deviceId !== undefined && deviceId !== '') {
    const problem = checkId('device_id', deviceId)
    if (problem) violations.push(problem)
    query.deviceId = deviceId
  }

  const since = readTime('since', read('since'), violations)
  const until = readTime('until', read('until'), violations)
  if (since !== undefined) query.since = since
  if (until !== undefined) query.until = until
  if (since !== undefined && until !== undefined && until <= since) {
    violations.push({ field: 'until', message: 'must be later than since' })
  }

  const before = readPageToken(read('page_token'), violations)
  if (before !== undefined) query.before = before
  refuse(violations)
  return query
}

/** A delivery ID from the path: the decimal `id` of a listed delivery. */
export function readDeliveryId(value: string): number {
  if (ID.test(value)) return Number(value)
  throw validationError(NS, [{ field: 'id', message: 'must be the id of a delivery' }])
}

/** The body of `POST …/deliveries/resend`: failed deliveries created at or after `since`. */
export function readResendFailed(body: Record<string, unknown>): { since: number } {
  const violations: FieldViolation[] = []
  const state = body['state']
  if (state !== undefined && state !== null && state !== '' && state !== 'failed') {
    violations.push({ field: 'state', message: 'only failed deliveries can be re-sent in bulk' })
  }
  const since = readTime('since', body['since'] ?? undefined, violations)
  refuse(violations)
  return { since: since ?? 0 }
}
