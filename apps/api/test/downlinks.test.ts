import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  MAX_DOWNLINK_QUEUE_LENGTH,
  MAX_DOWNLINKS_PER_REQUEST,
} from '../src/downlinks.js'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
let downKey: string
const push = '/api/v3/as/applications/app1/webhooks/wh1/devices/dev1/down/push'
const replace = '/api/v3/as/applications/app1/webhooks/wh1/devices/dev1/down/replace'
const plainPush = '/api/v3/as/applications/app1/devices/dev1/down/push'
const plainReplace = '/api/v3/as/applications/app1/devices/dev1/down/replace'
const queueUrl = '/api/v3/as/applications/app1/devices/dev1/down'

async function createWebhook(id: string, extra: Record<string, unknown> = {}, app = 'app1') {
  const res = await h.json('POST', `/api/v3/as/webhooks/${app}`, {
    body: {
      webhook: {
        ids: { webhook_id: id },
        base_url: 'http://127.0.0.1:9001/h',
        format: 'json',
        ...extra,
      },
    },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
}

async function queue(): Promise<any[]> {
  const res = await h.json('GET', queueUrl)
  expect(res.status).toBe(200)
  return res.body.downlinks
}

const payloads = async () => (await queue()).map((item) => item.frm_payload)

function send(url: string, downlinks: unknown[], key: string | null = downKey) {
  return h.json('POST', url, { key, body: { downlinks } })
}

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
  await h.createDevice('app1', 'dev1', {
    dev_eui: '70B3D57ED0000001',
    join_eui: '800000000000000C',
    dev_addr: '00BCB929',
  })
  await createWebhook('wh1', { downlink_queued: { path: '/queued' } })
  downKey = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'])).key
})
afterEach(() => h.close())

describe('W10: FPorts on push and replace', () => {
  for (const [label, url] of [
    ['push', push],
    ['replace', replace],
    ['plain push', plainPush],
  ] as const) {
    it.each([1, 223])(`${label}: queues f_port %i`, async (port) => {
      const res = await send(url, [{ f_port: port, frm_payload: 'AQID' }])
      expect(res.status).toBe(200)
      const items = await queue()
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({ f_port: port, frm_payload: 'AQID' })
      expect([...Buffer.from(items[0].frm_payload, 'base64')]).toEqual([1, 2, 3])
    })

    it.each([0, 224, 225, 255, undefined])(`${label}: refuses f_port %s`, async (port) => {
      await send(plainPush, [{ f_port: 9, frm_payload: 'CQ==' }])
      const res = await send(url, [{ f_port: port, frm_payload: 'AQID' }])
      expect(res.status).toBe(400)
      const detail = expectTtsError(res.body, 3)
      expect(detail.attributes.field).toBe('downlinks[0].f_port')
      expect(res.body.message).toContain('1–223')
      expect(await payloads()).toEqual(['CQ=='])
    })
  }
})

