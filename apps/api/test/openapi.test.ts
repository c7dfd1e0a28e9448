import { MESSAGE_TYPES } from '@lorahooks/core'
import type { WebhookRow } from '@lorahooks/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { webhookView, webhookViewFields } from '../src/views.js'
import { createHarness, type Harness } from './helpers.js'
import { shapeProblems } from './openapi-shape.js'

let h: Harness
const FULL_MASK = [
  'ids',
  'created_at',
  'updated_at',
  'base_url',
  'headers',
  'format',
  'template_ids',
  'template_fields',
  'downlink_api_key',
  ...MESSAGE_TYPES,
  'health_status',
  'field_mask',
  'paused',
]

const fullWebhook = {
  ids: { webhook_id: 'wh1', application_ids: { application_id: 'app1' } },
  base_url: 'https://example.com/lorahooks{/appID}',
  headers: { Authorization: 'Bearer secret-token' },
  format: 'json',
  template_ids: { template_id: 'tpl1' },
  template_fields: { token: 'abc' },
  downlink_api_key: 'NNSXS.KEY',
  uplink_message: { path: '/up{/devID}' },
  uplink_normalized: {},
  join_accept: { path: '/join' },
  downlink_ack: {},
  downlink_nack: {},
  downlink_sent: {},
  downlink_failed: {},
  downlink_queued: {},
  downlink_queue_invalidated: {},
  location_solved: {},
  service_data: {},
  field_mask: { paths: ['up.uplink_message.decoded_payload'] },
  paused: true,
}

function expectShape(value: unknown, definition: string) {
  expect(shapeProblems(value, definition)).toEqual([])
}

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
})
afterEach(() => h.close())

describe('responses match the TTS OpenAPI definitions', () => {
  it('the checker itself catches extra keys and wrong types', () => {
    expect(shapeProblems({ id: 'x', rights: 'nope', extra: 1 }, 'v3APIKey')).toEqual([
      'v3APIKey.rights: expected an array',
      'v3APIKey.extra: not defined',
    ])
  })

  it('webhook set, get and list', async () => {
    const set = await h.json('PUT', '/api/v3/as/webhooks/app1/wh1', {
      body: { webhook: fullWebhook, field_mask: { paths: FULL_MASK } },
    })
    expect(set.status).toBe(200)
    expectShape(set.body, 'v3ApplicationWebhook')
    expect(Object.keys(set.body)).toHaveLength(FULL_MASK.length - 1)

    const mask = `field_mask=${FULL_MASK.join(',')}`
    const get = await h.json('GET', `/api/v3/as/webhooks/app1/wh1?${mask}`)
    expectShape(get.body, 'v3ApplicationWebhook')
    expect(get.body).toEqual(set.body)

    const list = await h.json('GET', `/api/v3/as/webhooks/app1?${mask}`)
    expectShape(list.body, 'v3ApplicationWebhooks')
    const formats = await h.json('GET', '/api/v3/as/webhook-formats')
    expectShape(formats.body, 'v3ApplicationWebhookFormats')
  })

  it('webhook health, healthy and unhealthy', () => {
    const row: WebhookRow = {
      applicationId: 'app1',
      webhookId: 'wh1',
      config: { base_url: 'http://h/', headers: {}, format: 'json' },
      createdAt: '2024-10-01T08:04:08.967Z',
      updatedAt: '2024-10-02T07:39:19.381Z',
      health: 'unhealthy',
      failedAttempts: 3,
      lastFailedAttemptAt: '2024-10-02T07:40:00.123Z',
      lastFailedAttemptDetails: {
        namespace: 'pkg/applicationserver/io/web/sink',
        name: 'request',
        message_format: 'request',
        attributes: { status_code: 404 },
        code: 14,
      },
    }
    const unhealthy = webhookView(row, webhookViewFields(['health_status']))
    expect(unhealthy.health_status).toEqual({
      unhealthy: {
        failed_attempts: '3',
        last_failed_attempt_at: '2024-10-02T07:40:00.123Z',
        last_failed_attempt_details: row.lastFailedAttemptDetails,
      },
    })
    expectShape(unhealthy, 'v3ApplicationWebhook')

    const healthy = webhookView({ ...row, health: 'healthy' }, webhookViewFields(['health_status']))
    expect(healthy.health_status).toEqual({ healthy: {} })
    expectShape(healthy, 'v3ApplicationWebhook')
  })

  it('API keys', async () => {
    const created = await h.json('POST', '/api/v3/applications/app1/api-keys', {
      body: {
        name: 'k',
        rights: ['RIGHT_APPLICATION_INFO'],
        expires_at: new Date(Date.now() + 60_000).toISOString(),
      },
    })
    expectShape(created.body, 'v3APIKey')
    const got = await h.json('GET', `/api/v3/applications/app1/api-keys/${created.body.id}`)
    expectShape(got.body, 'v3APIKey')
    expectShape((await h.json('GET', '/api/v3/applications/app1/api-keys')).body, 'v3APIKeys')
  })

  it('applications and end devices', async () => {
    await h.json('POST', '/api/v3/applications', {
      body: { application: { ids: { application_id: 'app2' }, name: 'n', description: 'd' } },
    })
    expectShape((await h.json('GET', '/api/v3/applications/app2')).body, 'v3Application')
    expectShape((await h.json('GET', '/api/v3/applications')).body, 'v3Applications')

    await h.createDevice('app1', 'dev1', {
      dev_eui: '70B3D57ED0000001',
      join_eui: '800000000000000C',
      dev_addr: '00BCB929',
    })
    expectShape((await h.json('GET', '/api/v3/applications/app1/devices/dev1')).body, 'v3EndDevice')
    expectShape((await h.json('GET', '/api/v3/applications/app1/devices')).body, 'v3EndDevices')
  })

  it('downlink push answers and the queue list', async () => {
    await h.createDevice('app1', 'dev1')
    const pushed = await h.json('POST', '/api/v3/as/applications/app1/devices/dev1/down/push', {
      body: {
        downlinks: [
          {
            f_port: 1,
            frm_payload: 'AQID',
            confirmed: true,
            priority: 'HIGH',
            confirmed_retry: { max_attempts: 3 },
          },
        ],
      },
    })
    expect(pushed.status).toBe(200)
    expectShape(pushed.body, 'v3ApplicationDownlinks')
    const list = await h.json('GET', '/api/v3/as/applications/app1/devices/dev1/down')
    expectShape(list.body, 'v3ApplicationDownlinks')
  })

  it('error bodies', async () => {
    const res = await h.json('GET', '/api/v3/applications/app404')
    expectShape(res.body, 'googlerpcStatus')
    const { '@type': type, ...details } = res.body.details[0]
    expect(type).toBe('type.googleapis.com/ttn.lorawan.v3.ErrorDetails')
    expectShape(details, 'v3ErrorDetails')
  })
})
