import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebhookConfig } from '@lorahooks/core'
import { openSqlite } from './open.js'
import { openSqliteStore, type SqliteStore } from './sqlite-store.js'
import { DownlinkQueueFullError } from '../types.js'
import type { AttemptRecord, ClaimedDelivery, NewMessage } from '../types.js'
import { attemptBase } from '../attempt-base.js'

let dir: string
let file: string
let store: SqliteStore
const NOW = 1_700_000_000_000

function config(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    base_url: 'http://127.0.0.1:9/h',
    headers: {},
    format: 'json',
    uplink_message: { path: '/up' },
    ...overrides,
  }
}

function uplink(id: string, applicationId = 'app1'): NewMessage {
  return {
    messageId: id,
    applicationId,
    deviceId: 'dev1',
    messageType: 'uplink_message',
    devEui: '70B3D57ED0000001',
    body: JSON.stringify({ uplink_message: { f_cnt: Number(id.slice(1)) } }),
  }
}

const NO_HOLD = { threshold: 0, retryIntervalMs: 0 }

function finished(
  delivery: ClaimedDelivery,
  outcome: AttemptRecord['outcome'],
  extra: Partial<AttemptRecord> = {},
): AttemptRecord {
  return {
    ...attemptBase(delivery, 'http://127.0.0.1:9/h/up', NOW),
    durationMs: 1,
    outcome,
    affectsHealth: true,
    status: outcome === 'delivered' ? 200 : 500,
    ...extra,
  }
}

async function addWebhook(id: string, cfg: WebhookConfig, app = 'app1') {
  return store.writeWebhook(app, id, () => ({ action: 'write', config: cfg }), 't0')
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-db-'))
  file = path.join(dir, 'test.db')
  store = openSqliteStore(file)
  await store.createApplication({ applicationId: 'app1', createdAt: 't0', updatedAt: 't0' })
})

afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('SqliteStore', () => {
  it('migrates once when a second process opens the same file', async () => {
    const second = openSqliteStore(file)
    expect(await second.getApplication('app1')).toMatchObject({ applicationId: 'app1' })
    second.close()
  })

  it('refuses a second application with the same ID with ALREADY_EXISTS', async () => {
    await expect(
      store.createApplication({ applicationId: 'app1', createdAt: 't', updatedAt: 't' }),
    ).rejects.toMatchObject({ code: 6 })
  })

  it('fans a message out to enabled, unpaused webhooks of its application only', async () => {
    await addWebhook('wh-up', config())
    await addWebhook('wh-join', config({ uplink_message: undefined, join_accept: {} }))
    await addWebhook('wh-paused', config({ paused: true }))
    await addWebhook('wh-other', config(), 'app2')

    const result = await store.acceptMessages([uplink('m1')], NOW)

    expect(result).toEqual({ messages: 1, deliveries: 1 })
    const claimed = await store.claimDeliveries(10, 30_000, NOW)
    expect(claimed.map((d) => d.webhookId)).toEqual(['wh-up'])
    expect(claimed[0]).toMatchObject({
      messageId: 'm1',
      devEui: '70B3D57ED0000001',
      attempt: 1,
      webhook: { config: { base_url: 'http://127.0.0.1:9/h' } },
    })
  })

  it('acknowledges a message no webhook takes without storing it', async () => {
    await addWebhook('wh-join', config({ uplink_message: undefined, join_accept: {} }))
    const join: NewMessage = { ...uplink('m2'), messageType: 'join_accept' }

    const result = await store.acceptMessages([uplink('m1'), join, uplink('m3')], NOW)

    expect(result).toEqual({ messages: 3, deliveries: 1 })
    const db = openSqlite(file)
    const stored = db.prepare('SELECT message_id FROM messages').pluck().all()
    db.close()
    expect(stored).toEqual(['m2'])
    expect(await store.acceptMessages([uplink('m4')], NOW)).toEqual({ messages: 1, deliveries: 0 })
  })

  it('links every delivery of a large mixed batch to its own message and webhook', async () => {
    await store.createApplication({ applicationId: 'app2', createdAt: 't0', updatedAt: 't0' })
    await addWebhook('wh-a', config())
    await addWebhook('wh-b', config({ join_accept: {} }))
    await addWebhook('wh-c', config(), 'app2')
    // 85 messages: chunks of 64, 16, 4 and 1 rows; apps and message types interleaved.
    const batch = Array.from({ length: 85 }, (_, i): NewMessage => {
      const message = uplink(`m${i + 1}`, i % 3 === 2 ? 'app2' : 'app1')
      return i % 5 === 4 ? { ...message, messageType: 'join_accept' } : message
    })
    const expected = batch.flatMap((message) => {
      if (message.applicationId === 'app2') {
        return message.messageType === 'uplink_message' ? [`${message.messageId}>wh-c`] : []
      }
      const hooks = message.messageType === 'uplink_message' ? ['wh-a', 'wh-b'] : ['wh-b']
      return hooks.map((hook) => `${message.messageId}>${hook}`)
    })

    const result = await store.acceptMessages(batch, NOW)

    expect(result).toEqual({ messages: 85, deliveries: expected.length })
    const claimed = await store.claimDeliveries(500, 30_000, NOW)
    expect(claimed.map((d) => `${d.messageId}>${d.webhookId}`)).toEqual(expected)
    for (const delivery of claimed) {
      const sent = batch.find((message) => message.messageId === delivery.messageId)
      expect(delivery).toMatchObject({
        applicationId: sent?.applicationId,
        messageType: sent?.messageType,
        body: sent?.body,
      })
    }
  })

  it('leases each delivery to one claimer and returns expired leases', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1'), uplink('m2')], NOW)

    const first = await store.claimDeliveries(1, 1000, NOW)
    const second = await store.claimDeliveries(10, 1000, NOW)
    expect(first.map((d) => d.messageId)).toEqual(['m1'])
    expect(second.map((d) => d.messageId)).toEqual(['m2'])
    expect(await store.claimDeliveries(10, 1000, NOW)).toEqual([])

    expect(await store.releaseExpiredLeases(NOW + 500)).toBe(0)
    expect(await store.releaseExpiredLeases(NOW + 1001)).toBe(2)
    const again = await store.claimDeliveries(10, 1000, NOW + 1001)
    expect(again.map((d) => [d.messageId, d.attempt])).toEqual([
      ['m1', 2],
      ['m2', 2],
    ])
  })

  it('leaves out the deliveries of a webhook held between choosing and leasing them', async () => {
    await addWebhook('wh1', config())
    await addWebhook('wh2', config())
    await store.acceptMessages([uplink('m1')], NOW)

    // The claim chooses its rows at once and leases them in a write a moment later.
    const claiming = store.claimDeliveries(10, 1000, NOW)
    const other = openSqlite(file)
    other.prepare("UPDATE webhooks SET held_until = ? WHERE webhook_id = 'wh1'").run(NOW + 60_000)
    other.close()

    expect((await claiming).map((d) => d.webhookId)).toEqual(['wh2'])
  })

  it('skips the webhooks the claimer has no slot for', async () => {
    await addWebhook('wh1', config())
    await addWebhook('wh2', config())
    await store.acceptMessages([uplink('m1')], NOW)
    const claimed = await store.claimDeliveries(10, 1000, NOW, ['app1/wh1'])
    expect(claimed.map((d) => d.webhookId)).toEqual(['wh2'])
  })

  it('finds other webhooks\' work behind a long backlog of a skipped or held one', async () => {
    await addWebhook('wh1', config())
    const backlog = Array.from({ length: 600 }, (_, i) => uplink(`m${i + 1}`))
    await store.acceptMessages(backlog, NOW)
    await addWebhook('wh2', config())
    await store.acceptMessages([uplink('m601')], NOW + 1)

    const skipped = await store.claimDeliveries(10, 60_000, NOW + 1, ['app1/wh1'])
    expect(skipped.map((d) => [d.webhookId, d.messageId])).toEqual([['wh2', 'm601']])
    expect(await store.claimDeliveries(10, 60_000, NOW + 1, ['app1/wh1'])).toEqual([])

    const [first] = await store.claimDeliveries(1, 60_000, NOW + 1)
    expect(first?.messageId).toBe('m1')
    await store.recordAttempts([finished(first!, 'retry', { nextAttemptAt: NOW + 1 })], NOW + 1, {
      threshold: 1,
      retryIntervalMs: 60_000,
    })
    await store.acceptMessages([uplink('m602')], NOW + 2)
    const held = await store.claimDeliveries(10, 60_000, NOW + 2)
    expect(held.map((d) => [d.webhookId, d.messageId])).toEqual([['wh2', 'm602']])
  })

  it('shares a claim out between webhooks while one is left out, each in its order', async () => {
    for (const id of ['wh1', 'wh2', 'wh3']) await addWebhook(id, config())
    await store.acceptMessages(Array.from({ length: 10 }, (_, i) => uplink(`m${i + 1}`)), NOW)
    const messagesOf = (claimed: ClaimedDelivery[], webhookId: string) =>
      claimed.filter((d) => d.webhookId === webhookId).map((d) => Number(d.messageId.slice(1)))

    const first = await store.claimDeliveries(15, 60_000, NOW, ['app1/wh3'])
    expect(first).toHaveLength(15)
    expect(messagesOf(first, 'wh3')).toEqual([])
    const [one, two] = [messagesOf(first, 'wh1'), messagesOf(first, 'wh2')]
    expect(one.length + two.length).toBe(15)
    expect(Math.abs(one.length - two.length)).toBeLessThanOrEqual(1)
    expect(one).toEqual(Array.from({ length: one.length }, (_, i) => i + 1))
    expect(two).toEqual(Array.from({ length: two.length }, (_, i) => i + 1))

    const second = await store.claimDeliveries(15, 60_000, NOW, ['app1/wh3'])
    const rest = (from: number) => Array.from({ length: 10 - from }, (_, i) => from + i + 1)
    expect(messagesOf(second, 'wh1')).toEqual(rest(one.length))
    expect(messagesOf(second, 'wh2')).toEqual(rest(two.length))
  })

  it('ignores a completion from a worker whose lease was taken over', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1')], NOW)
    const [stale] = await store.claimDeliveries(1, 10, NOW)
    await store.releaseExpiredLeases(NOW + 11)
    const [fresh] = await store.claimDeliveries(1, 10_000, NOW + 11)

    await store.recordAttempts([finished(stale!, 'delivered')], NOW, NO_HOLD)
    expect(await store.countDeliveries()).toEqual({ inflight: 1 })
    await store.recordAttempts([finished(fresh!, 'delivered')], NOW, NO_HOLD)
    expect(await store.countDeliveries()).toEqual({ delivered: 1 })
  })

  it('schedules a retry that is not claimable before it is due', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1')], NOW)
    const [claimed] = await store.claimDeliveries(1, 10_000, NOW)
    const retry = finished(claimed!, 'retry', { nextAttemptAt: NOW + 5000 })
    await store.recordAttempts([retry], NOW, NO_HOLD)
    expect(await store.claimDeliveries(1, 10_000, NOW + 4999)).toEqual([])
    expect(await store.nextDueAt()).toBe(NOW + 5000)
    expect(await store.claimDeliveries(1, 10_000, NOW + 5000)).toHaveLength(1)
  })

  it('names as next due time only deliveries due after the given time', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1'), uplink('m2')], NOW)
    const [first] = await store.claimDeliveries(1, 10_000, NOW)
    const retry = finished(first!, 'retry', { nextAttemptAt: NOW + 5000 })
    await store.recordAttempts([retry], NOW, NO_HOLD)

    expect(await store.nextDueAt()).toBe(NOW)
    expect(await store.nextDueAt(NOW)).toBe(NOW + 5000)
    expect(await store.nextDueAt(NOW + 5000)).toBeUndefined()
  })

  it('cancels pending deliveries when a webhook is deleted', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1'), uplink('m2')], NOW)
    expect(await store.deleteWebhook('app1', 'wh1')).toBe(true)
    expect(await store.countDeliveries()).toEqual({ cancelled: 2 })
    expect(await store.claimDeliveries(10, 1000, NOW)).toEqual([])
  })

  it('writes a webhook only as decided, atomically', async () => {
    await addWebhook('wh1', config({ headers: { 'X-A': '1' } }))
    const kept = await store.writeWebhook('app1', 'wh1', () => ({ action: 'keep' }), 't1')
    expect(kept.config.headers).toEqual({ 'X-A': '1' })
    expect(kept.updatedAt).toBe('t0')

    await expect(
      store.writeWebhook('app1', 'wh1', () => { throw new Error('refused') }, 't2'),
    ).rejects.toThrow('refused')
    expect((await store.getWebhook('app1', 'wh1'))?.updatedAt).toBe('t0')
  })

  it('pushes and replaces the downlink queue in order', async () => {
    await store.enqueueDownlinks('app1', 'dev1', [{ f_port: 1 }], 'push', [], NOW)
    await store.enqueueDownlinks('app1', 'dev1', [{ f_port: 2 }], 'push', [], NOW)
    expect((await store.listDownlinks('app1', 'dev1')).map((d) => d.item)).toEqual([
      { f_port: 1 },
      { f_port: 2 },
    ])
    await store.enqueueDownlinks('app1', 'dev1', [{ f_port: 3 }], 'replace', [], NOW)
    expect((await store.listDownlinks('app1', 'dev1')).map((d) => d.item)).toEqual([{ f_port: 3 }])
    await store.enqueueDownlinks('app1', 'dev1', [], 'replace', [], NOW)
    expect(await store.listDownlinks('app1', 'dev1')).toEqual([])
  })

  it('refuses a push past the queue maximum inside the write, also when pushes race', async () => {
    await addWebhook('wh1', config())
    await store.enqueueDownlinks('app1', 'dev1', [{ f_port: 1 }, { f_port: 2 }], 'push', [], NOW)
    // Both pushes wait for the lock together: a length read before the write would admit both.
    const other = openSqlite(file)
    other.exec('BEGIN IMMEDIATE')
    const push = (port: number) =>
      store.enqueueDownlinks('app1', 'dev1', [{ f_port: port }], 'push', [uplink(`q${port}`)], NOW, 3)
    const racing = Promise.allSettled([push(3), push(4)])
    await new Promise((resolve) => setTimeout(resolve, 20))
    other.exec('COMMIT')
    other.close()

    // Which of the two gets the lock first is not ordered; exactly one fits.
    const results = await racing
    const fulfilled = results.filter((result) => result.status === 'fulfilled')
    const rejected = results.filter((result) => result.status === 'rejected')
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.reason).toBeInstanceOf(DownlinkQueueFullError)
    expect(rejected[0]?.reason).toMatchObject({ queueLength: 3 })
    const ports = (await store.listDownlinks('app1', 'dev1')).map((d) => d.item['f_port'])
    expect(ports).toHaveLength(3)
    expect(ports.slice(0, 2)).toEqual([1, 2])
    expect([3, 4]).toContain(ports[2])
    // Nothing of the refused push was kept: neither its item nor its message.
    expect(await store.countDeliveries()).toEqual({ pending: 1 })
    // Replace empties the queue first, so it makes room.
    await store.enqueueDownlinks('app1', 'dev1', [{ f_port: 5 }], 'replace', [], NOW, 1)
    expect(await store.listDownlinks('app1', 'dev1')).toHaveLength(1)
  })

  it('records a flush set-based: every attempt logged, each outcome under its lease', async () => {
    await addWebhook('wh1', config())
    const ids = Array.from({ length: 70 }, (_, i) => `m${i + 1}`)
    await store.acceptMessages(ids.map((id) => uplink(id)), NOW)
    const claimed = await store.claimDeliveries(70, 10_000, NOW)
    const [first, second, third, fourth, ...rest] = claimed
    await store.recordAttempts(
      [
        finished(first!, 'delivered'),
        finished(second!, 'delivered', { status: 204 }),
        finished(third!, 'retry', { nextAttemptAt: NOW + 5000 }),
        { ...finished(fourth!, 'delivered'), leaseToken: 'taken over' },
        ...rest.map((delivery) => finished(delivery, 'delivered')),
      ],
      NOW,
      NO_HOLD,
    )
    expect(await store.countDeliveries()).toEqual({ delivered: 68, pending: 1, inflight: 1 })
    const log = await store.getDelivery('app1', 'wh1', second!.id)
    expect(log).toMatchObject({ state: 'delivered', lastStatus: 204 })
    expect(log?.attemptLog).toEqual([
      { attempt: 1, startedAt: NOW, url: 'http://127.0.0.1:9/h/up', status: 204, durationMs: 1 },
    ])
    const last = await store.getDelivery('app1', 'wh1', rest.at(-1)!.id)
    expect(last?.attemptLog).toHaveLength(1)
  })

  it('waits for the write lock without blocking the event loop', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1')], NOW)
    const [claimed] = await store.claimDeliveries(1, 10_000, NOW)
    const other = openSqlite(file)
    other.exec('BEGIN IMMEDIATE')
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    try {
      const recording = store.recordAttempts([finished(claimed!, 'delivered')], NOW, NO_HOLD)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(ticks).toBeGreaterThan(5)
      expect(await store.countDeliveries()).toEqual({ inflight: 1 })
      other.exec('COMMIT')
      await recording
      expect(await store.countDeliveries()).toEqual({ delivered: 1 })
    } finally {
      clearInterval(ticker)
      other.close()
    }
  })

  it('accepts messages while another process holds the write lock, without blocking', async () => {
    await addWebhook('wh1', config())
    const other = openSqlite(file)
    other.exec('BEGIN IMMEDIATE')
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    try {
      const accepting = store.acceptMessages([uplink('m1')], NOW)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(ticks).toBeGreaterThan(5)
      expect(await store.countDeliveries()).toEqual({})
      other.exec('COMMIT')
      expect(await accepting).toEqual({ messages: 1, deliveries: 1 })
      expect(await store.countDeliveries()).toEqual({ pending: 1 })
    } finally {
      clearInterval(ticker)
      other.close()
    }
  })

  it('claims nothing without the write lock when every webhook is skipped', async () => {
    await addWebhook('wh1', config())
    await store.acceptMessages([uplink('m1')], NOW)
    const other = openSqlite(file)
    other.exec('BEGIN IMMEDIATE')
    try {
      const started = Date.now()
      expect(await store.claimDeliveries(10, 1000, NOW, ['app1/wh1'])).toEqual([])
      expect(Date.now() - started).toBeLessThan(50)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })

  it('opens with fsync per commit unless durability is relaxed', () => {
    const full = openSqlite(file)
    const relaxed = openSqlite(file, { durability: 'relaxed' })
    expect(full.pragma('synchronous', { simple: true })).toBe(2)
    expect(relaxed.pragma('synchronous', { simple: true })).toBe(1)
    full.close()
    relaxed.close()
  })

  it('moves the change counter when another connection commits', async () => {
    await addWebhook('wh1', config())
    const other = openSqliteStore(file)
    const before = store.changeCounter()
    await other.acceptMessages([uplink('m1')], NOW)
    expect(store.changeCounter()).not.toBe(before)
    other.close()
  })
})
