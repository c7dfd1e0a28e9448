import { describe, expect, it } from 'vitest'
import {
  fCntOf,
  sleep,
  harnessPerTest,
  waitFor,
} from './harness.js'

const harness = harnessPerTest()

describe('webhook health', () => {
  it('holds an unhealthy webhook to one probe per interval, then drains it in order', async () => {
    const h = await harness({
      worker: {
        retry: { scheduleMs: [50], maxAgeMs: 60_000 },
        health: { threshold: 3, retryIntervalMs: 300 },
      },
    })
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    for (let fCnt = 1; fCnt <= 6; fCnt++) await h.accept(fCnt)

    await waitFor(async () => (await h.store.getWebhook('app1', 'wh1'))?.heldUntil !== undefined)
    await waitFor(() => h!.receiver.requests({ path: '/up' }).length >= 6)
    await sleep(1_100)
    const probes = h.receiver.requests({ path: '/up' }).slice(6)
    expect(probes.length).toBeGreaterThanOrEqual(2)
    expect(probes.length).toBeLessThanOrEqual(4)
    const times = probes.map((r) => Date.parse(r.receivedAt))
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(280)
    }
    expect(probes.map(fCntOf).every((fCnt) => fCnt === 1)).toBe(true)
    expect(await h.store.getWebhook('app1', 'wh1')).toMatchObject({ health: 'unhealthy' })

    const before = h.receiver.requests({ path: '/up' }).length
    h.receiver.setBehavior({ path: '/up', responses: [{}] })
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 6)
    const afterRecovery = h.receiver.requests({ path: '/up' }).slice(before)
    expect(afterRecovery.map(fCntOf)).toEqual([1, 2, 3, 4, 5, 6])
    expect(await h.store.getWebhook('app1', 'wh1')).toMatchObject({
      health: 'healthy',
      failedAttempts: 0,
    })
  })

  it('gives back the claims of a webhook that reached the threshold, untried', async () => {
    const h = await harness({
      worker: {
        webhookConcurrency: 1,
        retry: { scheduleMs: [50], maxAgeMs: 60_000 },
        health: { threshold: 2, retryIntervalMs: 1_000 },
      },
    })
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 503 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    await h.acceptAll([1, 2, 3, 4, 5, 6])

    await waitFor(async () => (await h.store.getWebhook('app1', 'wh1'))?.heldUntil !== undefined)
    await sleep(300)
    expect(h.receiver.requests({ path: '/up' }).map(fCntOf)).toEqual([1, 2])
    const rows = await h.store.findDeliveries({
      applicationId: 'app1',
      webhookId: 'wh1',
      limit: 10,
    })
    expect(rows.map((row) => [row.state, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
      ['pending', 1],
      ['pending', 1],
    ])
  })

  it('only records health when the threshold is 0: nothing is held', async () => {
    const h = await harness({
      worker: {
        retry: { scheduleMs: [50], maxAgeMs: 60_000 },
        health: { threshold: 0, retryIntervalMs: 300 },
      },
    })
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    await h.acceptAll([1, 2, 3])

    const webhook = await waitFor(async () => {
      const row = await h.store.getWebhook('app1', 'wh1')
      return row && row.failedAttempts >= 12 && row
    })
    expect(webhook).toMatchObject({ health: 'unhealthy' })
    expect(webhook.heldUntil).toBeUndefined()
  })
})
