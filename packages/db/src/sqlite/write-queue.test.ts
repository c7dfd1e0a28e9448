import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDatabase } from './open.js'
import { WriteQueue } from './write-queue.js'

let dir: string
let db: SqliteDatabase
let observer: SqliteDatabase
let queue: WriteQueue

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lorahooks-writes-'))
  const file = path.join(dir, 'test.db')
  db = openSqlite(file, { durability: 'relaxed' })
  db.exec('CREATE TABLE items (name TEXT NOT NULL UNIQUE)')
  observer = openSqlite(file)
  queue = new WriteQueue(db)
})

afterEach(() => {
  db.close()
  observer.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const insert = (name: string) => () => db.prepare('INSERT INTO items (name) VALUES (?)').run(name)
const names = () => observer.prepare('SELECT name FROM items ORDER BY name').pluck().all()
/** Pages written to the log so far: a commit of a few rows of `items` writes the same few. */
const loggedPages = () => (fs.statSync(path.join(dir, 'test.db-wal')).size - 32) / (4096 + 24)

/** The pages one commit of one row writes to the log. */
async function pagesPerCommit(): Promise<number> {
  const before = loggedPages()
  await queue.write(insert('first'))
  return loggedPages() - before
}

describe('WriteQueue', () => {
  it('commits the writes asked for in one turn together, in order', async () => {
    const perCommit = await pagesPerCommit()
    expect(perCommit).toBeGreaterThan(0)
    const before = loggedPages()

    const order: string[] = []
    await Promise.all(
      ['a', 'b', 'c'].map((name) => queue.write(() => (insert(name)(), order.push(name)))),
    )

    expect(loggedPages()).toBe(before + perCommit)
    expect(order).toEqual(['a', 'b', 'c'])
    expect(names()).toEqual(['a', 'b', 'c', 'first'])

    await queue.write(insert('d'))
    await queue.write(insert('e'))
    expect(loggedPages()).toBe(before + 3 * perCommit)
  })

  it('undoes only the write that throws', async () => {
    const first = queue.write(insert('a'))
    const failing = queue.write(() => {
      insert('b')()
      insert('a')() // the UNIQUE constraint fails
    })
    const last = queue.write(() => (insert('c')(), 'done'))

    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
    await expect(first).resolves.toMatchObject({ changes: 1 })
    await expect(last).resolves.toBe('done')
    expect(names()).toEqual(['a', 'c'])
    expect(db.inTransaction).toBe(false)
  })

  it('waits for another connection\'s lock on a timer, and writes asked for meanwhile join', async () => {
    const perCommit = await pagesPerCommit()
    const other = openSqlite(path.join(dir, 'test.db'))
    other.exec('BEGIN IMMEDIATE')
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    try {
      const before = loggedPages()
      const early = queue.write(insert('a'))
      await new Promise((resolve) => setTimeout(resolve, 30))
      const late = queue.write(insert('b'))
      await new Promise((resolve) => setTimeout(resolve, 30))
      expect(ticks).toBeGreaterThan(10)
      expect(names()).toEqual(['first'])

      other.exec('COMMIT')
      await Promise.all([early, late])
      expect(names()).toEqual(['a', 'b', 'first'])
      expect(loggedPages()).toBe(before + perCommit)
    } finally {
      clearInterval(ticker)
      other.close()
    }
  })

  it('fails the waiting writes when the connection is closed', async () => {
    const waiting = [queue.write(insert('a')), queue.write(insert('b'))]
    db.close()

    for (const result of await Promise.allSettled(waiting)) {
      expect(result).toMatchObject({ status: 'rejected', reason: { name: 'TypeError' } })
    }
    db = openSqlite(path.join(dir, 'test.db'))
  })
})
