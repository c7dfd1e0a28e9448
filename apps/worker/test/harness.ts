import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { newUlid, silentLogger, type WebhookConfig } from '@lorahooks/core'
import { openSqliteStore, type NewMessage, type SqliteStore } from '@lorahooks/db'
import { createMockEndpoint, type MockEndpoint } from '@lorahooks/mock-endpoint/lib'
import { DeliveryWorker, type WorkerOptions } from '../src/delivery-worker.js'
import { HttpSender } from '../src/http-sender.js'

export interface Harness {
  store: SqliteStore
  receiver: MockEndpoint
  worker: DeliveryWorker
  addWebhook(id: string, config: Partial<WebhookConfig>): Promise<void>
  accept(fCnt: number, deviceId?: string): Promise<string>
  close(): Promise<void>
}

export const PUBLIC_URL = 'https://lns.example.com'

/** A real SQLite file, a real receiver on loopback and a worker between them. */
export async function startHarness(options: Partial<WorkerOptions> = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-worker-'))
  const store = openSqliteStore(path.join(dir, 'test.db'))
  const receiver = await createMockEndpoint({ host: '127.0.0.1', port: 0 })
  const sender = new HttpSender({ timeoutMs: 1000, inFlightPerWebhook: 8 })
  const worker = new DeliveryWorker(
    {
      store,
      sender,
      logger: silentLogger(),
      context: { publicUrl: PUBLIC_URL, domain: 'lns.example.com' },
    },
    { concurrency: 64, webhookConcurrency: 8, retryMaxAgeMs: 60_000, ...options },
  )
  worker.start()

  return {
    store,
    receiver,
    worker,
    async addWebhook(id, config) {
      const full: WebhookConfig = {
        base_url: receiver.url,
        headers: {},
        format: 'json',
        uplink_message: {},
        ...config,
      }
      await store.writeWebhook('app1', id, () => ({ action: 'write', config: full }), 'now')
    },
    async accept(fCnt, deviceId = 'dev1') {
      const messageId = newUlid()
      const message: NewMessage = {
        messageId,
        applicationId: 'app1',
        deviceId,
        messageType: 'uplink_message',
        devEui: '70B3D57ED0000001',
        body: JSON.stringify({
          end_device_ids: { device_id: deviceId, application_ids: { application_id: 'app1' } },
          uplink_message: { f_cnt: fCnt },
        }),
      }
      await store.acceptMessages([message], Date.now())
      return messageId
    },
    async close() {
      await worker.stop()
      await sender.close()
      await receiver.close()
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs = 5000,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value as Truthy<T>
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
