import type { AttemptOutcomeKind, AttemptRecord, HealthPolicy, Store } from '@lorahooks/db'
import { attemptBase } from '@lorahooks/db'
import type { Harness } from './helpers.js'

export const POLICY: HealthPolicy = { threshold: 100, retryIntervalMs: 60_000 }
const LEASE_MS = 30_000

/** A webhook of app1 that takes uplinks; its URL is never called (no worker runs). */
export async function createUplinkWebhook(h: Harness, webhookId = 'wh1'): Promise<void> {
  const webhook = {
    ids: { webhook_id: webhookId },
    base_url: 'http://127.0.0.1:9/hook',
    format: 'json',
    uplink_message: { path: '/up' },
  }
  const res = await h.json('POST', '/api/v3/as/webhooks/app1', { body: { webhook } })
  if (res.status !== 200) throw new Error(`webhook create failed: ${JSON.stringify(res.body)}`)
}

/** Stores uplinks of app1 accepted at `at` (epoch ms), one delivery per webhook each. */
export async function acceptAt(store: Store, at: number, deviceIds: string[]): Promise<void> {
  const messages = deviceIds.map((deviceId, index) => ({
    messageId: `msg-${at}-${index}`,
    applicationId: 'app1',
    deviceId,
    messageType: 'uplink_message' as const,
    body: '{}',
  }))
  await store.acceptMessages(messages, at)
}

export interface Outcome {
  kind: AttemptOutcomeKind
  status?: number
  error?: string
  /** The URL the attempt went to (default the webhook's). */
  url?: string
}

/**
 * Plays one attempt, as the worker would, for the due deliveries named in `outcomes`; the other
 * claimed deliveries go back to the queue untouched.
 */
export async function attempt(store: Store, now: number, outcomes: Map<number, Outcome>) {
  const claimed = await store.claimDeliveries(1000, LEASE_MS, now)
  const records: AttemptRecord[] = []
  const released = []
  for (const delivery of claimed) {
    const outcome = outcomes.get(delivery.id)
    if (!outcome) {
      released.push({ id: delivery.id, leaseToken: delivery.leaseToken })
      continue
    }
    const record: AttemptRecord = {
      ...attemptBase(delivery, outcome.url ?? 'http://127.0.0.1:9/hook/up', now),
      durationMs: 12.5,
      outcome: outcome.kind,
      affectsHealth: true,
    }
    if (outcome.status !== undefined) record.status = outcome.status
    if (outcome.error !== undefined) {
      record.error = outcome.error
      record.failureDetails = { message: outcome.error, attributes: { status: outcome.status } }
    }
    if (outcome.status !== undefined) record.responseExcerpt = `answer ${outcome.status}`
    if (outcome.kind === 'retry') record.nextAttemptAt = now + 5000
    records.push(record)
  }
  await store.releaseClaims(released, now)
  await store.recordAttempts(records, now, POLICY)
}
