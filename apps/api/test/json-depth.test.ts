import { MAX_JSON_DEPTH } from '@lorahooks/formatters'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
let upKey: string
const simulate = '/api/v3/as/applications/app1/devices/dev1/up/simulate'
const batch = '/api/v3/as/applications/app1/up/batch'
const push = '/api/v3/as/applications/app1/webhooks/wh1/devices/dev1/down/push'

/** `depth` levels of `{"a":…}` as text: JSON.stringify itself would overflow on deep values. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1)
}

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createDevice('app1', 'dev1')
  const webhook = {
    ids: { webhook_id: 'wh1' },
    base_url: 'http://127.0.0.1:9001/h',
    format: 'json',
    uplink_message: {},
  }
  expect((await h.json('POST', '/api/v3/as/webhooks/app1', { body: { webhook } })).status).toBe(200)
  upKey = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_UP_WRITE'])).key
})
afterEach(() => h.close())

function expectTooDeep(res: { status: number; body: any }) {
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expectTtsError(res.body, 3, 'decode_body')
  expect(res.body.message).toContain(`maximum depth of ${MAX_JSON_DEPTH}`)
}

describe('JSON nesting deeper than the limit is 400, never a stack overflow', () => {
  it.each([MAX_JSON_DEPTH + 1, 100_000])('simulate: a body %i levels deep', async (depth) => {
    expectTooDeep(await h.json('POST', simulate, { key: upKey, rawBody: nested(depth) }))
  })

  it('simulate: a decoded_payload nested 6,000 deep', async () => {
    const rawBody = `{"uplink_message":{"f_port":1,"decoded_payload":${nested(6_000)}}}`
    expectTooDeep(await h.json('POST', simulate, { key: upKey, rawBody }))
  })

  it('simulate: takes a decoded_payload that reaches exactly the limit', async () => {
    // The body, uplink_message and decoded_payload are three of the levels.
    const payload = nested(MAX_JSON_DEPTH - 2)
    const rawBody = `{"uplink_message":{"f_port":1,"decoded_payload":${payload}}}`
    const res = await h.json('POST', simulate, { key: upKey, rawBody })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  })

  it('batch: a message nested 100,000 deep', async () => {
    const rawBody = `{"messages":[${nested(100_000)}]}`
    expectTooDeep(await h.json('POST', batch, { key: upKey, rawBody }))
  })

  it('PUT and POST webhook: a body 100,000 deep', async () => {
    const rawBody = `{"webhook":{"ids":{"webhook_id":"wh2"},"headers":${nested(100_000)}}}`
    expectTooDeep(await h.json('PUT', '/api/v3/as/webhooks/app1/wh2', { rawBody }))
    expectTooDeep(await h.json('POST', '/api/v3/as/webhooks/app1', { rawBody }))
    expect((await h.json('GET', '/api/v3/as/webhooks/app1/wh2')).status).toBe(404)
  })

  it('downlink push: a decoded_payload 100,000 deep', async () => {
    const rawBody = `{"downlinks":[{"f_port":1,"decoded_payload":${nested(100_000)}}]}`
    expectTooDeep(await h.json('POST', push, { rawBody }))
  })

  it('other JSON bodies: an application 100,000 deep', async () => {
    const res = await h.json('POST', '/api/v3/applications', { rawBody: nested(100_000) })
    expectTooDeep(res)
  })
})
