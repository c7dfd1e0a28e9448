import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acceptAt, attempt, createUplinkWebhook, type Outcome } from './delivery-helpers.js'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
/** Delivery ids in creation order: d[0] is the oldest. */
let d: number[]
const base = '/api/v3/as/webhooks/app1/wh1/deliveries'
const T0 = Date.parse('2024-10-02T07:40:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()

async function ids(query: string) {
  const res = await h.json('GET', `${base}${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.deliveries.map((delivery: any) => Number(delivery.id))
}

async function play(at: number, outcomes: Array<[number, Outcome]>) {
  await attempt(h.store, at, new Map(outcomes))
}

/**
 * Five deliveries: d0 (dev1) failed after a retry, d1 (dev2) delivered, d2 (dev1) pending
 * after a 503, d3 (dev2) and d4 (dev1) never attempted.
 */
beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
  await createUplinkWebhook(h)
  await acceptAt(h.store, T0, ['dev1', 'dev2'])
  await acceptAt(h.store, T0 + 1000, ['dev1'])
  await acceptAt(h.store, T0 + 2000, ['dev2'])
  await acceptAt(h.store, T0 + 3000, ['dev1'])
  const all = await h.store.findDeliveries({ applicationId: 'app1', webhookId: 'wh1', limit: 9 })
  d = all.map((row) => row.id).reverse()

  await play(T0 + 10_000, [
    [d[0]!, { kind: 'retry', status: 500, error: 'status 500' }],
    [d[1]!, { kind: 'delivered', status: 200 }],
    [d[2]!, { kind: 'retry', status: 503, error: 'status 503' }],
  ])
  await play(T0 + 20_000, [[d[0]!, { kind: 'failed', status: 500, error: 'gave up' }]])
})
afterEach(() => h.close())

describe('GET deliveries', () => {
  it('lists newest first in the documented shape', async () => {
    const res = await h.json('GET', base)
    expect(res.status).toBe(200)
    expect(res.body).not.toHaveProperty('next_page_token')
    expect(res.body.deliveries.map((x: any) => Number(x.id))).toEqual([...d].reverse())

    const failed = res.body.deliveries.find((x: any) => x.id === String(d[0]))
    expect(failed).toEqual({
      id: String(d[0]),
      message_id: `msg-${T0}-0`,
      message_type: 'uplink_message',
      device_id: 'dev1',
      state: 'failed',
      attempts: 2,
      last_status: 500,
      last_error: 'gave up',
      created_at: '2024-10-02T07:40:00.000Z',
      updated_at: '2024-10-02T07:40:20.000Z',
    })
    const retrying = res.body.deliveries.find((x: any) => x.id === String(d[2]))
    expect(Object.keys(retrying)).toEqual([
      'id',
      'message_id',
      'message_type',
      'device_id',
      'state',
      'attempts',
      'next_attempt_at',
      'last_status',
      'last_error',
      'created_at',
      'updated_at',
    ])
    expect(retrying).toMatchObject({ state: 'pending', next_attempt_at: iso(T0 + 15_000) })
    const fresh = res.body.deliveries.find((x: any) => x.id === String(d[4]))
    expect(fresh).toMatchObject({ state: 'pending', attempts: 0, next_attempt_at: iso(T0 + 3000) })
    expect(fresh).not.toHaveProperty('last_status')
  })

  it('filters by state, device, since and until, also combined', async () => {
    expect(await ids('?state=failed')).toEqual([d[0]])
    expect(await ids('?state=delivered')).toEqual([d[1]])
    expect(await ids('?state=pending')).toEqual([d[4], d[3], d[2]])
    expect(await ids('?state=cancelled')).toEqual([])
    expect(await ids('?device_id=dev2')).toEqual([d[3], d[1]])
    expect(await ids(`?since=${iso(T0 + 1000)}`)).toEqual([d[4], d[3], d[2]])
    expect(await ids(`?until=${iso(T0 + 2000)}`)).toEqual([d[2], d[1], d[0]])
    expect(await ids(`?since=${iso(T0 + 1000)}&until=${iso(T0 + 3000)}`)).toEqual([d[3], d[2]])
    expect(await ids(`?since=2024-10-02T09:40:01%2B02:00`)).toEqual([d[4], d[3], d[2]])
    expect(await ids('?state=pending&device_id=dev1')).toEqual([d[4], d[2]])
  })

  it('pages with limit and next_page_token', async () => {
    const first = await h.json('GET', `${base}?limit=2`)
    expect(first.body.deliveries.map((x: any) => Number(x.id))).toEqual([d[4], d[3]])
    expect(first.body.next_page_token).toBe(String(d[3]))

    const second = await h.json('GET', `${base}?limit=2&page_token=${first.body.next_page_token}`)
    expect(second.body.deliveries.map((x: any) => Number(x.id))).toEqual([d[2], d[1]])
    const third = await h.json('GET', `${base}?limit=2&page_token=${second.body.next_page_token}`)
    expect(third.body.deliveries.map((x: any) => Number(x.id))).toEqual([d[0]])
    expect(third.body).not.toHaveProperty('next_page_token')

    const exact = await h.json('GET', `${base}?limit=5`)
    expect(exact.body.deliveries).toHaveLength(5)
    expect(exact.body).not.toHaveProperty('next_page_token')
    expect(await ids(`?device_id=dev1&limit=1&page_token=${d[4]}`)).toEqual([d[2]])
  })

  it.each([
    ['state=nope', 'state'],
    ['state=FAILED', 'state'],
    ['device_id=Dev_1', 'device_id'],
    ['since=yesterday', 'since'],
    ['since=2024-10-02', 'since'],
    ['until=2024-13-40T00:00:00Z', 'until'],
    [`since=${iso(T0)}&until=${iso(T0)}`, 'until'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['page_token=abc', 'page_token'],
    ['page_token=0', 'page_token'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await h.json('GET', `${base}?${query}`)
    expect(res.status).toBe(400)
    expect(expectTtsError(res.body, 3).attributes.field).toBe(field)
  })

  it('names every bad parameter at once and takes limit 1000', async () => {
    const res = await h.json('GET', `${base}?state=x&limit=-1&since=never`)
    const fields = res.body.details[0].attributes.violations.map((v: any) => v.field)
    expect(fields.sort()).toEqual(['limit', 'since', 'state'])
    expect(await ids('?limit=1000')).toHaveLength(5)
  })

  it('answers 404 for an unknown webhook, 403 without TRAFFIC_READ', async () => {
    const missing = await h.json('GET', '/api/v3/as/webhooks/app1/wh404/deliveries')
    expect(missing.status).toBe(404)
    expectTtsError(missing.body, 5, 'webhook_not_found')
    expect((await h.json('GET', '/api/v3/as/webhooks/app1/WH/deliveries')).status).toBe(400)

    const downOnly = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'])
    expect((await h.json('GET', base, { key: downOnly.key })).status).toBe(403)
    const other = await h.createKey('app2', ['RIGHT_APPLICATION_ALL'])
    expect((await h.json('GET', base, { key: other.key })).status).toBe(403)
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])
    expect((await h.json('GET', base, { key: reader.key })).status).toBe(200)
  })
})

describe('GET one delivery', () => {
  it('returns the delivery with its attempt log', async () => {
    const res = await h.json('GET', `${base}/${d[0]}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: String(d[0]),
      message_id: `msg-${T0}-0`,
      message_type: 'uplink_message',
      device_id: 'dev1',
      state: 'failed',
      attempts: 2,
      last_status: 500,
      last_error: 'gave up',
      created_at: iso(T0),
      updated_at: iso(T0 + 20_000),
      attempt_log: [
        {
          attempt: 1,
          started_at: iso(T0 + 10_000),
          url: 'http://127.0.0.1:9/hook/up',
          status: 500,
          duration_ms: 12.5,
          error: 'status 500',
          response_excerpt: 'answer 500',
        },
        {
          attempt: 2,
          started_at: iso(T0 + 20_000),
          url: 'http://127.0.0.1:9/hook/up',
          status: 500,
          duration_ms: 12.5,
          error: 'gave up',
          response_excerpt: 'answer 500',
        },
      ],
    })
    const fresh = await h.json('GET', `${base}/${d[4]}`)
    expect(fresh.body.attempt_log).toEqual([])
  })

  it('shows query values of attempt URLs only to callers who may manage the webhook', async () => {
    const url = 'http://127.0.0.1:9/hook/up?token=SECRET'
    await attempt(h.store, T0 + 30_000, new Map([[d[4]!, { kind: 'delivered', status: 200, url }]]))
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])
    const seen = await h.json('GET', `${base}/${d[4]}`, { key: reader.key })
    expect(seen.body.attempt_log.map((entry: any) => entry.url)).toEqual([
      'http://127.0.0.1:9/hook/up?token=***',
    ])
    const managed = await h.json('GET', `${base}/${d[4]}`)
    expect(managed.body.attempt_log.map((entry: any) => entry.url)).toEqual([url])
  })

  it('answers 404 for an unknown delivery or another webhook, 400 for a bad id', async () => {
    await createUplinkWebhook(h, 'wh2')
    const missing = await h.json('GET', `${base}/99999`)
    expect(missing.status).toBe(404)
    expect(expectTtsError(missing.body, 5, 'delivery_not_found').attributes.delivery_id).toBe(
      '99999',
    )
    for (const webhookId of ['wh2', 'wh404']) {
      const url = `/api/v3/as/webhooks/app1/${webhookId}/deliveries/${d[0]}`
      expect((await h.json('GET', url)).status).toBe(404)
    }
    const bad = await h.json('GET', `${base}/abc`)
    expect(bad.status).toBe(400)
    expect(bad.body.details[0].attributes.field).toBe('id')
  })
})

