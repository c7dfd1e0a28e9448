import { silentLogger } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { DeliveryWorker } from '../src/delivery-worker.js'
import { HttpSender } from '../src/http-sender.js'
import { MetricsServer } from '../src/metrics-server.js'
import { Housekeeping } from '../src/housekeeping.js'
import {
  fCntOf,
  PUBLIC_URL,
  sleep,
  harnessPerTest,
  waitFor,
  type Harness,
} from './harness.js'

const harness = harnessPerTest()

function secondWorker(h: Harness, sweepMs = 2_000) {
  const sender = new HttpSender({ timeoutMs: 1_000, inFlightPerWebhook: 8 })
  const worker = new DeliveryWorker(
    {
      store: h.store,
      sender,
      logger: silentLogger(),
      context: { publicUrl: PUBLIC_URL, domain: 'lns.example.com' },
    },
    {
      concurrency: 64,
      webhookConcurrency: 8,
      retry: { scheduleMs: [100], maxAgeMs: 60_000 },
      health: { threshold: 5, retryIntervalMs: 300 },
      sweepMs,
    },
  )
  return { worker, sender }
}

describe('operations', () => {
  it('purges finished deliveries on its own timer', async () => {
    const h = await harness()
    await h.addWebhook('wh1', {})
    await h.acceptAll([1, 2, 3])
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 3)

    const retention = { maxAgeMs: 50, maxFinished: 1_000, batchSize: 2 }
    const housekeeping = new Housekeeping(
      h.store,
      { maxAgeMs: 60_000, retention },
      50,
      silentLogger(),
    )
    housekeeping.start()
    try {
      await waitFor(async () => Object.keys(await h.store.countDeliveries()).length === 0)
    } finally {
      await housekeeping.stop()
    }
  })

  it('dead-letters the held deliveries of a webhook down for longer than the max age', async () => {
    const h = await harness({
      worker: {
        retry: { scheduleMs: [50], maxAgeMs: 60_000 },
        health: { threshold: 1, retryIntervalMs: 60_000 },
      },
    })
    h.receiver.setBehavior({ path: '/down', responses: [{ status: 502 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/down' } })
    await h.acceptAll([1, 2, 3])
    await waitFor(async () => (await h.store.getWebhook('app1', 'wh1'))?.heldUntil !== undefined)
    await waitFor(async () => (await h.store.countDeliveries())['pending'] === 3)

    const retention = { maxAgeMs: 60_000, maxFinished: 1_000, batchSize: 100 }
    const policy = { maxAgeMs: 0, retention }
    const housekeeping = new Housekeeping(h.store, policy, 60_000, silentLogger())
    await housekeeping.runOnce()
    expect(await h.store.countDeliveries()).toEqual({ failed: 3 })
  })

  it('serves Prometheus metrics with attempt outcomes, durations and queue gauges', async () => {
    const h = await harness({ worker: { retry: { scheduleMs: [30_000], maxAgeMs: 60_000 } } })
    h.receiver.setBehavior({ path: '/bad', responses: [{ status: 500 }] })
    await h.addWebhook('good', {})
    await h.addWebhook('bad', { uplink_message: { path: '/bad' } })
    await h.accept(1)
    await waitFor(async () => (await h.store.getWebhook('app1', 'bad'))?.health === 'unhealthy')
    await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 1)

    const server = new MetricsServer(h.metrics, h.store, silentLogger())
    const url = await server.listen('127.0.0.1', 0)
    try {
      const response = await fetch(url)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      const text = await response.text()
      expect(text).toContain('# TYPE lorahooks_deliveries_total counter')
      expect(text).toContain('lorahooks_deliveries_total{outcome="delivered"} 1\n')
      expect(text).toContain('lorahooks_deliveries_total{outcome="retry"} 1\n')
      expect(text).toContain('lorahooks_deliveries_total{outcome="failed"} 0\n')
      expect(text).toContain('# TYPE lorahooks_attempt_duration_seconds histogram')
      expect(text).toContain('lorahooks_attempt_duration_seconds_bucket{le="+Inf"} 2\n')
      expect(text).toContain('lorahooks_attempt_duration_seconds_count 2\n')
      expect(text).toContain('lorahooks_queue_depth{state="pending"} 1\n')
      expect(text).toContain('lorahooks_queue_depth{state="inflight"} 0\n')
      expect(text).toMatch(/\nlorahooks_oldest_pending_age_seconds \d+(\.\d+)?\n/)
      expect(text).toContain('lorahooks_webhooks_unhealthy 1\n')
      expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('lets two workers share one database without attempting a delivery twice', async () => {
    const h = await harness()
    const other = secondWorker(h)
    other.worker.start()
    try {
      await h.addWebhook('wh1', {})
      await h.acceptAll(Array.from({ length: 200 }, (_, i) => i + 1))
      await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 200)
      const fCnts = h.receiver.requests().map(fCntOf)
      expect(fCnts).toHaveLength(200)
      expect(new Set(fCnts).size).toBe(200)
    } finally {
      await other.worker.stop()
      await other.sender.close()
    }
  })

  it('takes over the deliveries a crashed worker had leased once the lease expires', async () => {
    const h = await harness()
    await h.worker.stop()
    await h.addWebhook('wh1', {})
    await h.acceptAll([1, 2])
    // A worker that claimed and then died (kill -9): the leases are simply never given back.
    expect(await h.store.claimDeliveries(10, 200, Date.now())).toHaveLength(2)

    const other = secondWorker(h, 50)
    other.worker.start()
    try {
      await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 2)
      expect(h.receiver.requests().map(fCntOf)).toEqual([1, 2])
    } finally {
      await other.worker.stop()
      await other.sender.close()
    }
  })

  it('finishes attempts in flight on stop and gives unstarted claims back', async () => {
    const h = await harness({ worker: { webhookConcurrency: 1 } })
    h.receiver.setBehavior({ path: '/slow', responses: [{ delayMs: 300 }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/slow' } })
    await h.acceptAll([1, 2, 3])
    await waitFor(() => h!.receiver.requests().length === 1)

    await h.worker.stop()
    const rows = await h.store.findDeliveries({
      applicationId: 'app1',
      webhookId: 'wh1',
      limit: 10,
    })
    expect(rows.map((row) => [row.state, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['delivered', 1],
    ])
    await sleep(50)
    expect(h.receiver.requests()).toHaveLength(1)
  })
})
