import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acceptAt, attempt, createUplinkWebhook } from './delivery-helpers.js'
import { createHarness, type Harness } from './helpers.js'

let h: Harness
const url = '/api/v3/as/webhooks/app1/wh1?field_mask=health_status'
const T0 = Date.parse('2024-10-02T07:40:00.000Z')

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await createUplinkWebhook(h)
})
afterEach(() => h.close())

async function health() {
  const res = await h.json('GET', url)
  expect(res.status).toBe(200)
  return res.body.health_status
}

async function fail(at: number, status: number) {
  const [delivery] = await h.store.findDeliveries({
    applicationId: 'app1',
    webhookId: 'wh1',
    state: 'pending',
    limit: 1,
  })
  const outcome = { kind: 'retry' as const, status, error: `status ${status}` }
  await attempt(h.store, at, new Map([[delivery!.id, outcome]]))
}

describe('webhook health through the store', () => {
  it('is absent while pending, then unhealthy, healthy, and reset by Set', async () => {
    expect(await health()).toBeUndefined()
    await acceptAt(h.store, T0, ['dev1'])

    await fail(T0, 500)
    await fail(T0 + 5000, 503)
    expect(await health()).toEqual({
      unhealthy: {
        failed_attempts: '2',
        last_failed_attempt_at: '2024-10-02T07:40:05.000Z',
        last_failed_attempt_details: { message: 'status 503', attributes: { status: 503 } },
      },
    })
    const listed = await h.json('GET', '/api/v3/as/webhooks/app1?field_mask=health_status')
    expect(listed.body.webhooks[0].health_status.unhealthy.failed_attempts).toBe('2')

    const [delivery] = await h.store.findDeliveries({
      applicationId: 'app1',
      webhookId: 'wh1',
      limit: 1,
    })
    const delivered = { kind: 'delivered' as const, status: 200 }
    await attempt(h.store, T0 + 10_000, new Map([[delivery!.id, delivered]]))
    expect(await health()).toEqual({ healthy: {} })

    await acceptAt(h.store, T0 + 20_000, ['dev1'])
    await fail(T0 + 20_000, 404)
    expect((await health()).unhealthy.failed_attempts).toBe('1')

    const reset = await h.json('PUT', '/api/v3/as/webhooks/app1/wh1', {
      body: { webhook: {}, field_mask: { paths: ['health_status'] } },
    })
    expect(reset.status).toBe(200)
    expect(reset.body).not.toHaveProperty('health_status')
    expect(await health()).toBeUndefined()
    const row = await h.store.getWebhook('app1', 'wh1')
    const columns = [row?.health, row?.failedAttempts, row?.lastFailedAttemptAt]
    expect(columns).toEqual([undefined, 0, undefined])
  })

  it('a Set without health_status in the mask keeps the health', async () => {
    await acceptAt(h.store, T0, ['dev1'])
    await fail(T0, 500)
    await h.json('PUT', '/api/v3/as/webhooks/app1/wh1', {
      body: { webhook: { paused: true }, field_mask: { paths: ['paused'] } },
    })
    expect((await health()).unhealthy.failed_attempts).toBe('1')
  })
})
