import { BUSY_TIMEOUT_MS, type SqliteDatabase } from './open.js'

/** Retries every millisecond for this long, then every SLOW_RETRY_DELAY_MS. */
const FAST_RETRY_MS = 50
const SLOW_RETRY_DELAY_MS = 8

interface QueuedWrite {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

function isBusy(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_BUSY'
}

/**
 * The hot-path writes of one connection (accepting messages, claiming, recording attempts):
 * committed together, and without blocking the event loop while another process writes.
 *
 * Writes asked for in the same turn of the event loop share one transaction. A commit writes
 * every page it touched to the log, and a claim and a flush of results touch many of the same
 * pages: one commit for both writes fewer. A write that throws fails alone: the group is rolled
 * back and each write run again by itself, so `work` must have no effects outside the database.
 *
 * While another process holds the write lock, SQLite's busy handler sleeps the whole thread, in
 * growing steps (1, 2, 5, 10, 15, 20 ms, …): a lock held for half a millisecond could cost 8 ms
 * and stall every connection the process serves. The queue retries on a 1 ms timer instead (a
 * failed BEGIN costs microseconds, and the other side's transactions are short), slower after a
 * while, and waits SQLite's way once the busy timeout is spent. Writes asked for meanwhile join.
 */
export class WriteQueue {
  private queued: QueuedWrite[] = []
  private draining = false
  private readonly statements

  constructor(private readonly db: SqliteDatabase) {
    this.statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    }
  }

  /**
   * Runs `work` in a write transaction soon, with the other writes asked for this turn. It may
   * run twice (see above): it must only read and write the database.
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (this.draining) return
      this.draining = true
      queueMicrotask(() => void this.drain())
    })
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) await this.commitQueued()
    } catch (error) {
      // Not a write's own error (those reject that write): the connection itself failed.
      for (const write of this.take()) write.reject(error)
    } finally {
      this.draining = false
    }
  }

  private async commitQueued(): Promise<void> {
    const started = Date.now()
    for (let now = started; now < started + BUSY_TIMEOUT_MS; now = Date.now()) {
      if (this.tryBegin()) return this.applyAndCommit(this.take())
      if (this.queued.length === 0) return
      const delay = now - started < FAST_RETRY_MS ? 1 : SLOW_RETRY_DELAY_MS
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
    const group = this.take()
    try {
      this.statements.begin.run()
    } catch (error) {
      for (const write of group) write.reject(error)
      return
    }
    this.applyAndCommit(group)
  }

  private take(): QueuedWrite[] {
    const group = this.queued
    this.queued = []
    return group
  }

  /** BEGIN IMMEDIATE if the write lock is free now; false if another connection holds it. */
  private tryBegin(): boolean {
    // Executed, not prepared once: SQLite applies PRAGMA busy_timeout when the statement is
    // compiled, so running a prepared copy again changes nothing.
    try {
      this.db.exec('PRAGMA busy_timeout = 0')
      this.statements.begin.run()
      return true
    } catch (error) {
      if (isBusy(error)) return false
      // Not a lock (a closed connection, say): the writes waiting now fail with it.
      for (const write of this.take()) write.reject(error)
      return false
    } finally {
      if (this.db.open) this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
    }
  }

  /** Runs the group in the transaction just begun; on an error, each write in one of its own. */
  private applyAndCommit(group: readonly QueuedWrite[]): void {
    const [only] = group
    if (group.length === 1 && only) return this.commitAlone(only, true)

    let values: unknown[]
    try {
      values = group.map((write) => write.work())
      this.statements.commit.run()
    } catch {
      if (this.db.inTransaction) this.statements.rollback.run()
      // Rare, so handled the simple way: everything again, a transaction per write, so that only
      // the failing one fails. Savepoints would cost a page copy per touched page on every group.
      for (const write of group) this.commitAlone(write, false)
      return
    }
    group.forEach((write, index) => write.resolve(values[index]))
  }

  /** `write` in a transaction of its own; BEGIN has run already when `begun`. */
  private commitAlone(write: QueuedWrite, begun: boolean): void {
    try {
      if (!begun) this.statements.begin.run()
      const value = write.work()
      this.statements.commit.run()
      write.resolve(value)
    } catch (error) {
      if (this.db.inTransaction) this.statements.rollback.run()
      write.reject(error)
    }
  }
}
