import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness
const base = '/api/v3/as/webhooks/app1'
const ALL = 'field_mask=base_url,headers,format,uplink_message,join_accept,paused,downlink_api_key'

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
})
afterEach(() => h.close())

function put(id: string, webhook: Record<string, unknown>, paths?: string[], app = 'app1') {
  const body: Record<string, unknown> = { webhook }
  if (paths) body['field_mask'] = { paths }
  return h.json('PUT', `/api/v3/as/webhooks/${app}/${id}`, { body })
}

function create(webhook: Record<string, unknown>, app = 'app1') {
  return h.json('POST', `/api/v3/as/webhooks/${app}`, { body: { webhook } })
}

async function read(id: string, query = ALL) {
  return (await h.json('GET', `${base}/${id}?${query}`)).body
}

function hook(id: string, url = 'http://127.0.0.1:9001/a', extra: Record<string, unknown> = {}) {
  return { ids: { webhook_id: id }, base_url: url, format: 'json', ...extra }
}

describe('webhook formats and reads', () => {
  it('returns only the implicit fields without a field mask', async () => {
    await create(hook('wh1', undefined, { headers: { 'X-A': '1' }, uplink_message: {} }))
    const res = await h.json('GET', `${base}/wh1`)
    expect(Object.keys(res.body)).toEqual(['ids', 'created_at', 'updated_at', 'base_url', 'format'])
    expect(res.body.ids).toEqual({ application_ids: { application_id: 'app1' }, webhook_id: 'wh1' })
  })

  it('accepts both field mask spellings', async () => {
    await create(hook('wh1', undefined, { headers: { 'X-A': '1' }, uplink_message: {} }))
    const comma = await h.json('GET', `${base}/wh1?field_mask=headers,uplink_message`)
    expect(comma.body).toMatchObject({ headers: { 'X-A': '1' }, uplink_message: {} })
    const repeated = await h.json(
      'GET',
      `${base}/wh1?field_mask.paths=headers&field_mask.paths=uplink_message.path`,
    )
    expect(repeated.body).toMatchObject({ headers: { 'X-A': '1' }, uplink_message: {} })
  })

  it.each(['nope', 'headers.X-A', 'ids.nope'])('refuses mask path %s with 400', async (path) => {
    await create(hook('wh1'))
    for (const url of [`${base}/wh1?field_mask=${path}`, `${base}?field_mask=${path}`]) {
      const res = await h.json('GET', url)
      expect(res.status).toBe(400)
      const detail = expectTtsError(res.body, 3, 'field_mask_paths')
      expect(detail.attributes.forbidden_paths).toEqual([path])
    }
  })

  it('lists by webhook ID ascending with X-Total-Count', async () => {
    for (const id of ['wh3', 'wh1', 'wh2']) await create(hook(id))
    const res = await h.request('GET', `${base}?field_mask=base_url`)
    expect(res.headers.get('X-Total-Count')).toBe('3')
    const body = (await res.json()) as any
    expect(body.webhooks.map((w: any) => w.ids.webhook_id)).toEqual(['wh1', 'wh2', 'wh3'])
  })

  it('answers 404 for an unknown webhook and 400 for a bad webhook ID', async () => {
    const missing = await h.json('GET', `${base}/wh404`)
    expect(missing.status).toBe(404)
    expect(missing.body.message).toContain('webhook `wh404` not found')
    expect((await h.json('GET', `${base}/WH_1`)).status).toBe(400)
  })

  it('shows health from the store and paused from the config', async () => {
    await create(hook('wh1', undefined, { paused: true }))
    const res = await h.json('GET', `${base}/wh1?field_mask=health_status,paused`)
    expect(res.body.paused).toBe(true)
    expect(res.body).not.toHaveProperty('health_status')
  })

  it('needs TRAFFIC_READ to read and the three write rights to write', async () => {
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])
    expect((await h.json('GET', base, { key: reader.key })).status).toBe(200)
    const res = await h.json('POST', base, { key: reader.key, body: { webhook: hook('wh1') } })
    expect(res.status).toBe(403)
    expect(res.body.details[0].attributes.missing_rights).toEqual([
      'RIGHT_APPLICATION_SETTINGS_BASIC',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
    ])
    const writer = await h.createKey('app1', [
      'RIGHT_APPLICATION_SETTINGS_BASIC',
      'RIGHT_APPLICATION_TRAFFIC_READ',
      'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
    ])
    const ok = await h.json('POST', base, { key: writer.key, body: { webhook: hook('wh1') } })
    expect(ok.status).toBe(200)
  })
})

