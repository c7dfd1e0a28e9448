import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
let upKey: string
const simulate = '/api/v3/as/applications/app1/devices/dev1/up/simulate'
const batch = '/api/v3/as/applications/app1/up/batch'

async function bodies(): Promise<any[]> {
  const claimed = await h.store.claimDeliveries(100, 60_000, Date.now())
  return claimed.sort((a, b) => a.id - b.id).map((d) => JSON.parse(d.body))
}

async function rawBodies(): Promise<string[]> {
  const claimed = await h.store.claimDeliveries(100, 60_000, Date.now())
  return claimed.sort((a, b) => a.id - b.id).map((d) => d.body)
}

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
  await h.createDevice('app1', 'dev1', { dev_eui: '70B3D57ED0000001', dev_addr: '00BCB929' })
  await h.createDevice('app1', 'dev2')
  await h.createDevice('app2', 'dev1')
  const webhook = {
    ids: { webhook_id: 'wh1' },
    base_url: 'http://127.0.0.1:9001/h',
    format: 'json',
    uplink_message: {},
    join_accept: {},
  }
  expect((await h.json('POST', '/api/v3/as/webhooks/app1', { body: { webhook } })).status).toBe(200)
  upKey = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_UP_WRITE'])).key
})
afterEach(() => h.close())

describe('simulate uplink', () => {
  it('fills registry identifiers, marks it simulated, answers {} after commit', async () => {
    const res = await h.json('POST', simulate, {
      key: upKey,
      body: {
        end_device_ids: { device_id: 'dev1', dev_eui: 'FFFFFFFFFFFFFFFF' },
        correlation_ids: ['test:1'],
        uplink_message: { f_port: 1, frm_payload: 'AQID' },
      },
    })
    expect(res).toEqual({ status: 200, body: {} })

    const [up] = await bodies()
    expect(up).toEqual({
      end_device_ids: {
        device_id: 'dev1',
        application_ids: { application_id: 'app1' },
        dev_eui: '70B3D57ED0000001',
        dev_addr: '00BCB929',
      },
      correlation_ids: ['test:1', expect.stringMatching(/^as:up:[0-9A-Z]{26}$/)],
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      uplink_message: { f_port: 1, frm_payload: 'AQID' },
      simulated: true,
    })
  })

  it('keeps a given received_at and uses the as:up ULID as message ID', async () => {
    await h.json('POST', simulate, {
      key: upKey,
      body: {
        received_at: '2020-02-12T15:15:46.014773143Z',
        join_accept: { session_key_id: 'AXBSH1Pk6Z0G166hpvkfzg==' },
      },
    })
    const [claimed] = await h.store.claimDeliveries(1, 60_000, Date.now())
    const up = JSON.parse(claimed!.body)
    expect(up.received_at).toBe('2020-02-12T15:15:46.014773143Z')
    expect(up.correlation_ids).toEqual([`as:up:${claimed!.messageId}`])
    expect(claimed!.messageType).toBe('join_accept')
  })

  it('W17: keeps a 64-bit integer given as a raw JSON number exact', async () => {
    const raw =
      '{"uplink_message":{"f_port":2,"f_cnt":70000,"frm_payload":"AQID",' +
      '"rx_metadata":[{"gateway_ids":{"gateway_id":"gtw1"},"timestamp":4036323499,' +
      '"fine_timestamp":9007199254740993}],' +
      '"settings":{"data_rate":{"lora":{"bandwidth":125000,"spreading_factor":7}},' +
      '"frequency":867700000},"consumed_airtime":"0.061696s"}}'
    const res = await h.json('POST', simulate, {
      key: upKey,
      rawBody: raw,
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)

    const [body] = await rawBodies()
    expect(body).toContain('"fine_timestamp":"9007199254740993"')
    expect(body).toContain('"frequency":"867700000"')
    expect(body).toContain('"f_cnt":70000')
    expect(body).toContain('"timestamp":4036323499')
    expect(body).toContain('"dev_eui":"70B3D57ED0000001"')
    expect(body).toContain('"consumed_airtime":"0.061696s"')
  })

  it('refuses a body already marked simulated', async () => {
    const res = await h.json('POST', simulate, {
      key: upKey,
      body: { simulated: true, uplink_message: { f_port: 1 } },
    })
    expect(res.status).toBe(400)
    expectTtsError(res.body, 3, 'simulated')
    expect(await bodies()).toEqual([])
  })

  it.each([
    [{ uplink_message: { f_port: -1 } }, 'uplink_message.f_port'],
    [{}, 'up'],
    [{ uplink_message: { f_port: 1 }, join_accept: {} }, 'up'],
    [{ uplink_message: { frm_payload: '%%%' } }, 'uplink_message.frm_payload'],
    [{ correlation_ids: 'x', uplink_message: {} }, 'correlation_ids'],
    [{ end_device_ids: { device_id: 'dev2' }, uplink_message: {} }, 'end_device_ids.device_id'],
  ])('refuses %j with 400 naming %s, storing nothing', async (body, field) => {
    const res = await h.json('POST', simulate, { key: upKey, body })
    expect(res.status).toBe(400)
    const detail = expectTtsError(res.body, 3)
    expect(detail.attributes.violations.map((v: any) => v.field)).toContain(field)
    expect(await bodies()).toEqual([])
  })

  it('answers 404 for an unknown device and 403 without the right', async () => {
    const missing = await h.json('POST', simulate.replace('dev1', 'dev404'), {
      key: upKey,
      body: { uplink_message: {} },
    })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toContain('end device `dev404` not found')

    const reader = (await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])).key
    const denied = await h.json('POST', simulate, { key: reader, body: { uplink_message: {} } })
    expect(denied.status).toBe(403)
  })

  it('names the application, not the device, when an admin simulates into a missing one', async () => {
    const res = await h.json('POST', simulate.replace('app1', 'app404'), {
      body: { uplink_message: {} },
    })
    expect(res.status).toBe(404)
    expectTtsError(res.body, 5, 'application_not_found')
    expect(res.body.message).toContain('application `app404` not found')
  })

  it('refuses malformed JSON with 400', async () => {
    const res = await h.json('POST', simulate, { key: upKey, rawBody: '{"uplink_message":' })
    expect(res.status).toBe(400)
    expect(res.body.details[0].name).toBe('decode_body')
  })
})

