import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../support/api-client.js'
import { headerValues, MockClient, waitUntil } from '../support/mock-client.js'
import { startService } from '../support/services.js'
import { startStack, type Stack } from '../support/stack.js'

// Kills the worker and the API with SIGKILL at random moments while messages are being
// accepted, several rounds, then proves by count that every accepted message was delivered and
// that a message delivered twice carried the same delivery ID both times.

const ROUNDS = 4
const CLIENTS = 4

let stack: Stack
let app: ApiClient
let mock: MockClient

beforeAll(async () => {
  stack = await startStack({
    mockEnv: { MOCK_MAX_RECORDS: '100000' },
    extraEnv: { LORAHOOKS_LEASE: '2s' },
  })
  mock = new MockClient(stack.mockUrl)
  await stack.admin.ok('POST', '/api/v3/applications', {
    application: { ids: { application_id: 'app1' } },
  })
  await stack.admin.ok('POST', '/api/v3/applications/app1/devices', {
    end_device: { ids: { device_id: 'dev1', application_ids: { application_id: 'app1' } } },
  })
  app = stack.admin
  await app.ok('POST', '/api/v3/as/webhooks/app1', {
    webhook: {
      ids: { application_ids: { application_id: 'app1' }, webhook_id: 'wh1' },
      base_url: `${stack.mockUrl}/crash`,
      format: 'json',
      uplink_message: { path: '/up' },
    },
  })
})

afterAll(async () => {
  await stack?.stop()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Posts uplinks with unique f_cnts until told to stop; returns the f_cnts that got a 2xx. */
async function loadClient(client: number, stop: { now: boolean }): Promise<number[]> {
  const accepted: number[] = []
  for (let n = 0; !stop.now; n++) {
    const fCnt = client * 1_000_000 + n
    try {
      const result = await app.call('POST', '/api/v3/as/applications/app1/devices/dev1/up/simulate', {
        uplink_message: { f_port: 1, f_cnt: fCnt, frm_payload: 'AQID' },
      })
      if (result.status === 200) accepted.push(fCnt)
    } catch {
      await sleep(20) // the API is down: nothing was acknowledged
    }
  }
  return accepted
}

describe('crash safety', () => {
  it('loses no accepted message when worker and API are killed with SIGKILL under load', async () => {
    const stop = { now: false }
    const clients = Array.from({ length: CLIENTS }, (_, i) => loadClient(i + 1, stop))

    for (let round = 0; round < ROUNDS; round++) {
      await sleep(300 + Math.random() * 500)
      const victims = round % 2 === 0 ? ['worker'] : ['api', 'worker']
      for (const name of victims) {
        const service = name === 'api' ? stack.api : stack.worker
        await service.stop('SIGKILL')
      }
      await sleep(100 + Math.random() * 200)
      if (victims.includes('api')) stack.api = await startService('api', { env: stack.env })
      stack.worker = await startService('worker', { env: stack.env })
    }
    await sleep(300)
    stop.now = true
    const accepted = (await Promise.all(clients)).flat()
    expect(accepted.length).toBeGreaterThan(100)

    const deliveredByFCnt = await waitUntil(async () => {
      const byFCnt = new Map<number, { id: string; body: string }[]>()
      for (const request of await mock.requests('/crash/up')) {
        const body = JSON.parse(request.bodyText) as { uplink_message: { f_cnt: number } }
        const copies = byFCnt.get(body.uplink_message.f_cnt) ?? []
        copies.push({ id: headerValues(request, 'webhook-id')[0] ?? '', body: request.body })
        byFCnt.set(body.uplink_message.f_cnt, copies)
      }
      return accepted.every((fCnt) => byFCnt.has(fCnt)) && byFCnt
    }, 45_000)

    for (const [fCnt, copies] of deliveredByFCnt) {
      const ids = new Set(copies.map((copy) => copy.id))
      expect(ids.size, `f_cnt ${fCnt} arrived with different delivery IDs`).toBe(1)
      expect(new Set(copies.map((copy) => copy.body)).size).toBe(1)
      expect([...ids][0]).toMatch(/^msg_/)
    }
  }, 120_000)
})
