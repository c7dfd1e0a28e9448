import { afterEach, describe, expect, it } from 'vitest'
import { acceptAt, attempt, createUplinkWebhook } from './delivery-helpers.js'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
afterEach(() => h.close())

async function scrape(headers: Record<string, string> = {}) {
  const res = await h.request('GET', '/metrics', { key: null, headers })
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
}

/** The value of one sample, by its name with labels exactly as written. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

async function setUp(env: Record<string, string> = {}) {
  h = await createHarness(env)
  await h.createApplication('app1')
  await h.createDevice('app1', 'dev1')
  await createUplinkWebhook(h)
}

describe('GET /metrics', () => {
  it('serves the queue gauges and API counters in the text format', async () => {
    await setUp()
    const res = await scrape()
    expect(res.status).toBe(200)
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8')
    for (const family of [
      '# TYPE lorahooks_queue_depth gauge',
      '# TYPE lorahooks_dead_letters gauge',
      '# TYPE lorahooks_oldest_pending_age_seconds gauge',
      '# TYPE lorahooks_webhooks_unhealthy gauge',
      '# TYPE lorahooks_messages_accepted_total counter',
      '# TYPE lorahooks_http_requests_total counter',
      '# TYPE lorahooks_http_request_duration_seconds histogram',
    ]) {
      expect(res.text).toContain(family)
    }
    expect(sample(res.text, 'lorahooks_queue_depth{state="pending"}')).toBe(0)
    expect(sample(res.text, 'lorahooks_queue_depth{state="inflight"}')).toBe(0)
    expect(sample(res.text, 'lorahooks_dead_letters')).toBe(0)
    expect(sample(res.text, 'lorahooks_oldest_pending_age_seconds')).toBe(0)
    expect(sample(res.text, 'lorahooks_webhooks_unhealthy')).toBe(0)
    for (const endpoint of ['simulate', 'batch', 'downlink']) {
      expect(sample(res.text, `lorahooks_messages_accepted_total{endpoint="${endpoint}"}`)).toBe(0)
    }
    expect(res.text.endsWith('\n')).toBe(true)
  })

  it('moves the gauges and counters as messages are accepted and attempted', async () => {
    await setUp()
    const up = '/api/v3/as/applications/app1/devices/dev1/up/simulate'
    const body = { uplink_message: { f_port: 1, frm_payload: 'AQ==' } }
    expect((await h.json('POST', up, { body })).status).toBe(200)
    const batch = await h.json('POST', '/api/v3/as/applications/app1/up/batch', {
      body: { messages: [0, 1, 2].map(() => ({ end_device_ids: { device_id: 'dev1' }, ...body })) },
    })
    expect(batch.body).toEqual({ accepted: 3 })
    const push = await h.json('POST', '/api/v3/as/applications/app1/devices/dev1/down/push', {
      body: { downlinks: [{ f_port: 1, frm_payload: 'AQ==' }, { f_port: 2, frm_payload: 'Ag==' }] },
    })
    expect(push.status).toBe(200)

    const after = (await scrape()).text
    expect(sample(after, 'lorahooks_messages_accepted_total{endpoint="simulate"}')).toBe(1)
    expect(sample(after, 'lorahooks_messages_accepted_total{endpoint="batch"}')).toBe(3)
    expect(sample(after, 'lorahooks_messages_accepted_total{endpoint="downlink"}')).toBe(2)
    // The webhook takes uplinks only, so the downlink_queued messages are not delivered.
    expect(sample(after, 'lorahooks_queue_depth{state="pending"}')).toBe(4)
    expect(sample(after, 'lorahooks_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0)

    const old = Date.now() - 120_000
    await acceptAt(h.store, old, ['dev1'])
    const [oldest] = await h.store.findDeliveries({
      applicationId: 'app1',
      webhookId: 'wh1',
      until: old + 1,
      limit: 1,
    })
    await attempt(h.store, Date.now(), new Map([[oldest!.id, { kind: 'failed', status: 500 }]]))
    await h.store.claimDeliveries(1, 60_000, Date.now())

    const later = (await scrape()).text
    expect(sample(later, 'lorahooks_dead_letters')).toBe(1)
    expect(sample(later, 'lorahooks_webhooks_unhealthy')).toBe(1)
    expect(sample(later, 'lorahooks_queue_depth{state="pending"}')).toBe(3)
    expect(sample(later, 'lorahooks_queue_depth{state="inflight"}')).toBe(1)
  })

  it('reports the age of the oldest pending delivery', async () => {
    await setUp()
    await acceptAt(h.store, Date.now() - 90_000, ['dev1'])
    const age = sample((await scrape()).text, 'lorahooks_oldest_pending_age_seconds')
    expect(age).toBeGreaterThanOrEqual(90)
    expect(age).toBeLessThan(120)
  })

  it('counts requests by route pattern, not raw path, with a duration histogram', async () => {
    await setUp()
    await h.json('GET', '/api/v3/as/webhooks/app1/wh1')
    await h.json('GET', '/api/v3/as/webhooks/app1/wh404')
    await h.json('GET', '/api/v3/as/webhooks/app1/wh1', { key: null })
    await h.json('GET', '/nowhere')

    const text = (await scrape()).text
    const route = '/api/v3/as/webhooks/:applicationId/:webhookId'
    const series = (status: number) =>
      `lorahooks_http_requests_total{method="GET",route="${route}",status="${status}"}`
    expect(sample(text, series(200))).toBe(1)
    expect(sample(text, series(404))).toBe(1)
    expect(sample(text, series(401))).toBe(1)
    expect(
      sample(text, 'lorahooks_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(1)
    expect(
      sample(
        text,
        'lorahooks_http_requests_total{method="POST",route="/api/v3/as/webhooks/:applicationId",' +
          'status="200"}',
      ),
    ).toBe(1)
    expect(text).not.toContain('wh404')

    const histogram = 'lorahooks_http_request_duration_seconds'
    const labels = `method="GET",route="${route}"`
    expect(sample(text, `${histogram}_count{${labels}}`)).toBe(3)
    expect(sample(text, `${histogram}_bucket{${labels},le="+Inf"}`)).toBe(3)
    expect(sample(text, `${histogram}_sum{${labels}}`)).toBeGreaterThan(0)
  })

  it('needs the bearer token when LORAHOOKS_METRICS_TOKEN is set', async () => {
    await setUp({ LORAHOOKS_METRICS_TOKEN: 'scrape-me' })
    const open = await h.json('GET', '/metrics', { key: null })
    expect(open.status).toBe(401)
    expectTtsError(open.body, 16)
    expect((await scrape({ Authorization: 'Bearer nope' })).status).toBe(401)
    expect((await scrape({ Authorization: 'Basic scrape-me' })).status).toBe(401)
    const ok = await scrape({ Authorization: 'Bearer scrape-me' })
    expect(ok.status).toBe(200)
    expect(ok.text).toContain('lorahooks_queue_depth{state="pending"} 0')
  })
})