describe('batch uplinks', () => {
  const up = (deviceId: string, fCnt: number, extra: Record<string, unknown> = {}) => ({
    end_device_ids: { device_id: deviceId },
    uplink_message: { f_port: 1, f_cnt: fCnt, frm_payload: 'AQID' },
    ...extra,
  })

  it('accepts every message after one commit, without forcing simulated', async () => {
    const res = await h.json('POST', batch, {
      key: upKey,
      body: { messages: [up('dev1', 1), up('dev2', 2), up('dev1', 3, { simulated: true })] },
    })
    expect(res).toEqual({ status: 200, body: { accepted: 3 } })

    const stored = await bodies()
    expect(stored.map((b) => [b.end_device_ids.device_id, b.uplink_message.f_cnt])).toEqual([
      ['dev1', 1],
      ['dev2', 2],
      ['dev1', 3],
    ])
    expect(stored[0]).not.toHaveProperty('simulated')
    expect(stored[2].simulated).toBe(true)
    expect(stored[0].end_device_ids.dev_eui).toBe('70B3D57ED0000001')
    expect(new Set(stored.map((b) => b.correlation_ids[0])).size).toBe(3)
  })

  it('is all-or-nothing: one invalid item refuses the batch and names it', async () => {
    const messages = [up('dev1', 1), up('dev1', 2), up('dev1', 3), up('dev1', 4)]
    messages[3]!.uplink_message.f_port = 'x' as unknown as number
    const res = await h.json('POST', batch, { key: upKey, body: { messages } })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('messages[3].uplink_message.f_port')
    expect(await bodies()).toEqual([])
  })

  it('answers 404 naming the index of an unknown device', async () => {
    const res = await h.json('POST', batch, {
      key: upKey,
      body: { messages: [up('dev1', 1), up('dev9', 2)] },
    })
    expect(res.status).toBe(404)
    expect(res.body.details[0].attributes.field).toBe('messages[1].end_device_ids.device_id')
    expect(await bodies()).toEqual([])
  })

  it.each([
    [{}, 'messages'],
    [{ messages: [{ uplink_message: {} }] }, 'messages[0].end_device_ids.device_id'],
    [{ messages: [7] }, 'messages[0]'],
    [
      {
        messages: [
          up('dev1', 1, {
            end_device_ids: { device_id: 'dev1', application_ids: { application_id: 'app2' } },
          }),
        ],
      },
      'messages[0].end_device_ids.application_ids.application_id',
    ],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await h.json('POST', batch, { key: upKey, body })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe(field)
  })

  it('refuses more than 10,000 messages', async () => {
    const messages = Array.from({ length: 10_001 }, (_, i) => up('dev1', i))
    const res = await h.json('POST', batch, { key: upKey, body: { messages } })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('10000')
  })

  it('takes many devices with one registry read', async () => {
    for (let i = 3; i < 60; i++) await h.store.createDevice({
      applicationId: 'app1',
      deviceId: `dev${i}`,
      createdAt: 't',
      updatedAt: 't',
    })
    const messages = Array.from({ length: 57 }, (_, i) => up(`dev${i + 3}`, i))
    const res = await h.json('POST', batch, { key: upKey, body: { messages } })
    expect(res.body).toEqual({ accepted: 57 })
  })

  it('answers {"accepted":0} for an empty list', async () => {
    const res = await h.json('POST', batch, { key: upKey, body: { messages: [] } })
    expect(res.body).toEqual({ accepted: 0 })
  })
})