describe('W12: push and replace semantics', () => {
  it('pushes, replaces, ignores empty pushes and clears with empty replace', async () => {
    expect((await send(push, [{ f_port: 1, frm_payload: 'AQ==' }])).status).toBe(200)
    expect((await send(push, [{ f_port: 1, frm_payload: 'Ag==' }])).status).toBe(200)
    expect(await payloads()).toEqual(['AQ==', 'Ag=='])

    const replaced = await send(replace, [{ f_port: 1, frm_payload: 'Aw==' }])
    expect(replaced.status).toBe(200)
    expect(await payloads()).toEqual(['Aw=='])

    expect(await send(push, [])).toEqual({ status: 200, body: { downlinks: [] } })
    expect(await payloads()).toEqual(['Aw=='])

    expect((await send(replace, [])).status).toBe(200)
    expect(await payloads()).toEqual([])

    const noDevice = await send(
      '/api/v3/as/applications/app1/webhooks/wh1/devices/dev404/down/push',
      [{ f_port: 1, frm_payload: 'AQ==' }],
    )
    expect(noDevice.status).toBe(404)
    expect(noDevice.body.message).toContain('end device `dev404` not found')

    const noWebhook = await send(
      '/api/v3/as/applications/app1/webhooks/wh404/devices/dev1/down/push',
      [{ f_port: 1, frm_payload: 'AQ==' }],
    )
    expect(noWebhook.status).toBe(404)
    expect(noWebhook.body.message).toContain('webhook `wh404` not found')
    expect(await payloads()).toEqual([])
  })

  it('answers with the queued items and their correlation IDs', async () => {
    const res = await send(push, [
      { f_port: 1, frm_payload: 'AQ==', correlation_ids: ['mine:1'] },
      { f_port: 2, frm_payload: 'Ag==', confirmed: true, priority: 'HIGH' },
    ])
    expect(res.status).toBe(200)
    const [first, second] = res.body.downlinks
    const generated = expect.stringMatching(/^as:downlink:[0-9A-Z]{26}$/)
    expect(first.correlation_ids).toEqual(['mine:1', generated])
    expect(second).toEqual({
      f_port: 2,
      frm_payload: 'Ag==',
      confirmed: true,
      priority: 'HIGH',
      correlation_ids: [generated],
    })
    expect(first.correlation_ids[1]).not.toBe(second.correlation_ids[0])
    expect(await queue()).toEqual(res.body.downlinks)
  })

  it('accepts one downlink_queued message per item for webhooks that want it', async () => {
    await createWebhook('wh2', { uplink_message: {} })
    const res = await send(push, [
      { f_port: 15, frm_payload: 'vu8=', confirmed: true },
      { f_port: 16, frm_payload: 'AQ==' },
    ])
    expect(res.status).toBe(200)

    const wh1 = await h.store.listDeliveries('app1', 'wh1', 10)
    expect(wh1.map((d) => d.messageType)).toEqual(['downlink_queued', 'downlink_queued'])
    expect(await h.store.listDeliveries('app1', 'wh2', 10)).toEqual([])

    const claimed = await h.store.claimDeliveries(10, 60_000, Date.now())
    const bodies = claimed.map((d) => JSON.parse(d.body)).sort((a, b) =>
      a.downlink_queued.f_port - b.downlink_queued.f_port,
    )
    expect(bodies[0]).toEqual({
      end_device_ids: {
        device_id: 'dev1',
        application_ids: { application_id: 'app1' },
        dev_eui: '70B3D57ED0000001',
        join_eui: '800000000000000C',
        dev_addr: '00BCB929',
      },
      correlation_ids: res.body.downlinks[0].correlation_ids,
      received_at: expect.stringMatching(/Z$/),
      downlink_queued: {
        f_port: 15,
        frm_payload: 'vu8=',
        confirmed: true,
        correlation_ids: res.body.downlinks[0].correlation_ids,
        confirmed_retry: { attempt: 1 },
      },
    })
    expect(bodies[1].downlink_queued).not.toHaveProperty('confirmed_retry')
    expect(claimed.every((d) => d.devEui === '70B3D57ED0000001')).toBe(true)
  })
})

