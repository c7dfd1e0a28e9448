import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { newUlid, type WebhookConfig } from '@lorahooks/core'
import { openSqliteStore, type NewMessage, type SqliteStore } from '@lorahooks/db'
import {
  createMockEndpoint,
  type MockEndpoint,
  type RecordedRequest,
} from '@lorahooks/mock-endpoint/lib'
import { pino } from 'pino'
import { afterEach } from 'vitest'
import { DeliveryWorker, type WorkerOptions } from '../src/delivery-worker.js'
import { HttpSender, type SenderOptions } from '../src/http-sender.js'
import { DeliveryMetrics } from '../src/metrics.js'

export interface HarnessOptions {
  worker?: Partial<WorkerOptions>
  sender?: Partial<SenderOptions>
}

export interface SecretOptions {
  secret: string
  /** Keeps the current secret valid until then (a rotation). */
  previousValidUntil?: string
}

export interface Harness {
  store: SqliteStore
  receiver: MockEndpoint
  worker: DeliveryWorker
  sender: HttpSender
  metrics: DeliveryMetrics
  /** Every log line the worker wrote, parsed. */
  logs: Record<string, unknown>[]
  addWebhook(id: string, config: Partial<WebhookConfig>, secret?: SecretOptions): Promise<void>
  accept(fCnt: number, deviceId?: string): Promise<string>
  /** Accepts uplinks with these frame counters in one transaction. */
  acceptAll(fCnts: number[]): Promise<void>
  close(): Promise<void>
}

export const PUBLIC_URL = 'https://lns.example.com'
export const REQUEST_TIMEOUT_MS = 1000

/** A real SQLite file, a real receiver on loopback and a worker between them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-worker-'))
  const store = openSqliteStore(path.join(dir, 'test.db'))
  const receiver = await createMockEndpoint({ host: '127.0.0.1', port: 0 })
  const logs: Record<string, unknown>[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>)
      done()
    },
  })
  const metrics = new DeliveryMetrics()
  const workerOptions: WorkerOptions = {
    concurrency: 64,
    webhookConcurrency: 8,
    retry: { scheduleMs: [100], maxAgeMs: 60_000 },
    health: { threshold: 5, retryIntervalMs: 300 },
    ...options.worker,
  }
  const sender = new HttpSender({
    timeoutMs: REQUEST_TIMEOUT_MS,
    inFlightPerWebhook: workerOptions.webhookConcurrency,
    ...options.sender,
  })
  const worker = new DeliveryWorker(
    {
      store,
      sender,
      metrics,
      logger: pino({ level: 'info' }, logStream),
      context: { publicUrl: PUBLIC_URL, domain: 'lns.example.com' },
    },
    workerOptions,
  )
  worker.start()

  return {
    store,
    receiver,
    worker,
    sender,
    metrics,
    logs,
    async addWebhook(id, config, secret) {
      const full: WebhookConfig = {
        base_url: receiver.url,
        headers: {},
        format: 'json',
        uplink_message: {},
        ...config,
      }
      await store.writeWebhook(
        'app1',
        id,
        () => ({ action: 'write', config: full, ...(secret ? { signingSecret: secret } : {}) }),
        new Date().toISOString(),
      )
    },
    async accept(fCnt, deviceId = 'dev1') {
      const message = uplink(fCnt, deviceId)
      await store.acceptMessages([message], Date.now())
      return message.messageId
    },
    async acceptAll(fCnts) {
      await store.acceptMessages(
        fCnts.map((fCnt) => uplink(fCnt, 'dev1')),
        Date.now(),
      )
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

function uplink(fCnt: number, deviceId: string): NewMessage {
  return {
    messageId: newUlid(),
    applicationId: 'app1',
    deviceId,
    messageType: 'uplink_message',
    devEui: '70B3D57ED0000001',
    body: JSON.stringify({
      end_device_ids: { device_id: deviceId, application_ids: { application_id: 'app1' } },
      uplink_message: { f_cnt: fCnt },
    }),
  }
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

/**
 * For a test file whose tests each start their own harness: returns the starter and closes the
 * harness after every test.
 */
export function harnessPerTest(): (options?: HarnessOptions) => Promise<Harness> {
  let current: Harness | undefined
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
  return async (options = {}) => {
    current = await startHarness(options)
    return current
  }
}

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

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Every value of a header, matched case-insensitively. */
export function header(request: RecordedRequest, name: string): string[] {
  const wanted = name.toLowerCase()
  return request.headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value)
}

export function fCntOf(request: RecordedRequest): number {
  const body = JSON.parse(request.bodyText) as { uplink_message: { f_cnt: number } }
  return body.uplink_message.f_cnt
}

/** The attempt-log lines the worker wrote for one webhook. */
export function attemptLines(logs: Record<string, unknown>[], webhookId: string) {
  return logs.filter(
    (line) => line['msg'] === 'delivery attempt' && line['webhookId'] === webhookId,
  )
}
