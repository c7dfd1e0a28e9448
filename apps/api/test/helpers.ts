import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateApiKey } from '@lorahooks/auth'
import { silentLogger } from '@lorahooks/core'
import { openStore, type Store } from '@lorahooks/db'
import { expect } from 'vitest'
import { ensureAdminKey } from '../src/admin-key.js'
import { createApp } from '../src/app.js'
import { loadConfig, type ApiConfig } from '../src/env.js'
import { IngestBatcher } from '../src/ingest-batcher.js'
import type { RegistryCache } from '../src/registry-cache.js'

export interface RequestOptions {
  key?: string | null
  body?: unknown
  rawBody?: string | Uint8Array
  headers?: Record<string, string>
}

// Response bodies are read with loose typing: the tests assert their exact shape.
export interface JsonResult {
  status: number
  body: any
}

export interface Harness {
  app: ReturnType<typeof createApp>
  store: Store
  config: ApiConfig
  adminKey: string
  batcher: IngestBatcher
  request(method: string, url: string, options?: RequestOptions): Promise<Response>
  json(method: string, url: string, options?: RequestOptions): Promise<JsonResult>
  createApplication(applicationId: string): Promise<void>
  createDevice(applicationId: string, deviceId: string, ids?: Record<string, string>): Promise<void>
  createKey(applicationId: string, rights: string[]): Promise<{ id: string; key: string }>
  close(): void
}

function configFor(file: string, env: Record<string, string>): ApiConfig {
  const loaded = loadConfig({ ...env, LORAHOOKS_DATABASE: file })
  if (!loaded.ok) throw new Error(loaded.message)
  return loaded.config
}

/** A real API over a real SQLite file in a fresh temp dir, with an admin key. */
export async function createHarness(
  env: Record<string, string> = {},
  options: { cache?: RegistryCache } = {},
): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-api-'))
  const file = path.join(dir, 'test.db')
  const store = openStore(file)
  const config = configFor(file, env)
  const adminKey = generateApiKey().key
  await ensureAdminKey(store, adminKey, () => {})

  const batcher = new IngestBatcher(store)
  const app = createApp({ store, config, logger: silentLogger(), batcher, ...options })

  const request = (method: string, url: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const key = options.key === undefined ? adminKey : options.key
    if (key !== null) headers['Authorization'] ??= `Bearer ${key}`
    let body: string | Uint8Array | undefined = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['Content-Type'] ??= 'application/json'
    }
    return Promise.resolve(app.request(url, { method, headers, body }))
  }

  const json = async (method: string, url: string, options?: RequestOptions) => {
    const res = await request(method, url, options)
    const text = await res.text()
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) }
  }

  const expectOk = (result: { status: number; body: unknown }) => {
    expect(result.status, JSON.stringify(result.body)).toBe(200)
  }

  return {
    app,
    store,
    config,
    adminKey,
    batcher,
    request,
    json,
    async createApplication(applicationId) {
      expectOk(
        await json('POST', '/api/v3/applications', {
          body: { application: { ids: { application_id: applicationId } } },
        }),
      )
    },
    async createDevice(applicationId, deviceId, ids = {}) {
      const body = {
        end_device: { ids: { device_id: deviceId, ...ids } },
      }
      expectOk(await json('POST', `/api/v3/applications/${applicationId}/devices`, { body }))
    },
    async createKey(applicationId, rights) {
      const result = await json('POST', `/api/v3/applications/${applicationId}/api-keys`, {
        body: { name: 'test key', rights },
      })
      expectOk(result)
      return { id: result.body.id as string, key: result.body.key as string }
    },
    close() {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Asserts the TTS error shape and returns the details entry. */
export function expectTtsError(body: any, code: number, name?: string) {
  expect(body).toMatchObject({ code, message: expect.stringMatching(/^error:[^:]+:[^ ]+ \(/) })
  expect(body.details).toHaveLength(1)
  const detail = body.details[0]
  expect(detail).toMatchObject({
    '@type': 'type.googleapis.com/ttn.lorawan.v3.ErrorDetails',
    namespace: expect.any(String),
    name: name ?? expect.any(String),
    message_format: expect.any(String),
    correlation_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    code,
  })
  return detail
}
