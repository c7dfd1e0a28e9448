import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
const base = '/api/v3/applications/app1/api-keys'

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
})
afterEach(() => h.close())

describe('API keys', () => {
  it('creates a key shown once, then gets, lists, updates and deletes it', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString()
    const created = await h.json('POST', base, {
      body: {
        name: 'down',
        rights: ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'],
        expires_at: expiresAt,
      },
    })
    expect(created.status).toBe(200)
    expect(Object.keys(created.body)).toEqual([
      'id',
      'key',
      'name',
      'rights',
      'created_at',
      'updated_at',
      'expires_at',
    ])
    expect(created.body.key).toMatch(/^NNSXS\.[A-Z2-7]{39}\.[A-Z2-7]{52}$/)
    expect(created.body.key.split('.')[1]).toBe(created.body.id)
    expect(created.body.expires_at).toBe(expiresAt)

    const { id } = created.body
    const got = await h.json('GET', `${base}/${id}`)
    expect(got.body).not.toHaveProperty('key')
    expect(got.body).toMatchObject({ id, name: 'down' })
    const list = await h.json('GET', base)
    expect(list.body.api_keys.map((k: any) => k.id)).toEqual([id])

    const updated = await h.json('PUT', `${base}/${id}`, {
      body: {
        api_key: { name: 'renamed', rights: ['RIGHT_APPLICATION_INFO'] },
        field_mask: { paths: ['name', 'rights'] },
      },
    })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ name: 'renamed', rights: ['RIGHT_APPLICATION_INFO'] })
    expect(updated.body.expires_at).toBe(expiresAt)

    const flat = await h.json('PUT', `${base}/${id}`, { body: { name: 'flat' } })
    expect(flat.body).toMatchObject({ name: 'flat', rights: ['RIGHT_APPLICATION_INFO'] })

    expect(await h.json('DELETE', `${base}/${id}`)).toEqual({ status: 200, body: {} })
    expect((await h.json('GET', `${base}/${id}`)).status).toBe(404)
    const stale = await h.json('GET', '/api/v3/applications/app1', { key: created.body.key })
    expect(stale.status).toBe(401)
  })

  it('applies updated rights to the next request', async () => {
    const { id, key } = await h.createKey('app1', ['RIGHT_APPLICATION_INFO'])
    expect((await h.json('GET', '/api/v3/applications/app1/devices', { key })).status).toBe(403)
    await h.json('PUT', `${base}/${id}`, { body: { rights: ['RIGHT_APPLICATION_DEVICES_READ'] } })
    expect((await h.json('GET', '/api/v3/applications/app1/devices', { key })).status).toBe(200)
  })

  it.each([
    [{ rights: [] }, 'rights'],
    [{ rights: ['RIGHT_NOPE'] }, 'rights[0]'],
    [{ name: 'x' }, 'rights'],
    [{ rights: ['RIGHT_APPLICATION_INFO'], expires_at: 'tomorrow' }, 'expires_at'],
    [{ rights: ['RIGHT_APPLICATION_INFO'], expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
    [{ rights: ['RIGHT_APPLICATION_INFO'], name: 'n'.repeat(51) }, 'name'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const res = await h.json('POST', base, { body })
    expect(res.status).toBe(400)
    expect(expectTtsError(res.body, 3).attributes.field).toBe(field)
    expect((await h.json('GET', base)).body.api_keys).toEqual([])
  })

  it('does not let a key grant rights its creator lacks', async () => {
    const manager = await h.createKey('app1', [
      'RIGHT_APPLICATION_SETTINGS_API_KEYS',
      'RIGHT_APPLICATION_TRAFFIC_READ',
    ])
    const wider = await h.json('POST', base, {
      key: manager.key,
      body: { rights: ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'] },
    })
    expect(wider.status).toBe(403)
    expect(expectTtsError(wider.body, 7).attributes.missing_rights).toEqual([
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
    ])
    const narrower = await h.json('POST', base, {
      key: manager.key,
      body: { rights: ['RIGHT_APPLICATION_TRAFFIC_READ'] },
    })
    expect(narrower.status).toBe(200)
    const escalate = await h.json('PUT', `${base}/${narrower.body.id}`, {
      key: manager.key,
      body: { rights: ['RIGHT_APPLICATION_ALL'] },
    })
    expect(escalate.status).toBe(403)
  })

  it('does not let a key strip, expire, rename or delete a key with rights it lacks', async () => {
    const manager = await h.createKey('app1', ['RIGHT_APPLICATION_SETTINGS_API_KEYS'])
    const owner = await h.createKey('app1', ['RIGHT_APPLICATION_ALL'])
    const before = (await h.json('GET', `${base}/${owner.id}`)).body.rights
    const strip = await h.json('PUT', `${base}/${owner.id}`, {
      key: manager.key,
      body: {
        api_key: { rights: ['RIGHT_APPLICATION_SETTINGS_API_KEYS'] },
        field_mask: { paths: ['rights'] },
      },
    })
    expect(strip.status).toBe(403)
    const missing = expectTtsError(strip.body, 7, 'rights_not_held').attributes.missing_rights
    expect(missing.length).toBeGreaterThan(0)
    expect(missing).not.toContain('RIGHT_APPLICATION_SETTINGS_API_KEYS')
    const removed = await h.json('DELETE', `${base}/${owner.id}`, { key: manager.key })
    expect(removed.status).toBe(403)
    // Nor can it expire or rename it: an expiry in a second is a deletion.
    const soon = new Date(Date.now() + 1000).toISOString()
    for (const body of [{ expires_at: soon }, { name: 'mine now' }]) {
      const changed = await h.json('PUT', `${base}/${owner.id}`, { key: manager.key, body })
      expect(changed.status, JSON.stringify(body)).toBe(403)
    }
    expect((await h.json('GET', `${base}/${owner.id}`)).body.expires_at).toBeUndefined()
    expect((await h.json('GET', `${base}/${owner.id}`)).body.rights).toEqual(before)

    // A key within the caller's rights can still be renamed, narrowed and deleted.
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_SETTINGS_API_KEYS'])
    const renamed = await h.json('PUT', `${base}/${reader.id}`, {
      key: manager.key,
      body: { name: 'renamed' },
    })
    expect(renamed.status).toBe(200)
    expect((await h.json('DELETE', `${base}/${reader.id}`, { key: manager.key })).status).toBe(200)
  })

  it('hides keys of other applications', async () => {
    const other = await h.createKey('app2', ['RIGHT_APPLICATION_INFO'])
    expect((await h.json('GET', `${base}/${other.id}`)).status).toBe(404)
    expect((await h.json('DELETE', `${base}/${other.id}`)).status).toBe(404)
    expect((await h.json('GET', '/api/v3/applications/app2', { key: other.key })).status).toBe(200)
  })

  it('needs SETTINGS_API_KEYS', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_INFO'])
    const res = await h.json('GET', base, { key })
    expect(res.status).toBe(403)
    expect(res.body.details[0].attributes.missing_rights).toEqual([
      'RIGHT_APPLICATION_SETTINGS_API_KEYS',
    ])
  })

  it('refuses unknown fields in an update mask', async () => {
    const { id } = await h.createKey('app1', ['RIGHT_APPLICATION_INFO'])
    const res = await h.json('PUT', `${base}/${id}`, {
      body: { api_key: { name: 'x' }, field_mask: 'name,key' },
    })
    expect(res.status).toBe(400)
  })
})
