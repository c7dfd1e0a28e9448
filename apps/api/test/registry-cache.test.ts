import type { ApiKeyRow } from '@lorahooks/db'
import { afterEach, describe, expect, it } from 'vitest'
import { RegistryCache } from '../src/registry-cache.js'
import { createHarness, type Harness } from './helpers.js'

const simulate = '/api/v3/as/applications/app1/devices/dev1/up/simulate'
const uplink = { uplink_message: { f_port: 1, frm_payload: 'AQID' } }

function keyRow(id: string): ApiKeyRow {
  const at = '2024-01-01T00:00:00.000Z'
  return { id, applicationId: 'app1', rights: [], secretHash: 'h', createdAt: at, updatedAt: at }
}

describe('RegistryCache', () => {
  it('reuses a found row until its TTL passes, and never keeps a missing one', async () => {
    let now = 0
    let loads = 0
    const cache = new RegistryCache(1000, () => now)
    const load = async () => {
      loads++
      return keyRow('k1')
    }
    await cache.apiKey('k1', load)
    now = 999
    await cache.apiKey('k1', load)
    expect(loads).toBe(1)
    now = 1000
    await cache.apiKey('k1', load)
    expect(loads).toBe(2)

    await cache.apiKey('k2', async () => undefined)
    expect(await cache.apiKey('k2', async () => keyRow('k2'))).toEqual(keyRow('k2'))
  })

  it('does not keep a row whose lookup was running when it was invalidated', async () => {
    const cache = new RegistryCache()
    let finish: (row: ApiKeyRow) => void = () => {}
    const running = cache.apiKey('k1', () => new Promise((resolve) => (finish = resolve)))
    cache.forgetApiKey('k1')
    finish(keyRow('k1'))
    await running
    expect(await cache.apiKey('k1', async () => undefined)).toBeUndefined()
  })
})

describe('cached keys and devices in the API', () => {
  let h: Harness
  let now = 0
  afterEach(() => h.close())

  async function setUp() {
    h = await createHarness({}, { cache: new RegistryCache(2000, () => now) })
    await h.createApplication('app1')
    await h.createDevice('app1', 'dev1')
    const key = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_UP_WRITE'])
    expect((await h.json('POST', simulate, { key: key.key, body: uplink })).status).toBe(200)
    return key
  }

  it('forgets a device deleted through the API at once', async () => {
    const { key } = await setUp()
    expect((await h.json('DELETE', '/api/v3/applications/app1/devices/dev1')).status).toBe(200)
    expect((await h.json('POST', simulate, { key, body: uplink })).status).toBe(404)
  })

  it('forgets the keys and devices of an application deleted through the API at once', async () => {
    const { key } = await setUp()
    expect((await h.json('DELETE', '/api/v3/applications/app1')).status).toBe(200)
    expect((await h.json('POST', simulate, { key, body: uplink })).status).toBe(401)
    await h.createApplication('app1')
    expect((await h.json('POST', simulate, { body: uplink })).status).toBe(404)
  })

  it('sees changes made by another process once the TTL has passed', async () => {
    const { id, key } = await setUp()
    await h.store.deleteApiKey(id)
    await h.store.deleteDevice('app1', 'dev1')
    expect((await h.json('POST', simulate, { key, body: uplink })).status).toBe(200)
    now += 2000
    expect((await h.json('POST', simulate, { key, body: uplink })).status).toBe(401)
    expect((await h.json('POST', simulate, { body: uplink })).status).toBe(404)
  })
})