describe('webhook Set (PUT) semantics', () => {
  it('creates with a mask and answers with implicit + masked fields', async () => {
    const res = await put(
      'wh1',
      hook('wh1', undefined, { headers: { 'X-A': '1' }, downlink_api_key: 'k' }),
      ['base_url', 'format', 'headers'],
    )
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual([
      'ids',
      'created_at',
      'updated_at',
      'base_url',
      'headers',
      'format',
    ])
    expect(await read('wh1')).not.toHaveProperty('downlink_api_key')
  })

  it('refuses a create whose mask leaves out base_url', async () => {
    const res = await put('wh1', hook('wh1'), ['format'])
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('base_url')
    expect((await h.json('GET', `${base}/wh1`)).status).toBe(404)
  })

  it('treats an empty mask on update as a no-op returning the stored webhook', async () => {
    await create(hook('wh1'))
    const before = await read('wh1')
    const res = await put('wh1', hook('wh1', 'http://127.0.0.1:9999/changed'), [])
    expect(res.status).toBe(200)
    expect(res.body.base_url).toBe('http://127.0.0.1:9001/a')
    expect(await read('wh1')).toEqual(before)
  })

  it('clears a masked field that is absent from the body', async () => {
    await create(hook('wh1', undefined, { uplink_message: { path: '/up' }, join_accept: {} }))
    await put('wh1', { ids: { webhook_id: 'wh1' } }, ['uplink_message'])
    const after = await read('wh1')
    expect(after).not.toHaveProperty('uplink_message')
    expect(after.join_accept).toEqual({})
  })

  it('accepts lowerCamelCase keys and the string mask form', async () => {
    const res = await h.json('PUT', `${base}/wh1`, {
      body: {
        webhook: {
          ids: { webhookId: 'wh1', applicationIds: { applicationId: 'app1' } },
          baseUrl: 'http://127.0.0.1:9001/a',
          format: 'json',
          uplinkMessage: { path: '/up' },
          headers: { 'X-Api-Key': 'v' },
        },
        fieldMask: 'baseUrl,format,uplinkMessage,headers',
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      base_url: 'http://127.0.0.1:9001/a',
      uplink_message: { path: '/up' },
      headers: { 'X-Api-Key': 'v' },
    })
  })

  it('refuses body IDs that differ from the path', async () => {
    const wrongHook = await put('wh1', hook('wh2'), ['base_url', 'format'])
    expect(wrongHook.status).toBe(400)
    expect(wrongHook.body.details[0].attributes.field).toBe('webhook.ids.webhook_id')
    const wrongApp = await put(
      'wh1',
      { ...hook('wh1'), ids: { webhook_id: 'wh1', application_ids: { application_id: 'app2' } } },
      ['base_url', 'format'],
    )
    expect(wrongApp.status).toBe(400)
    expect(wrongApp.body.details[0].attributes.field).toBe(
      'webhook.ids.application_ids.application_id',
    )
    expect((await h.json('GET', `${base}/wh1`)).status).toBe(404)
  })

  it('resets health when health_status is in the mask', async () => {
    await create(hook('wh1'))
    const res = await put('wh1', { ids: { webhook_id: 'wh1' } }, ['health_status'])
    expect(res.status).toBe(200)
    expect(res.body).not.toHaveProperty('health_status')
  })

  it('refuses a body without webhook', async () => {
    const res = await h.json('PUT', `${base}/wh1`, { body: { field_mask: { paths: [] } } })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('webhook')
  })

  it('answers 404 for an application that does not exist', async () => {
    const res = await put('wh1', hook('wh1'), ['base_url', 'format'], 'app404')
    expect(res.status).toBe(404)
  })
})

describe('W05: base URL validation on create and update', () => {
  const accepted = [
    'http://nodered:1880/in',
    'http://127.0.0.1:1880',
    'http://[::1]:1880/x',
    'https://example.com:8443/a/b',
    'http://localhost/',
  ]
  const rejected = [
    'nodered:1880/in',
    'ftp://example.com/x',
    '/relative/only',
    'http://',
    '',
    'javascript:alert(1)',
    'http://exa mple.com/',
  ]

  it.each(accepted)('accepts %s as given', async (url) => {
    const created = await create(hook('wh1', url))
    expect(created.status).toBe(200)
    expect(created.body.base_url).toBe(url)
    await create(hook('wh2'))
    const updated = await put('wh2', { ids: { webhook_id: 'wh2' }, base_url: url }, ['base_url'])
    expect(updated.status).toBe(200)
    expect((await read('wh2')).base_url).toBe(url)
  })

  it.each(rejected)('rejects %j with 400 naming base_url and stores nothing', async (url) => {
    const created = await create(hook('wh1', url))
    expect(created.status).toBe(400)
    const detail = expectTtsError(created.body, 3)
    expect(detail.attributes.field).toBe('base_url')
    expect(created.body.message).toMatch(/base_url/)
    expect((await h.json('GET', `${base}/wh1`)).status).toBe(404)

    await create(hook('wh2'))
    const updated = await put('wh2', { ids: { webhook_id: 'wh2' }, base_url: url }, ['base_url'])
    expect(updated.status).toBe(400)
    expect(updated.body.details[0].attributes.field).toBe('base_url')
    expect((await read('wh2')).base_url).toBe('http://127.0.0.1:9001/a')
  })
})

describe('W06: long header values', () => {
  it('keeps values up to 4096 characters and refuses 4097', async () => {
    const jwt = `Bearer ${'a'.repeat(900)}`
    expect((await create(hook('wh1', undefined, { headers: { Authorization: jwt } }))).status).toBe(
      200,
    )
    expect((await read('wh1')).headers.Authorization).toBe(jwt)

    const max = 'b'.repeat(4096)
    const ok = await put('wh1', { ids: { webhook_id: 'wh1' }, headers: { Authorization: max } }, [
      'headers',
    ])
    expect(ok.status).toBe(200)
    expect((await read('wh1')).headers.Authorization).toBe(max)

    const tooLong = await put(
      'wh1',
      { ids: { webhook_id: 'wh1' }, headers: { Authorization: 'c'.repeat(4097) } },
      ['headers'],
    )
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.details[0].attributes.field).toBe('headers[Authorization]')
    expect(tooLong.body.message).toContain('4096')
    expect((await read('wh1')).headers.Authorization).toBe(max)
  })
})