describe('re-sending', () => {
  it('queues a failed or delivered delivery again', async () => {
    const before = Date.now()
    for (const id of [d[0], d[1]]) {
      const res = await h.json('POST', `${base}/${id}/resend`)
      expect(res).toEqual({ status: 200, body: {} })
      const row = (await h.json('GET', `${base}/${id}`)).body
      expect(row.state).toBe('pending')
      expect(Date.parse(row.next_attempt_at)).toBeGreaterThanOrEqual(before)
    }
    expect(await ids('?state=pending')).toEqual([d[4], d[3], d[2], d[1], d[0]])
  })

  it('answers 409 while the delivery is pending or in flight, 404 when unknown', async () => {
    const pending = await h.json('POST', `${base}/${d[2]}/resend`)
    expect(pending.status).toBe(409)
    const detail = expectTtsError(pending.body, 10, 'delivery_not_finished')
    expect(detail.attributes).toEqual({ delivery_id: String(d[2]), state: 'pending' })

    await h.store.claimDeliveries(10, 60_000, T0 + 30_000)
    const inflight = await h.json('POST', `${base}/${d[2]}/resend`)
    expect(inflight.status).toBe(409)
    expect(inflight.body.details[0].attributes.state).toBe('inflight')

    expect((await h.json('POST', `${base}/99999/resend`)).status).toBe(404)
    const unknownWebhook = '/api/v3/as/webhooks/app1/wh404/deliveries/1/resend'
    expect((await h.json('POST', unknownWebhook)).status).toBe(404)
  })

  it('needs the rights to manage webhooks', async () => {
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])
    const one = await h.json('POST', `${base}/${d[0]}/resend`, { key: reader.key })
    expect(one.status).toBe(403)
    const bulk = await h.json('POST', `${base}/resend`, { key: reader.key, body: {} })
    expect(bulk.status).toBe(403)
    expect((await h.json('GET', `${base}/${d[0]}`)).body.state).toBe('failed')
  })

  it('re-sends the failed deliveries created since a time', async () => {
    await play(T0 + 30_000, [
      [d[2]!, { kind: 'failed', status: 503, error: 'gave up' }],
      [d[3]!, { kind: 'failed', status: 404, error: 'gave up' }],
    ])
    expect(await ids('?state=failed')).toEqual([d[3], d[2], d[0]])

    const res = await h.json('POST', `${base}/resend`, {
      body: { state: 'failed', since: iso(T0 + 1000) },
    })
    expect(res).toEqual({ status: 200, body: { resent: 2 } })
    expect(await ids('?state=failed')).toEqual([d[0]])
    expect(await ids('?state=pending')).toEqual([d[4], d[3], d[2]])

    const rest = await h.json('POST', `${base}/resend`, { body: {} })
    expect(rest.body).toEqual({ resent: 1 })
    const none = await h.json('POST', `${base}/resend`)
    expect(none.body).toEqual({ resent: 0 })
  })

  it.each([
    [{ state: 'delivered' }, 'state'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: 1_700_000_000 }, 'since'],
  ])('refuses the bulk body %j with 400 naming %s', async (body, field) => {
    const res = await h.json('POST', `${base}/resend`, { body })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe(field)
    expect(await ids('?state=failed')).toEqual([d[0]])
  })

  it('answers 404 for the bulk re-send of an unknown webhook', async () => {
    const res = await h.json('POST', '/api/v3/as/webhooks/app1/wh404/deliveries/resend', {
      body: {},
    })
    expect(res.status).toBe(404)
  })
})