describe('W14: who may push downlinks', () => {
  const body = [{ f_port: 1, frm_payload: 'AQID' }]

  async function variant(headers: Record<string, string>, url = push) {
    return h.json('POST', url, { key: null, headers, body: { downlinks: body } })
  }

  it('runs the whole matrix and never changes the queue on failure', async () => {
    const app2Key = (await h.createKey('app2', ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'])).key
    const readOnly = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])).key
    const f = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'])

    for (const url of [push, push.replace('dev1', 'dev404')]) {
      const a = await variant({}, url)
      const b = await variant({ Authorization: f.key }, url)
      const c = await variant({ Authorization: 'Bearer NNSXS.UNKNOWN.SECRET' }, url)
      const g = await variant({ 'X-Downlink-Apikey': f.key }, url)
      for (const res of [a, b, c, g]) {
        expect(res.status).toBe(401)
        expect(res.body.message).toContain('credentials are missing or invalid')
        expect(res.body.message).not.toMatch(/app1|dev1|dev404/)
      }

      const d = await variant({ Authorization: `Bearer ${app2Key}` }, url)
      expect(d.status).toBe(403)
      expect(d.body.message).toContain('permission denied for application app1')

      const e = await variant({ Authorization: `Bearer ${readOnly}` }, url)
      expect(e.status).toBe(403)
      expect(e.body.details[0].attributes.missing_rights).toEqual([
        'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
      ])
      expect(await queue()).toEqual([])
    }

    const ok = await variant({ Authorization: `Bearer ${f.key}` })
    expect(ok.status).toBe(200)
    expect(await payloads()).toEqual(['AQID'])

    await h.json('DELETE', `/api/v3/applications/app1/api-keys/${f.id}`)
    const deleted = await variant({ Authorization: `Bearer ${f.key}` })
    expect(deleted.status).toBe(401)
    expect(await payloads()).toEqual(['AQID'])
  })

  it('checks rights before path IDs, webhook, device and body', async () => {
    const readOnly = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])).key
    const res = await h.json(
      'POST',
      '/api/v3/as/applications/app1/webhooks/BAD_ID/devices/dev404/down/push',
      { key: readOnly, rawBody: 'not json' },
    )
    expect(res.status).toBe(403)
  })

  it('checks path IDs before the webhook', async () => {
    const url = '/api/v3/as/applications/app1/webhooks/wh404/devices/Dev_1/down/push'
    const res = await send(url, body)
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('end_device_ids.device_id')
  })
})

describe('W15: decoded_payload without an encoder', () => {
  it('gives the same 400 on the webhook and plain device paths, queueing nothing', async () => {
    const answers = []
    for (const url of [push, plainPush]) {
      const res = await send(url, [{ decoded_payload: { led: 'on' } }])
      expect(res.status).toBe(400)
      const fields = res.body.details[0].attributes.violations.map((v: any) => v.field)
      expect(fields).toEqual(['downlinks[0].frm_payload', 'downlinks[0].f_port'])
      expect(res.body.message).toContain('no downlink encoder')
      answers.push(res.body.details[0].attributes.violations)
    }
    expect(answers[0]).toEqual(answers[1])
    expect(await queue()).toEqual([])
  })
})

describe('webhook state and format', () => {
  it('answers 406 with an empty body when the webhook is paused', async () => {
    await createWebhook('wh-paused', { paused: true })
    const res = await h.request(
      'POST',
      '/api/v3/as/applications/app1/webhooks/wh-paused/devices/dev1/down/push',
      { key: downKey, body: { downlinks: [{ f_port: 1, frm_payload: 'AQ==' }] } },
    )
    expect(res.status).toBe(406)
    expect(await res.text()).toBe('')
    expect(await queue()).toEqual([])
  })

  it('refuses a body that is not in the webhook format', async () => {
    const res = await h.json('POST', push, {
      key: downKey,
      rawBody: new Uint8Array([0x0a, 0x07, 0x10, 0x01, 0x22, 0x03, 0x01, 0x02, 0x03]),
    })
    expect(res.status).toBe(400)
    expectTtsError(res.body, 3, 'decode_body')

    // Stored before formats were checked on write; such a webhook is never checked on read.
    const config = { base_url: 'http://127.0.0.1:9001/h', headers: {}, format: 'protobuf' }
    const now = new Date().toISOString()
    await h.store.writeWebhook('app1', 'wh-pb', () => ({ action: 'write', config }), now)
    const json = await send(
      '/api/v3/as/applications/app1/webhooks/wh-pb/devices/dev1/down/push',
      [{ f_port: 1, frm_payload: 'AQID' }],
    )
    expect(json.status).toBe(400)
    expect(await queue()).toEqual([])
  })

  it('accepts lowerCamelCase downlink fields like protojson', async () => {
    const res = await send(push, [{ fPort: 3, frmPayload: 'AQID', correlationIds: ['x:1'] }])
    expect(res.status).toBe(200)
    expect(res.body.downlinks[0]).toMatchObject({ f_port: 3, frm_payload: 'AQID' })
  })
})