describe('W07: configured headers', () => {
  it.each([
    [{ 'Content-Type': 'text/plain' }, 'headers[Content-Type]', /set by the format/],
    [{ Authorization: '' }, 'headers[Authorization]', /must not be empty/],
    [{ Authorization: '   ' }, 'headers[Authorization]', /must not be empty/],
  ])('refuses %j at config time', async (headers, field, message) => {
    const res = await create(hook('wh-json', undefined, { headers }))
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe(field)
    expect(res.body.message).toMatch(message)
    expect((await h.json('GET', `${base}/wh-json`)).status).toBe(404)
  })

  it('refuses header values that are not printable ASCII, naming the header', async () => {
    const res = await create(hook('wh-json', undefined, { headers: { 'X-Name': 'Zürich ✓' } }))
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('headers[X-Name]')
    expect((await h.json('GET', `${base}/wh-json`)).status).toBe(404)
  })

  it.each([
    ['xml', 'format `xml` is not known; supported: json'],
    ['protobuf', 'format `protobuf` is not supported yet; supported: json'],
  ])('refuses format %s on write, naming format', async (format, message) => {
    for (const res of [
      await create({ ...hook('wh-x'), format }),
      await put('wh-x', { ...hook('wh-x'), format }),
    ]) {
      expect(res.status).toBe(400)
      const detail = expectTtsError(res.body, 3, 'validation')
      expect(detail.attributes.field).toBe('format')
      expect(res.body.message).toContain(message)
    }
    expect((await h.json('GET', `${base}/wh-x`)).status).toBe(404)

    expect((await create(hook('wh1'))).status).toBe(200)
    const update = await put('wh1', { format }, ['format'])
    expect(update.status).toBe(400)
    expect((await read('wh1')).format).toBe('json')
  })

  it('never checks a stored format again: reads and unrelated updates still work', async () => {
    const config = { base_url: 'http://127.0.0.1:9001/a', headers: {}, format: 'xml' }
    const now = new Date().toISOString()
    await h.store.writeWebhook('app1', 'old', () => ({ action: 'write', config }), now)
    expect((await read('old')).format).toBe('xml')
    const update = await put('old', { paused: true }, ['paused'])
    expect(update.status, JSON.stringify(update.body)).toBe(200)
    expect((await read('old')).paused).toBe(true)
  })
})

