import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openStore, type NewMessage, type Store } from '@lorahooks/db'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IngestBatcher } from '../src/ingest-batcher.js'

let dir: string
let store: Store
let commits: number[]

/** The real store, with acceptMessages calls counted. */
function counted(real: Store): Store {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'acceptMessages') {
        return (messages: readonly NewMessage[], now: number) => {
          commits.push(messages.length)
          return target.acceptMessages(messages, now)
        }
      }
      const value = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function message(n: number): NewMessage {
  return {
    messageId: `m${n}`,
    applicationId: 'app1',
    deviceId: 'dev1',
    messageType: 'uplink_message',
    body: JSON.stringify({ uplink_message: { f_cnt: n } }),
  }
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-batcher-'))
  store = openStore(path.join(dir, 'test.db'))
  commits = []
  const config = { base_url: 'http://127.0.0.1:9/', headers: {}, format: 'json' }
  const write = { action: 'write' as const, config: { ...config, uplink_message: {} } }
  await store.writeWebhook('app1', 'wh1', () => write, 't')
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('IngestBatcher', () => {
  it('commits requests that arrive together in one call, resolving each after it', async () => {
    const batcher = new IngestBatcher(counted(store), { maxDelayMs: 5 })
    await Promise.all([1, 2, 3, 4].map((n) => batcher.submit([message(n)])))
    expect(commits).toEqual([4])
    expect(await store.listDeliveries('app1', 'wh1', 10)).toHaveLength(4)
  })

  it('commits at once when the group reaches maxMessages, never splitting a request', async () => {
    const batcher = new IngestBatcher(counted(store), { maxDelayMs: 1000, maxMessages: 3 })
    const first = batcher.submit([message(1), message(2)])
    const second = batcher.submit([message(3), message(4)])
    await Promise.all([first, second])
    expect(commits).toEqual([4])
  })

  it('commits a request that finds it idle in the next turn, without a timer', async () => {
    const batcher = new IngestBatcher(counted(store))
    void batcher.submit([message(1)])
    await new Promise((resolve) => setImmediate(resolve))
    expect(commits).toEqual([1])
  })

  it('gathers requests arriving within minIntervalMs of a commit into the next one', async () => {
    const batcher = new IngestBatcher(counted(store), { minIntervalMs: 50 })
    await batcher.submit([message(1)])
    const later: Promise<void>[] = []
    for (const n of [2, 3, 4]) {
      later.push(batcher.submit([message(n)]))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(commits).toEqual([1])
    await Promise.all(later)
    expect(commits).toEqual([1, 3])
  })

  it('rejects every waiting request when the commit fails', async () => {
    const batcher = new IngestBatcher(store, { maxDelayMs: 5 })
    const waiting = [batcher.submit([message(1)]), batcher.submit([message(2)])]
    store.close()
    for (const result of await Promise.allSettled(waiting)) {
      expect(result.status).toBe('rejected')
    }
  })

  it('flush commits what is waiting', async () => {
    const batcher = new IngestBatcher(counted(store), { maxDelayMs: 60_000 })
    let done = false
    void batcher.submit([message(1)]).then(() => (done = true))
    await batcher.flush()
    await Promise.resolve()
    expect(done).toBe(true)
    expect(commits).toEqual([1])
  })
})
