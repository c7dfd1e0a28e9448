/**
 * The store's own cost per delivery, without HTTP: accept messages in batches, then claim and
 * record the way the worker does (the results go with the next claim). CPU time of this one
 * process, so it moves far less than the end-to-end runs on a shared machine.
 *
 *   pnpm --filter @lorahooks/db bench:store --webhooks=20 --messages=100000 --claim=128
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  attemptBase,
  openSqliteStore,
  type AttemptRecord,
  type ClaimedDelivery,
} from '../src/index.js'

function flag(name: string, fallback: number): number {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  return found ? Number(found.slice(name.length + 3)) : fallback
}

const webhooks = flag('webhooks', 1)
const deliveries = flag('messages', 100_000)
const claimBatch = flag('claim', 256)
const batch = 200
const messages = Math.ceil(deliveries / webhooks)

function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

function body(i: number): string {
  const payload = { f_port: 1, frm_payload: 'AQIDBA==', decoded_payload: { n: i, t: 21.5 } }
  return JSON.stringify({ uplink_message: { f_cnt: i, ...payload, rx_metadata: [{ rssi: -40 }] } })
}

function delivered(delivery: ClaimedDelivery, now: number): AttemptRecord {
  return {
    ...attemptBase(delivery, 'http://127.0.0.1:9/h/up', now),
    durationMs: 1.5,
    outcome: 'delivered',
    affectsHealth: true,
    status: 200,
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-micro-'))
// Two connections with the settings of the apps: the API commits with an fsync, the worker not.
const store = openSqliteStore(path.join(dir, 'micro.db'))
const workerStore = openSqliteStore(path.join(dir, 'micro.db'), { durability: 'relaxed' })
const health = { threshold: 5, retryIntervalMs: 60_000 }
try {
  await store.createApplication({ applicationId: 'app1', createdAt: 't0', updatedAt: 't0' })
  for (let w = 0; w < webhooks; w++) {
    const config = {
      base_url: `http://127.0.0.1:9/fan${w}`,
      headers: {},
      format: 'json',
      uplink_message: { path: '/up' },
    }
    await store.writeWebhook('app1', `wh${w}`, () => ({ action: 'write', config }), 't0')
  }

  const now = Date.now()
  let cpu = cpuMs()
  for (let first = 0; first < messages; first += batch) {
    const count = Math.min(batch, messages - first)
    const rows = Array.from({ length: count }, (_, k) => ({
      messageId: `m${first + k}`,
      applicationId: 'app1',
      deviceId: 'dev1',
      messageType: 'uplink_message' as const,
      devEui: '70B3D57ED0000001',
      body: body(first + k),
    }))
    await store.acceptMessages(rows, now)
  }
  const acceptMs = cpuMs() - cpu

  cpu = cpuMs()
  let done = 0
  let pending: AttemptRecord[] = []
  for (;;) {
    const recording = workerStore.recordAttempts(pending, now, health)
    const claimed = await workerStore.claimDeliveries(claimBatch, 60_000, now + 1)
    await recording
    pending = claimed.map((delivery) => delivered(delivery, now))
    done += claimed.length
    if (claimed.length === 0) break
  }
  const deliverMs = cpuMs() - cpu

  const total = messages * webhooks
  if (done !== total) throw new Error(`delivered ${done} of ${total}`)
  const perMessage = ((acceptMs * 1000) / messages).toFixed(2)
  const perDelivery = ((deliverMs * 1000) / total).toFixed(2)
  console.log(
    `webhooks=${webhooks} deliveries=${total} claim=${claimBatch}: accept ${perMessage} µs/msg` +
      ` (${((acceptMs * 1000) / total).toFixed(2)} µs/delivery), deliver ${perDelivery} µs/delivery`,
  )
} finally {
  workerStore.close()
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
}
