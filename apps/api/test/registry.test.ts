import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness

beforeEach(async () => {
  h = await createHarness()
})
afterEach(() => h.close())

describe('applications', () => {
  it('creates, gets, lists and deletes', async () => {
    const created = await h.json('POST', '/api/v3/applications', {
      body: { application: { ids: { application_id: 'app1' }, name: 'App 1', description: 'd' } },
    })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      ids: { application_id: 'app1' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/),
      updated_at: created.body.created_at,
      name: 'App 1',
      description: 'd',
    })

    expect((await h.json('GET', '/api/v3/applications/app1')).body).toEqual(created.body)
    await h.createApplication('app0')
    const list = await h.json('GET', '/api/v3/applications')
    expect(list.body.applications.map((a: any) => a.ids.application_id)).toEqual(['app0', 'app1'])

    expect(await h.json('DELETE', '/api/v3/applications/app1')).toEqual({ status: 200, body: {} })
    expect((await h.json('GET', '/api/v3/applications/app1')).status).toBe(404)
    expect((await h.json('DELETE', '/api/v3/applications/app1')).status).toBe(404)
  })

  it('accepts TTS user path and lowerCamelCase keys', async () => {
    const res = await h.json('POST', '/api/v3/users/admin/applications', {
      body: { application: { ids: { applicationId: 'app-x' } } },
    })
    expect(res.status).toBe(200)
    expect(res.body.ids).toEqual({ application_id: 'app-x' })
    const list = await h.json('GET', '/api/v3/users/admin/applications')
    expect(list.body.applications).toHaveLength(1)
  })

  it('refuses a duplicate with 409', async () => {
    await h.createApplication('app1')
    const res = await h.json('POST', '/api/v3/applications', {
      body: { application: { ids: { application_id: 'app1' } } },
    })
    expect(res.status).toBe(409)
    expectTtsError(res.body, 6)
  })

  it.each(['A1b', 'ab', '-app', 'app_1', 'a'.repeat(37), 42])(
    'refuses application ID %s with 400 naming the field',
    async (id) => {
      const res = await h.json('POST', '/api/v3/applications', {
        body: { application: { ids: { application_id: id } } },
      })
      expect(res.status).toBe(400)
      expect(expectTtsError(res.body, 3).attributes.field).toBe('application.ids.application_id')
    },
  )

  it('answers 400, not 404, for an application ID that breaks the ID rules', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await h.json(method, '/api/v3/applications/ABC')
      expect(res.status, method).toBe(400)
      expect(JSON.stringify(res.body)).toContain('application_id')
    }
  })

  it('refuses a body without application', async () => {
    const res = await h.json('POST', '/api/v3/applications', { body: {} })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('application')
  })

  it('removes devices, keys and webhooks with the application', async () => {
    await h.createApplication('app1')
    await h.createDevice('app1', 'dev1')
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_ALL'])
    await h.json('DELETE', '/api/v3/applications/app1')
    expect((await h.json('GET', '/api/v3/applications/app1', { key })).status).toBe(401)
    await h.createApplication('app1')
    expect((await h.json('GET', '/api/v3/applications/app1/devices')).body).toEqual({
      end_devices: [],
    })
  })
})

describe('end devices', () => {
  beforeEach(async () => {
    await h.createApplication('app1')
  })

  it('creates with upper-cased EUIs and gets, lists and deletes', async () => {
    const res = await h.json('POST', '/api/v3/applications/app1/devices', {
      body: {
        end_device: {
          ids: {
            device_id: 'dev1',
            application_ids: { application_id: 'app1' },
            dev_eui: '70b3d57ed0000001',
            join_eui: '800000000000000c',
            dev_addr: '00bcb929',
          },
          name: 'Device 1',
        },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      ids: {
        device_id: 'dev1',
        application_ids: { application_id: 'app1' },
        dev_eui: '70B3D57ED0000001',
        join_eui: '800000000000000C',
        dev_addr: '00BCB929',
      },
      created_at: expect.any(String),
      updated_at: expect.any(String),
      name: 'Device 1',
    })
    expect((await h.json('GET', '/api/v3/applications/app1/devices/dev1')).body).toEqual(res.body)
    await h.createDevice('app1', 'dev0')
    const list = await h.json('GET', '/api/v3/applications/app1/devices')
    expect(list.body.end_devices.map((d: any) => d.ids.device_id)).toEqual(['dev0', 'dev1'])

    expect(await h.json('DELETE', '/api/v3/applications/app1/devices/dev1')).toEqual({
      status: 200,
      body: {},
    })
    expect((await h.json('GET', '/api/v3/applications/app1/devices/dev1')).status).toBe(404)
    expect((await h.json('DELETE', '/api/v3/applications/app1/devices/dev1')).status).toBe(404)
  })

  it.each([
    [{ device_id: 'Dev1' }, 'end_device.ids.device_id'],
    [{ device_id: 'dev1', dev_eui: '70B3D57ED000000' }, 'end_device.ids.dev_eui'],
    [{ device_id: 'dev1', join_eui: 'XYZ3D57ED0000001' }, 'end_device.ids.join_eui'],
    [{ device_id: 'dev1', dev_addr: '00BCB9291' }, 'end_device.ids.dev_addr'],
    [
      { device_id: 'dev1', application_ids: { application_id: 'app2' } },
      'end_device.ids.application_ids.application_id',
    ],
  ])('refuses %j with 400 naming %s', async (ids, field) => {
    const res = await h.json('POST', '/api/v3/applications/app1/devices', {
      body: { end_device: { ids } },
    })
    expect(res.status).toBe(400)
    expect(expectTtsError(res.body, 3).attributes.field).toBe(field)
    expect((await h.json('GET', '/api/v3/applications/app1/devices')).body.end_devices).toEqual([])
  })

  it('refuses a duplicate with 409 and an unknown application with 404', async () => {
    await h.createDevice('app1', 'dev1')
    const body = { end_device: { ids: { device_id: 'dev1' } } }
    expect((await h.json('POST', '/api/v3/applications/app1/devices', { body })).status).toBe(409)
    const missing = await h.json('POST', '/api/v3/applications/app404/devices', { body })
    expect(missing.status).toBe(404)
    expectTtsError(missing.body, 5, 'application_not_found')
  })

  it('checks device rights per route', async () => {
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_DEVICES_READ'])
    const body = { end_device: { ids: { device_id: 'dev1' } } }
    const url = '/api/v3/applications/app1/devices'
    const write = await h.json('POST', url, { key: reader.key, body })
    expect(write.status).toBe(403)
    const read = await h.json('GET', '/api/v3/applications/app1/devices', { key: reader.key })
    expect(read.status).toBe(200)
  })
})
