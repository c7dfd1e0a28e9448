import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Checkpointer } from './checkpointer.js'
import { openSqlite } from './open.js'
import { openSqliteStore } from './sqlite-store.js'

let dir: string
let file: string

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-checkpoint-'))
  file = path.join(dir, 'db.sqlite')
})

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const sizeOf = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0)

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * Another connection committing 64 KB rows one after the other, a millisecond apart (as the
 * API's group commits come), with SQLite's own checkpoints off (as the apps run), from a thread
 * so that this one stays free. Returns the number of commits.
 */
function startWriter(durationMs: number): Promise<number> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const Database = require(workerData.driver)
    const db = new Database(workerData.file, { timeout: 10000 })
    db.pragma('synchronous = NORMAL')
    db.pragma('wal_autocheckpoint = 0')
    db.exec('CREATE TABLE IF NOT EXISTS load (body BLOB)')
    const insert = db.prepare('INSERT INTO load VALUES (randomblob(65536))')
    const pause = new Int32Array(new SharedArrayBuffer(4))
    const end = Date.now() + workerData.durationMs
    let commits = 0
    while (Date.now() < end) {
      insert.run()
      commits++
      Atomics.wait(pause, 0, 0, 1)
    }
    db.close()
    parentPort.postMessage(commits)
  `
  const writer = new Worker(source, { eval: true, workerData: { driver, file, durationMs } })
  return new Promise((resolve, reject) => {
    writer.once('message', resolve)
    writer.once('error', reject)
  })
}

describe('background checkpoints', () => {
  it('copies the write-ahead log into the database file off the committing thread', async () => {
    const store = openSqliteStore(file, { checkpoints: 'background', checkpointIntervalMs: 20 })
    const other = openSqlite(file)
    try {
      // 2 MB stays below SQLite's own threshold (1,000 pages): an inline checkpoint never runs.
      other.exec('CREATE TABLE load (body BLOB)')
      for (let i = 0; i < 128; i++) other.exec('INSERT INTO load VALUES (randomblob(16384))')
      await until(() => sizeOf(file) > 2_000_000)
    } finally {
      other.close()
      store.close()
    }
  })

  it('keeps the log small while another connection commits without pause', async () => {
    const store = openSqliteStore(file, { checkpoints: 'background', checkpointIntervalMs: 20 })
    try {
      const commits = await startWriter(1_500)
      const written = commits * 65_536
      // The log is rewound while the writer goes on, so it never holds more than a slice.
      expect(written).toBeGreaterThan(8_000_000)
      expect(sizeOf(`${file}-wal`)).toBeLessThan(written / 4)
    } finally {
      store.close()
    }
  })

  it('reports a thread that cannot open the database, and never says it is ready', async () => {
    let ready = false
    const failure = await new Promise<Error>((resolve) => {
      new Checkpointer({
        file: path.join(dir, 'missing-directory', 'db.sqlite'),
        onReady: () => (ready = true),
        onFailure: resolve,
      })
    })
    expect(failure.message).toMatch(/open database/i)
    expect(ready).toBe(false)
  })
})
