import { randomBytes } from 'node:crypto'
import { createMockEndpoint, type RecordedRequest } from '@lorahooks/mock-endpoint/lib'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import {
  attemptLines,
  fCntOf,
  header,
  sleep,
  harnessPerTest,
  waitFor,
  type Harness,
} from './harness.js'

const harness = harnessPerTest()

function headersOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(request.headers.map(([name, value]) => [name.toLowerCase(), value]))
}

async function deliveryOf(h: Harness, webhookId: string) {
  const [row] = await h.store.findDeliveries({ applicationId: 'app1', webhookId, limit: 1 })
  return row ? h.store.getDelivery('app1', webhookId, row.id) : undefined
}

describe('retries', () => {
  it('delivers everything, in order, once an endpoint that was down comes back', async () => {
    const h = await harness({ worker: { health: { threshold: 2, retryIntervalMs: 200 } } })
    const down = await createMockEndpoint({ host: '127.0.0.1', port: 0 })
    const port = down.port
    await down.close()
    await h.addWebhook('wh1', {
      base_url: `http://127.0.0.1:${port}`,
      uplink_message: { path: '/up' },
    })
    for (let fCnt = 1; fCnt <= 5; fCnt++) await h.accept(fCnt)

    await waitFor(() => attemptLines(h.logs, 'wh1').length >= 6)
    const refused = attemptLines(h.logs, 'wh1').map((line) => String(line['error']))
    expect(refused.every((error) => error.startsWith('connection refused'))).toBe(true)

    const up = await createMockEndpoint({ host: '127.0.0.1', port })
    try {
      await waitFor(async () => (await h.store.countDeliveries())['delivered'] === 5)
      expect(up.requests({ path: '/up' }).map(fCntOf)).toEqual([1, 2, 3, 4, 5])
    } finally {
      await up.close()
    }
  })

  it('retries 500, 500, 200 with one id, identical bytes and signatures that verify', async () => {
    const h = await harness()
    const secret = `whsec_${randomBytes(24).toString('base64')}`
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500 }, { status: 500 }, {}] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } }, { secret })
    const messageId = await h.accept(7)

    await waitFor(async () => (await deliveryOf(h, 'wh1'))?.state === 'delivered')
    await sleep(300)
    const requests = h.receiver.requests({ path: '/up' })
    expect(requests).toHaveLength(3)
    expect(new Set(requests.map((r) => r.body)).size).toBe(1)
    expect(requests.map((r) => header(r, 'webhook-id'))).toEqual(
      Array.from({ length: 3 }, () => [`msg_${messageId}`]),
    )
    const verifier = new Webhook(secret)
    for (const request of requests) {
      const raw = Buffer.from(request.body, 'base64')
      const verified = verifier.verify(raw, headersOf(request))
      expect(verified).toMatchObject({ uplink_message: { f_cnt: 7 } })
    }

    const delivery = await deliveryOf(h, 'wh1')
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200 })
    expect(delivery?.attemptLog.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ])

    const otherId = await h.accept(8)
    await waitFor(() => h!.receiver.requests({ path: '/up' }).length === 4)
    const fourth = h.receiver.requests({ path: '/up' })[3]!
    expect(header(fourth, 'webhook-id')).toEqual([`msg_${otherId}`])
  })

  it('writes one structured log line per attempt', async () => {
    const h = await harness()
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 503 }, {}] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    const messageId = await h.accept(1)

    await waitFor(() => attemptLines(h.logs, 'wh1').length === 2)
    const [failed, delivered] = attemptLines(h.logs, 'wh1')
    expect(failed).toMatchObject({
      level: 30,
      messageId,
      applicationId: 'app1',
      webhookId: 'wh1',
      deviceId: 'dev1',
      attempt: 1,
      url: `${h.receiver.url}/up`,
      status: 503,
      outcome: 'retry',
      error: 'endpoint answered 503',
    })
    expect(typeof failed?.['deliveryId']).toBe('number')
    expect(typeof failed?.['durationMs']).toBe('number')
    expect(Date.parse(String(failed?.['nextAttemptAt']))).toBeGreaterThan(Date.now() - 5000)
    expect(delivered).toMatchObject({ attempt: 2, status: 200, outcome: 'delivered' })
    expect(delivered).not.toHaveProperty('nextAttemptAt')
  })

  it('honours Retry-After on 429 instead of the schedule', async () => {
    const h = await harness({ worker: { retry: { scheduleMs: [20_000], maxAgeMs: 60_000 } } })
    h.receiver.setBehavior({
      path: '/up',
      responses: [{ status: 429, headers: { 'Retry-After': '1' } }, {}],
    })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    await h.accept(1)

    await waitFor(() => h!.receiver.requests({ path: '/up' }).length === 2, 4000)
    const times = h.receiver.requests({ path: '/up' }).map((r) => Date.parse(r.receivedAt))
    const [first, second] = times
    expect(second! - first!).toBeGreaterThanOrEqual(950)
    expect(second! - first!).toBeLessThan(2500)
    await waitFor(async () => (await deliveryOf(h, 'wh1'))?.state === 'delivered')
  })

  it('keeps a delivery that runs out of retries as a failed dead letter', async () => {
    const h = await harness({ worker: { retry: { scheduleMs: [50], maxAgeMs: 400 } } })
    h.receiver.setBehavior({ path: '/up', responses: [{ status: 500, body: 'down' }] })
    await h.addWebhook('wh1', { uplink_message: { path: '/up' } })
    await h.accept(1)

    await waitFor(async () => (await deliveryOf(h, 'wh1'))?.state === 'failed')
    const attempts = h.receiver.requests({ path: '/up' }).length
    expect(attempts).toBeGreaterThanOrEqual(3)
    await sleep(200)
    expect(h.receiver.requests({ path: '/up' })).toHaveLength(attempts)
    const delivery = await deliveryOf(h, 'wh1')
    expect(delivery?.attemptLog).toHaveLength(attempts)
    expect(delivery?.attemptLog.at(-1)).toMatchObject({ status: 500, responseExcerpt: 'down' })
    expect(attemptLines(h.logs, 'wh1').at(-1)).toMatchObject({ outcome: 'failed' })
  })
})
