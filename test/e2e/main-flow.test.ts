import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../support/api-client.js'
import { messageFixtures, readFixture, WEBHOOK_PATHS } from '../support/fixtures.js'
import { headerValues, MockClient, waitUntil, type ReceivedRequest } from '../support/mock-client.js'
import { startService } from '../support/services.js'
import { seedApplication } from '../support/seed.js'
import { startStack, type Stack } from '../support/stack.js'

let stack: Stack
let mock: MockClient
let app: ApiClient
let appKey: string

const uplink = readFixture('uplink_message')
const deviceIds = uplink['end_device_ids'] as Record<string, string>

beforeAll(async () => {
  stack = await startStack({
    compiled: true,
    mockEnv: {
      MOCK_DOWNLINK_REPLY: JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQID' }] }),
      MOCK_DOWNLINK_PATH: '/lorahooks/up',
    },
  })
  mock = new MockClient(stack.mockUrl)

  appKey = await seedApplication(stack.admin)
  app = new ApiClient(stack.apiUrl, appKey)

  const paths = Object.fromEntries(
    Object.entries(WEBHOOK_PATHS).map(([type, path]) => [type, { path }]),
  )
  await app.ok('PUT', '/api/v3/as/webhooks/app1/wh1', {
    webhook: {
      ids: { application_ids: { application_id: 'app1' }, webhook_id: 'wh1' },
      base_url: `${stack.mockUrl}/lorahooks`,
      format: 'json',
      headers: { 'X-Demo': 'yes' },
      downlink_api_key: appKey,
      ...paths,
    },
    field_mask: { paths: ['base_url', 'format', 'headers', 'downlink_api_key', ...Object.keys(paths)] },
  })
})

afterAll(async () => {
  await stack?.stop()
})

async function received(path: string, count: number): Promise<ReceivedRequest[]> {
  return waitUntil(async () => {
    const requests = await mock.requests(path)
    return requests.length >= count && requests
  })
}

describe('end to end across the bundled processes npm start runs', () => {
  it('delivers every TTS message type to its path with the TTS headers and body', async () => {
    for (const [, message] of messageFixtures()) {
      await app.ok('POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', message)
    }

    for (const [type, message] of messageFixtures()) {
      const fixtureBody = JSON.stringify(message[type])
      const request = await waitUntil(async () => {
        const requests = await mock.requests(`/lorahooks${WEBHOOK_PATHS[type]}`)
        return requests.find((r) => JSON.stringify(JSON.parse(r.bodyText)[type]) === fixtureBody)
      })
      const body = JSON.parse(request!.bodyText) as Record<string, unknown>

      expect(request!.method).toBe('POST')
      expect(body[type]).toEqual(message[type])
      expect(body['simulated']).toBe(true)
      expect(body['end_device_ids']).toMatchObject({ device_id: 'dev1', dev_eui: deviceIds['dev_eui'] })
      expect(headerValues(request!, 'content-type')).toEqual(['application/json'])
      expect(headerValues(request!, 'x-demo')).toEqual(['yes'])
      expect(headerValues(request!, 'x-downlink-apikey')).toEqual([appKey])
      expect(headerValues(request!, 'x-downlink-push')).toEqual([
        `${stack.apiUrl}/api/v3/as/applications/app1/webhooks/wh1/devices/dev1/down/push`,
      ])
      expect(headerValues(request!, 'x-tts-domain')).toEqual([new URL(stack.apiUrl).host])
    }
  })

  it('closes the downlink round trip: endpoint pushes, queue holds it, downlink_queued arrives', async () => {
    const [result] = await waitUntil(async () => {
      const results = await mock.downlinkResults()
      return results.length > 0 && results
    })
    expect(result).toMatchObject({ status: 200 })

    const queue = await app.ok<{ downlinks: { f_port: number; frm_payload: string }[] }>(
      'GET',
      '/api/v3/as/applications/app1/devices/dev1/down',
    )
    expect(queue.downlinks).toEqual([expect.objectContaining({ f_port: 1, frm_payload: 'AQID' })])

    const queued = await received('/lorahooks/down/queued', 2)
    const bodies = queued.map((r) => JSON.parse(r.bodyText) as Record<string, any>)
    expect(bodies.some((b) => b['downlink_queued']?.frm_payload === 'AQID')).toBe(true)
  })

  it('resumes after a worker restart: messages accepted while it was down are delivered', async () => {
    await stack.worker.stop('SIGTERM')
    await mock.clear()
    for (let fCnt = 100; fCnt < 105; fCnt++) {
      const message = { ...uplink, uplink_message: { ...(uplink['uplink_message'] as object), f_cnt: fCnt } }
      await app.ok('POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', message)
    }
    expect(await mock.requests('/lorahooks/up')).toEqual([])

    stack.worker = await startService('worker', { env: stack.env, compiled: true })
    const requests = await received('/lorahooks/up', 5)
    const fCnts = requests.map((r) => JSON.parse(r.bodyText).uplink_message.f_cnt)
    expect(fCnts).toEqual([100, 101, 102, 103, 104])
  })
})