describe('alternative spellings and the queue list', () => {
  it('serves /v3/api as well as /api/v3', async () => {
    const oldSpelling = push.replace('/api/v3/', '/v3/api/')
    const res = await send(oldSpelling, [{ f_port: 1, frm_payload: 'AQ==' }])
    expect(res.status).toBe(200)
    const plain = await send(plainReplace.replace('/api/v3/', '/v3/api/'), [
      { f_port: 1, frm_payload: 'Ag==' },
    ])
    expect(plain.status).toBe(200)
    const list = await h.json('GET', queueUrl.replace('/api/v3/', '/v3/api/'))
    expect(list.body.downlinks.map((d: any) => d.frm_payload)).toEqual(['Ag=='])
  })

  it('lists the queue with TRAFFIC_READ only', async () => {
    const reader = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])).key
    expect((await h.json('GET', queueUrl, { key: reader })).status).toBe(200)
    expect((await h.json('GET', queueUrl, { key: downKey })).status).toBe(403)
    expect((await h.json('GET', queueUrl.replace('dev1', 'dev404'))).status).toBe(404)
  })
})

describe('W16: X-Downlink-Push URL and key work together', () => {
  it('accepts the downlink API key stored on the webhook as a Bearer token', async () => {
    const key = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'])).key
    await createWebhook('wh-key', { downlink_api_key: key })
    const res = await h.json(
      'POST',
      '/api/v3/as/applications/app1/webhooks/wh-key/devices/dev1/down/push',
      { key, body: { downlinks: [{ f_port: 1, frm_payload: 'AQID' }] } },
    )
    expect(res.status).toBe(200)
  })
})

describe('limits', () => {
  const item = (i: number) => ({ f_port: 1 + (i % 200), frm_payload: 'AQ==' })
  const items = (count: number, start = 0) =>
    Array.from({ length: count }, (_, i) => item(start + i))

  it.each([push, replace, plainPush, plainReplace])(
    'refuses more than the maximum of items per request: %s',
    async (url) => {
      expect((await send(url, items(MAX_DOWNLINKS_PER_REQUEST))).status).toBe(200)
      const before = await queue()
      const res = await send(url, items(MAX_DOWNLINKS_PER_REQUEST + 1))
      expect(res.status).toBe(400)
      const detail = expectTtsError(res.body, 3, 'validation')
      expect(detail.attributes.field).toBe('downlinks')
      expect(res.body.message).toContain(`the maximum is ${MAX_DOWNLINKS_PER_REQUEST}`)
      expect(await queue()).toHaveLength(before.length)
    },
  )

  it('names the item of a bad class_b_c field, not the queued message built from it', async () => {
    const bad = { f_port: 1, frm_payload: 'AQID', class_b_c: { gateways: [{ gateway_ids: 5 }] } }
    for (const url of [push, replace]) {
      const res = await send(url, [{ f_port: 2, frm_payload: 'AQ==' }, bad])
      expect(res.status).toBe(400)
      const detail = expectTtsError(res.body, 3)
      expect(detail.attributes.field).toMatch(/^downlinks\[1\]\.class_b_c\.gateways/)
    }
    expect(await queue()).toEqual([])
  })

  it('refuses a push past the queue length with 429, leaving the queue as it was', async () => {
    const rounds = MAX_DOWNLINK_QUEUE_LENGTH / MAX_DOWNLINKS_PER_REQUEST
    for (let i = 0; i < rounds; i++) {
      const res = await send(push, items(MAX_DOWNLINKS_PER_REQUEST, i * MAX_DOWNLINKS_PER_REQUEST))
      expect(res.status).toBe(200)
    }
    const full = await queue()
    expect(full).toHaveLength(MAX_DOWNLINK_QUEUE_LENGTH)

    for (const url of [push, plainPush]) {
      const res = await send(url, items(1))
      expect(res.status).toBe(429)
      const detail = expectTtsError(res.body, 8, 'downlink_queue_full')
      expect(detail.attributes).toMatchObject({
        queue_length: MAX_DOWNLINK_QUEUE_LENGTH,
        max_queue_length: MAX_DOWNLINK_QUEUE_LENGTH,
      })
    }
    expect(await queue()).toEqual(full)
    // An empty push changes nothing and is not refused; replace makes room.
    expect((await send(push, [])).status).toBe(200)
    expect((await send(replace, items(2))).status).toBe(200)
    expect(await queue()).toHaveLength(2)
  })
})
