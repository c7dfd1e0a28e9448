import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteStore, type SqliteStore } from './sqlite-store.js'
import type { AttemptRecord, ClaimedDelivery, HealthPolicy } from '../types.js'
import { attemptBase } from '../attempt-base.js'

let dir: string
let store: SqliteStore
const T0 = 1_700_000_000_000
const HEALTH: HealthPolicy = { threshold: 3, retryIntervalMs: 60_000 }

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-log-'))
  store = openSqliteStore(path.join(dir, 'test.db'))
  for (const id of ['wh1', 'wh2']) {
    await store.writeWebhook(
      'app1',
      id,
      () => ({
        action: 'write',
        config: { base_url: 'http://127.0.0.1:9/h', headers: {}, format: 'json', uplink_message: {} },
        signingSecret: { secret: `whsec_${id}` },
      }),
      't0',
    )
  }
})

afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function accept(count: number, at = T0) {
  const messages = Array.from({ length: count }, (_, i) => ({
    messageId: `m${i}`,
    applicationId: 'app1',
    deviceId: i % 2 === 0 ? 'dev1' : 'dev2',
    messageType: 'uplink_message' as const,
    body: '{}',
  }))
  await store.acceptMessages(messages, at)
}

function attempt(
  delivery: ClaimedDelivery,
  outcome: AttemptRecord['outcome'],
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    ...attemptBase(delivery, 'http://127.0.0.1:9/h', T0),
    durationMs: 1.5,
    outcome,
    affectsHealth: outcome !== 'cancelled',
    ...(outcome === 'delivered' ? { status: 200 } : { status: 500, error: 'endpoint answered 500' }),
    ...extra,
  }
}