describe('W09: updates with a field mask; headers as a whole', () => {
  it('replaces the map, keeps unmasked fields, refuses bad paths', async () => {
    const created = await put(
      'wh1',
      hook('wh1', 'http://127.0.0.1:9001/h', {
        uplink_message: { path: '/up' },
        join_accept: { path: '/join' },
        headers: { 'X-A': '1', 'X-B': '2' },
      }),
      ['base_url', 'format', 'uplink_message', 'join_accept', 'headers'],
    )
    expect(created.status).toBe(200)

    await put('wh1', { ids: { webhook_id: 'wh1' }, headers: { 'X-C': '3' } }, ['headers'])
    expect((await read('wh1')).headers).toEqual({ 'X-C': '3' })

    await put('wh1', { ids: { webhook_id: 'wh1' }, base_url: 'http://127.0.0.1:9002/h' }, [
      'base_url',
    ])
    const afterBase = await read('wh1')
    expect(afterBase.headers).toEqual({ 'X-C': '3' })
    expect(afterBase.base_url).toBe('http://127.0.0.1:9002/h')

    for (const path of ['headers.X-A', 'nope']) {
      const before = await read('wh1')
      const res = await put('wh1', { ids: { webhook_id: 'wh1' }, headers: { 'X-A': '9' } }, [path])
      expect(res.status).toBe(400)
      expect(expectTtsError(res.body, 3, 'field_mask_paths').attributes.forbidden_paths).toEqual([
        path,
      ])
      expect(await read('wh1')).toEqual(before)
    }

    await put('wh1', { ids: { webhook_id: 'wh1' }, uplink_message: null }, ['uplink_message'])
    const last = await read('wh1')
    expect(last).not.toHaveProperty('uplink_message')
    expect(last.join_accept).toEqual({ path: '/join' })
    expect(last.headers).toEqual({ 'X-C': '3' })
    expect(last.base_url).toBe('http://127.0.0.1:9002/h')
  })
})

describe('W27: create is not update', () => {
  it('refuses a second create, scopes IDs, refuses comma URLs, lists in order', async () => {
    const first = await create(hook('wh1', undefined, { headers: { 'X-Which': 'a' } }))
    expect(first.status).toBe(200)

    const again = await create(hook('wh1', 'http://127.0.0.1:9002/b'))
    expect(again.status).toBe(409)
    expectTtsError(again.body, 6, 'webhook_exists')
    expect((await read('wh1')).base_url).toBe('http://127.0.0.1:9001/a')

    const headers = { 'X-Which': 'b' }
    const second = await create(hook('wh2', 'http://127.0.0.1:9002/b', { headers }))
    expect(second.status).toBe(200)
    expect((await create(hook('wh1', 'http://127.0.0.1:9003/c'), 'app2')).status).toBe(200)

    const comma = await create(hook('wh3', 'http://127.0.0.1:9001/a,http://127.0.0.1:9002/b'))
    expect(comma.status).toBe(400)
    expect(comma.body.details[0].attributes.field).toBe('base_url')

    const list = await h.json('GET', `${base}?field_mask=headers`)
    expect(list.body.webhooks.map((w: any) => [w.ids.webhook_id, w.headers['X-Which']])).toEqual([
      ['wh1', 'a'],
      ['wh2', 'b'],
    ])
    expect((await read('wh1')).base_url).toBe('http://127.0.0.1:9001/a')
  })

  it('takes every field present when a create carries no mask', async () => {
    const res = await create(hook('wh1', undefined, { uplink_message: { path: '/up' } }))
    expect(res.body.uplink_message).toEqual({ path: '/up' })
  })

  it('needs a webhook ID in the body of a POST', async () => {
    const webhook = { base_url: 'http://h/', format: 'json' }
    const res = await h.json('POST', base, { body: { webhook } })
    expect(res.status).toBe(400)
    expect(res.body.details[0].attributes.field).toBe('webhook.ids.webhook_id')
  })
})

