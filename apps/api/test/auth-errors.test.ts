import { generateApiKey } from '@lorahooks/auth'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectTtsError, type Harness } from './helpers.js'

let h: Harness

beforeEach(async () => {
  h = await createHarness()
  await h.createApplication('app1')
  await h.createApplication('app2')
  await h.createDevice('app1', 'dev1')
})
afterEach(() => h.close())

describe('authentication', () => {
  const unknownKey = generateApiKey().key

  it.each([
    ['no header', undefined],
    ['no Bearer prefix', 'raw-key'],
    ['Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['malformed key', 'Bearer NNSXS.KEYA1DOWN.SECRET'],
    ['unknown key id', `Bearer ${unknownKey}`],
  ])('answers 401 for %s, without telling whether the application exists', async (_, header) => {
    const headers: Record<string, string> = header === undefined ? {} : { Authorization: header }
    for (const app of ['app1', 'nope1']) {
      const res = await h.json('GET', `/api/v3/applications/${app}/devices`, {
        key: null,
        headers: header === 'raw-key' ? { Authorization: h.adminKey } : headers,
      })
      expect(res.status).toBe(401)
      const detail = expectTtsError(res.body, 16, 'unauthenticated')
      expect(detail.namespace).toBe('pkg/auth')
      expect(res.body.message).toContain('credentials are missing or invalid')
      expect(res.body.message).not.toContain(app)
    }
  })

  it('answers 401 for a wrong secret of a known key id', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_ALL'])
    const [prefix, id] = key.split('.')
    const forged = `${prefix}.${id}.${generateApiKey().secret}`
    const res = await h.json('GET', '/api/v3/applications/app1', { key: forged })
    expect(res.status).toBe(401)
  })

  it('answers 401 for an expired key', async () => {
    const expiresAt = new Date(Date.now() + 300).toISOString()
    const created = await h.json('POST', '/api/v3/applications/app1/api-keys', {
      body: { rights: ['RIGHT_APPLICATION_INFO'], expires_at: expiresAt },
    })
    expect(created.status).toBe(200)
    const key = created.body.key
    expect((await h.json('GET', '/api/v3/applications/app1', { key })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect((await h.json('GET', '/api/v3/applications/app1', { key })).status).toBe(401)
  })

  it('answers 403 for a key of another application, naming the application', async () => {
    const { key } = await h.createKey('app2', ['RIGHT_APPLICATION_ALL'])
    const res = await h.json('GET', '/api/v3/applications/app1', { key })
    expect(res.status).toBe(403)
    expectTtsError(res.body, 7, 'no_application_rights')
    expect(res.body.message).toContain('permission denied for application app1')
  })

  it('answers 403 naming the missing right', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_INFO'])
    const res = await h.json('GET', '/api/v3/applications/app1/devices', { key })
    expect(res.status).toBe(403)
    const detail = expectTtsError(res.body, 7, 'insufficient_application_rights')
    expect(detail.attributes.missing_rights).toEqual(['RIGHT_APPLICATION_DEVICES_READ'])
  })

  it('keeps admin-only routes from application keys', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_ALL'])
    expect((await h.json('GET', '/api/v3/applications', { key })).status).toBe(403)
    expect((await h.json('DELETE', '/api/v3/applications/app1', { key })).status).toBe(403)
    const create = { application: { ids: { application_id: 'app9' } } }
    expect((await h.json('POST', '/api/v3/applications', { key, body: create })).status).toBe(403)
  })

  it('lets RIGHT_APPLICATION_LINK imply traffic read', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_LINK'])
    expect((await h.json('GET', '/api/v3/as/webhooks/app1', { key })).status).toBe(200)
  })
})

describe('error rendering', () => {
  it('sets X-Request-Id and uses it as the correlation id', async () => {
    const res = await h.request('GET', '/api/v3/applications/app1', { key: null })
    const requestId = res.headers.get('X-Request-Id')
    expect(requestId).toMatch(/^[0-9a-f]{32}$/)
    const body = (await res.json()) as any
    expect(body.details[0].correlation_id).toBe(requestId)
  })

  it('sets X-Request-Id on successful answers too', async () => {
    const res = await h.request('GET', '/api/v3/applications/app1')
    expect(res.status).toBe(200)
    expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('answers unknown routes with 404 in TTS shape', async () => {
    const res = await h.json('GET', '/api/v3/nothing-here')
    expect(res.status).toBe(404)
    expectTtsError(res.body, 5, 'route_not_found')
  })

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await h.json('POST', '/api/v3/applications', {
      rawBody: '{"application": {',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.status).toBe(400)
    const detail = expectTtsError(res.body, 3, 'decode_body')
    expect(detail.attributes.field).toBe('body')
  })

  it('answers a JSON array where an object is expected with 400', async () => {
    const res = await h.json('POST', '/api/v3/applications', { body: [1, 2] })
    expect(res.status).toBe(400)
  })

  it('answers bodies over 16 MiB with 413 in TTS shape', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024 + 1)
    const res = await h.json('POST', '/api/v3/applications', { rawBody: big })
    expect(res.status).toBe(413)
    expectTtsError(res.body, 8, 'request_too_large')
  })

  it('answers store failures with a generic 500 and no internals', async () => {
    h.store.close()
    const res = await h.json('GET', '/api/v3/applications')
    expect(res.status).toBe(500)
    expectTtsError(res.body, 13, 'internal')
    expect(res.body.message).toBe('error:pkg/web:internal (internal server error)')
    expect(JSON.stringify(res.body)).not.toMatch(/sqlite|database|stack/i)
  })
})

describe('status table', () => {
  const application = (id: string) => ({ application: { ids: { application_id: id } } })

  it.each([
    ['400 invalid argument', 'POST', '/api/v3/applications', application('A'), 400, 3],
    ['404 not found', 'GET', '/api/v3/applications/app1/devices/dev9', undefined, 404, 5],
    ['409 already exists', 'POST', '/api/v3/applications', application('app1'), 409, 6],
  ])('%s', async (_, method, url, body, status, code) => {
    const res = await h.json(method, url, { body })
    expect(res.status).toBe(status)
    expectTtsError(res.body, code)
  })
})

describe('public routes', () => {
  it('serves webhook formats without credentials', async () => {
    const res = await h.json('GET', '/api/v3/as/webhook-formats', { key: null })
    expect(res).toEqual({
      status: 200,
      body: { formats: { json: 'JSON' } },
    })
  })

  it('answers liveness and readiness', async () => {
    expect(await h.json('GET', '/healthz/live', { key: null })).toEqual({
      status: 200,
      body: { status: 'ok' },
    })
    expect((await h.json('GET', '/healthz/ready', { key: null })).status).toBe(200)
  })

  it('reports not ready when the store does not answer', async () => {
    h.store.close()
    expect((await h.json('GET', '/healthz/ready', { key: null })).status).toBe(503)
  })

  it('serves the AS configuration to any valid key', async () => {
    const { key } = await h.createKey('app1', ['RIGHT_APPLICATION_INFO'])
    const res = await h.json('GET', '/api/v3/as/configuration', { key })
    expect(res.body).toEqual({
      configuration: {
        webhooks: { unhealthy_attempts_threshold: 5, unhealthy_retry_interval: '60s' },
      },
    })
    expect((await h.json('GET', '/api/v3/as/configuration', { key: null })).status).toBe(401)
  })
})