describe('delivery log and health', () => {
  it('records every attempt and shows them with the delivery', async () => {
    await accept(1)
    const [first] = (await store.claimDeliveries(10, 30_000, T0)).filter((d) => d.webhookId === 'wh1')
    await store.recordAttempts(
      [attempt(first!, 'retry', { nextAttemptAt: T0, responseExcerpt: 'oops' })],
      T0,
      HEALTH,
    )
    const [second] = (await store.claimDeliveries(10, 30_000, T0)).filter((d) => d.webhookId === 'wh1')
    await store.recordAttempts([attempt(second!, 'delivered')], T0, HEALTH)

    const delivery = await store.getDelivery('app1', 'wh1', first!.id)
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 2, messageId: 'm0' })
    expect(delivery?.attemptLog.map((a) => [a.attempt, a.status, a.responseExcerpt])).toEqual([
      [1, 500, 'oops'],
      [2, 200, undefined],
    ])
  })

  it('marks a webhook unhealthy, holds it past the threshold and lets one probe through', async () => {
    await accept(6)
    const claimed = (await store.claimDeliveries(3, 30_000, T0, ['app1/wh2']))
    await store.recordAttempts(
      claimed.map((d) => attempt(d, 'retry', { nextAttemptAt: T0 })),
      T0,
      HEALTH,
    )
    const webhook = await store.getWebhook('app1', 'wh1')
    expect(webhook).toMatchObject({ health: 'unhealthy', failedAttempts: 3, heldUntil: T0 + 60_000 })

    expect(await store.claimDeliveries(10, 30_000, T0 + 1000, ['app1/wh2'])).toEqual([])

    const probes = await store.claimDeliveries(10, 30_000, T0 + 60_000, ['app1/wh2'])
    expect(probes).toHaveLength(1)
    expect(probes[0]).toMatchObject({ probe: true, webhookId: 'wh1' })
    expect(await store.claimDeliveries(10, 30_000, T0 + 60_001, ['app1/wh2'])).toEqual([])

    await store.recordAttempts([attempt(probes[0]!, 'delivered')], T0 + 60_001, HEALTH)
    expect(await store.getWebhook('app1', 'wh1')).toMatchObject({ health: 'healthy', failedAttempts: 0 })
    const drained = await store.claimDeliveries(10, 30_000, T0 + 60_002, ['app1/wh2'])
    expect(drained).toHaveLength(5)
  })

  it('a failed probe holds the webhook for another interval', async () => {
    await accept(4)
    const claimed = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    await store.recordAttempts(claimed.map((d) => attempt(d, 'retry', { nextAttemptAt: T0 })), T0, HEALTH)
    const [probe] = await store.claimDeliveries(10, 30_000, T0 + 60_000, ['app1/wh2'])
    await store.recordAttempts([attempt(probe!, 'retry', { nextAttemptAt: T0 })], T0 + 60_000, HEALTH)
    expect(await store.getWebhook('app1', 'wh1')).toMatchObject({
      failedAttempts: 4,
      heldUntil: T0 + 120_000,
    })
  })

  it('probes with the oldest pending delivery and drains backed-off retries', async () => {
    await accept(4)
    const claimed = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    await store.recordAttempts(
      claimed.map((d) => attempt(d, 'retry', { nextAttemptAt: T0 + 3_600_000 })),
      T0,
      HEALTH,
    )

    const [probe] = await store.claimDeliveries(10, 30_000, T0 + 60_000, ['app1/wh2'])
    expect(probe).toMatchObject({ probe: true, messageId: 'm0', attempt: 2 })
    await store.recordAttempts([attempt(probe!, 'delivered')], T0 + 60_001, HEALTH)

    const drained = await store.claimDeliveries(10, 30_000, T0 + 60_002, ['app1/wh2'])
    expect(drained.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3'])
  })

  it('makes every webhook with a success in one batch healthy, draining the held one', async () => {
    await accept(4)
    const backedOff = { nextAttemptAt: T0 + 3_600_000 }
    const failing = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    await store.recordAttempts(failing.map((d) => attempt(d, 'retry', backedOff)), T0, HEALTH)
    const [once] = await store.claimDeliveries(1, 30_000, T0, ['app1/wh1'])
    await store.recordAttempts([attempt(once!, 'retry', backedOff)], T0, HEALTH)
    expect(await store.getWebhook('app1', 'wh1')).toMatchObject({ heldUntil: T0 + 60_000 })
    expect(await store.getWebhook('app1', 'wh2')).toMatchObject({ failedAttempts: 1 })

    const [probe] = await store.claimDeliveries(10, 30_000, T0 + 60_000, ['app1/wh2'])
    const [next] = await store.claimDeliveries(1, 30_000, T0 + 60_000, ['app1/wh1'])
    const successes = [attempt(probe!, 'delivered'), attempt(next!, 'delivered')]
    await store.recordAttempts(successes, T0 + 60_001, HEALTH)

    for (const id of ['wh1', 'wh2']) {
      const webhook = await store.getWebhook('app1', id)
      expect(webhook).toMatchObject({ health: 'healthy', failedAttempts: 0 })
      expect(webhook?.heldUntil ?? null).toBeNull()
    }
    const drained = await store.claimDeliveries(10, 30_000, T0 + 60_002, ['app1/wh2'])
    expect(drained.map((d) => d.messageId)).toEqual(['m1', 'm2', 'm3'])
  })

  it('keeps the probe slot of a held webhook the claimer has no room for', async () => {
    await accept(3)
    const claimed = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    const retries = claimed.map((d) => attempt(d, 'retry', { nextAttemptAt: T0 }))
    await store.recordAttempts(retries, T0, HEALTH)

    const noRoom = ['app1/wh1', 'app1/wh2']
    expect(await store.claimDeliveries(10, 30_000, T0 + 60_000, noRoom)).toEqual([])
    expect(await store.getWebhook('app1', 'wh1')).toMatchObject({ heldUntil: T0 + 60_000 })
    const probes = await store.claimDeliveries(10, 30_000, T0 + 60_000, ['app1/wh2'])
    expect(probes.map((d) => d.probe)).toEqual([true])
  })

  it('health reset through a webhook write releases the hold', async () => {
    await accept(3)
    const claimed = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    await store.recordAttempts(claimed.map((d) => attempt(d, 'retry', { nextAttemptAt: T0 })), T0, HEALTH)
    await store.writeWebhook(
      'app1',
      'wh1',
      (row) => ({ action: 'write', config: row!.config, resetHealth: true }),
      't1',
    )
    const row = await store.getWebhook('app1', 'wh1')
    expect(row?.health).toBeUndefined()
    expect(row?.heldUntil).toBeUndefined()
    expect(await store.claimDeliveries(10, 30_000, T0, ['app1/wh2'])).toHaveLength(3)
  })

  it('health reset makes the backed-off retries due, so the backlog drains in accepted order', async () => {
    await accept(3)
    const claimed = await store.claimDeliveries(3, 30_000, T0, ['app1/wh2'])
    const later = { nextAttemptAt: T0 + 3_600_000 }
    await store.recordAttempts(claimed.map((d) => attempt(d, 'retry', later)), T0, HEALTH)
    expect((await store.getWebhook('app1', 'wh1'))?.heldUntil).toBeDefined()
    const more = ['m3', 'm4'].map((messageId) => ({
      messageId,
      applicationId: 'app1',
      deviceId: 'dev1',
      messageType: 'uplink_message' as const,
      body: '{}',
    }))
    await store.acceptMessages(more, T0 + 1)

    await store.writeWebhook(
      'app1',
      'wh1',
      (row) => ({ action: 'write', config: row!.config, resetHealth: true }),
      't1',
    )
    const drained = await store.claimDeliveries(10, 30_000, T0 + 2, ['app1/wh2'])
    expect(drained.map((d) => d.messageId)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
  })

  it('filters, pages and re-sends dead letters', async () => {
    await accept(4)
    const claimed = await store.claimDeliveries(10, 30_000, T0, ['app1/wh2'])
    await store.recordAttempts(claimed.map((d) => attempt(d, 'failed')), T0, {
      threshold: 0,
      retryIntervalMs: 0,
    })

    const wh1 = { applicationId: 'app1', webhookId: 'wh1', limit: 10 }
    const failed = await store.findDeliveries({ ...wh1, state: 'failed' })
    expect(failed).toHaveLength(4)
    const dev1 = await store.findDeliveries({ ...wh1, deviceId: 'dev1' })
    expect(dev1.map((d) => d.deviceId)).toEqual(['dev1', 'dev1'])
    const page = await store.findDeliveries({ ...wh1, before: failed[1]!.id })
    expect(page.map((d) => d.id)).toEqual(failed.slice(2).map((d) => d.id))

    expect(await store.resendDelivery('app1', 'wh1', failed[0]!.id, T0)).toBe(true)
    expect(await store.resendDelivery('app1', 'wh1', failed[0]!.id, T0)).toBe(false)
    expect(await store.resendFailed('app1', 'wh1', 0, T0)).toBe(3)
    expect(await store.queueStats()).toMatchObject({ pending: 8, failed: 0 })
  })

  it('dead-letters the old pending deliveries of held webhooks only', async () => {
    await accept(4)
    const late = { messageId: 'late', applicationId: 'app1', deviceId: 'dev1', body: '{}' }
    await store.acceptMessages([{ ...late, messageType: 'uplink_message' }], T0 + 100)
    const [first] = await store.claimDeliveries(1, 30_000, T0 + 100, ['app1/wh2'])
    const hold = { threshold: 1, retryIntervalMs: 60_000 }
    await store.recordAttempts([attempt(first!, 'retry', { nextAttemptAt: T0 })], T0 + 100, hold)
    const [probe] = await store.claimDeliveries(1, 30_000, T0 + 60_100, ['app1/wh2'])

    expect(probe?.messageId).toBe('m0')
    expect(await store.expirePending(T0 + 50, T0 + 60_200, 2)).toBe(3)
    const wh1 = await store.findDeliveries({ applicationId: 'app1', webhookId: 'wh1', limit: 10 })
    expect(wh1.map((d) => [d.messageId, d.state])).toEqual([
      ['late', 'pending'],
      ['m3', 'failed'],
      ['m2', 'failed'],
      ['m1', 'failed'],
      ['m0', 'inflight'],
    ])
    expect(wh1[1]?.lastError).toBe('expired: not delivered within the maximum age')
    const wh2 = await store.findDeliveries({ applicationId: 'app1', webhookId: 'wh2', limit: 10 })
    expect(wh2.every((d) => d.state === 'pending')).toBe(true)
  })

  it('purges finished deliveries by age and by count, with their attempts and messages', async () => {
    await accept(5)
    const claimed = await store.claimDeliveries(10, 30_000, T0)
    await store.recordAttempts(claimed.map((d) => attempt(d, 'delivered')), T0, HEALTH)
    const policy = { maxAgeMs: 60_000, maxFinished: 4, batchSize: 3 }

    expect(await store.purgeFinished(policy, T0 + 1000)).toBe(6)
    expect(await store.countDeliveries()).toEqual({ delivered: 4 })
    expect(await store.purgeFinished(policy, T0 + 120_000)).toBe(4)
    expect(await store.countDeliveries()).toEqual({})
  })

  it('hands out the signing secrets, keeping the previous one during its grace period', async () => {
    await store.writeWebhook(
      'app1',
      'wh1',
      (row) => ({
        action: 'write',
        config: row!.config,
        signingSecret: { secret: 'whsec_new', previousValidUntil: new Date(T0 + 1000).toISOString() },
      }),
      't1',
    )
    await accept(1)
    const [inGrace] = (await store.claimDeliveries(10, 30_000, T0)).filter((d) => d.webhookId === 'wh1')
    expect(inGrace?.webhook?.signingSecrets).toEqual(['whsec_new', 'whsec_wh1'])
    await store.releaseExpiredLeases(T0 + 40_000)
    const claimed = await store.claimDeliveries(10, 30_000, T0 + 40_000)
    const [after] = claimed.filter((d) => d.webhookId === 'wh1')
    expect(after?.webhook?.signingSecrets).toEqual(['whsec_new'])
  })
})