describe('webhook delete', () => {
  it('deletes and is idempotent', async () => {
    await create(hook('wh1'))
    expect(await h.json('DELETE', `${base}/wh1`)).toEqual({ status: 200, body: {} })
    expect((await h.json('GET', `${base}/wh1`)).status).toBe(404)
    expect(await h.json('DELETE', `${base}/wh1`)).toEqual({ status: 200, body: {} })
  })
})

describe('secret fields need the rights to manage webhooks', () => {
  const MANAGE = [
    'RIGHT_APPLICATION_SETTINGS_BASIC',
    'RIGHT_APPLICATION_TRAFFIC_READ',
    'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
  ]

  it.each(['headers', 'downlink_api_key', 'signing_secret'])(
    'refuses %s to a TRAFFIC_READ key with 403 naming the field',
    async (field) => {
      const secrets = { headers: { Authorization: 'Bearer s3cret' }, downlink_api_key: 'NNSXS.k' }
      expect((await create(hook('wh1', undefined, secrets))).status).toBe(200)
      const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])
      const manager = await h.createKey('app1', MANAGE)

      for (const url of [`${base}/wh1`, base]) {
        const refused = await h.json('GET', `${url}?field_mask=base_url,${field}`, {
          key: reader.key,
        })
        expect(refused.status).toBe(403)
        expect(JSON.stringify(refused.body)).not.toContain('s3cret')
        const detail = expectTtsError(refused.body, 7, 'insufficient_application_rights')
        expect(detail.attributes.field).toBe(field)
        expect(detail.attributes.missing_rights).toEqual([
          'RIGHT_APPLICATION_SETTINGS_BASIC',
          'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
        ])
        expect(refused.body.message).toContain(`\`${field}\``)

        const shown = await h.json('GET', `${url}?field_mask=${field}`, { key: manager.key })
        expect(shown.status).toBe(200)
      }
      const plain = await h.json('GET', `${base}/wh1?field_mask=base_url,paused`, {
        key: reader.key,
      })
      expect(plain.status).toBe(200)
      const shown = await h.json('GET', `${base}/wh1?field_mask=headers,downlink_api_key`)
      expect(shown.body).toMatchObject(secrets)
    },
  )
})

describe("the webhook's own field mask", () => {
  it('refuses paths that name no ApplicationUp field and stores nothing', async () => {
    const bad = hook('wh1', undefined, {
      field_mask: { paths: ['up.uplink_message.decoded_payload', 'zzz', ''] },
    })
    const res = await create(bad)
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toContain('names no ApplicationUp field: \\"zzz\\", \\"\\"')
    expect((await h.json('GET', `${base}/wh1`)).status).toBe(404)

    const good = hook('wh1', undefined, {
      field_mask: { paths: ['up.uplink_message.decoded_payload', 'end_device_ids.device_id'] },
    })
    expect((await create(good)).status).toBe(200)
  })
})

describe('credentials in URLs', () => {
  it('shows URL passwords and query values only to callers who may manage webhooks', async () => {
    const url = 'http://user:s3cret@127.0.0.1:9001/x?token=SECRET-TOKEN'
    const extra = { uplink_message: { path: '/up?key=PATH-KEY' } }
    expect((await create(hook('wh1', url, extra))).status).toBe(200)
    const reader = await h.createKey('app1', ['RIGHT_APPLICATION_TRAFFIC_READ'])

    const query = 'field_mask=base_url,uplink_message'
    const one = await h.json('GET', `${base}/wh1?${query}`, { key: reader.key })
    const list = await h.json('GET', `${base}?${query}`, { key: reader.key })
    for (const shown of [one.body, list.body.webhooks[0]]) {
      expect(shown.base_url).toBe('http://user:***@127.0.0.1:9001/x?token=***')
      expect(shown.uplink_message).toEqual({ path: '/up?key=***' })
    }
    expect(JSON.stringify([one.body, list.body])).not.toMatch(/s3cret|SECRET-TOKEN|PATH-KEY/)

    const managed = await h.json('GET', `${base}/wh1?${query}`)
    expect(managed.body.base_url).toBe(url)
    expect(managed.body.uplink_message).toEqual({ path: '/up?key=PATH-KEY' })
  })
})
