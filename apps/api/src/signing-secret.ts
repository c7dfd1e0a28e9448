import { randomBytes } from 'node:crypto'
import { validationError } from '@lorahooks/core'
import type { WebhookRow, WebhookWrite } from '@lorahooks/db'
import { isoTime } from './deps.js'
import { parseDuration } from './duration.js'

const NS = 'pkg/applicationserver/io/web'
/** Standard Webhooks asks for 24 to 64 random bytes; 24 keeps the secret short to paste. */
const SECRET_BYTES = 24
const HOUR_MS = 3_600_000
export const DEFAULT_GRACE_MS = 24 * HOUR_MS
export const MAX_GRACE_MS = 7 * 24 * HOUR_MS

/** A Standard Webhooks secret: `whsec_` and the base64 of random key bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`
}

/** The `grace_period` of a rotation body (default 24h), refused past 7 days. */
export function readGracePeriod(body: Record<string, unknown>): number {
  const value = body['grace_period']
  if (value === undefined || value === null || value === '') return DEFAULT_GRACE_MS

  const ms = typeof value === 'string' ? parseDuration(value) : undefined
  if (ms === undefined) {
    const message = 'must be a duration like 3600s, 90m or 24h'
    throw validationError(NS, [{ field: 'grace_period', message }])
  }
  if (ms > MAX_GRACE_MS) {
    throw validationError(NS, [{ field: 'grace_period', message: 'must be at most 7 days' }])
  }
  return ms
}

/**
 * Gives the webhook a new secret. The current one, if any, stays valid for `graceMs` so that
 * receivers can switch over; with no grace it stops at once.
 */
export function rotateSecret(existing: WebhookRow, graceMs: number, now: number): WebhookWrite {
  const change: { secret: string; previousValidUntil?: string } = { secret: newSigningSecret() }
  if (graceMs > 0) change.previousValidUntil = isoTime(now + graceMs)
  return { action: 'write', config: existing.config, signingSecret: change }
}
