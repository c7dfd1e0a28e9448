import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import Database from 'better-sqlite3'
import type { StoreOptions } from '../types.js'

export type SqliteDatabase = Database.Database

/** How long a writer waits for the write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000

// Found through the package's own name, so the path also holds when an app is bundled.
const MIGRATIONS_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@lorahooks/db/package.json')),
  'migrations',
  'sqlite',
)

/**
 * Opens the database file with the settings a multi-process queue needs: WAL so readers never
 * block the writer, a busy timeout so writers wait instead of failing, and synchronous=FULL so a
 * committed acceptance survives a power cut, not only a process crash. Relaxed durability
 * (synchronous=NORMAL) skips the fsync per commit, for writers that can afford to lose their last
 * commits to a power cut.
 */
export function openSqlite(file: string, options: StoreOptions = {}): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS })
  db.pragma('journal_mode = WAL')
  db.pragma(options.durability === 'relaxed' ? 'synchronous = NORMAL' : 'synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('journal_size_limit = 67108864')
  return db
}

interface JournalEntry {
  idx: number
  tag: string
  when: number
}

/**
 * Applies drizzle-kit's committed migrations inside BEGIN IMMEDIATE, so an API and a worker
 * starting together never both migrate (drizzle's own migrator begins deferred and can fail with
 * SQLITE_BUSY when two processes race).
 */
export function migrateSqlite(db: SqliteDatabase): void {
  const journal = JSON.parse(
    fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: JournalEntry[] }

  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS lorahooks_migrations (
      tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`)
    const applied = new Set(
      db.prepare('SELECT tag FROM lorahooks_migrations').pluck().all() as string[],
    )
    for (const entry of journal.entries) {
      if (applied.has(entry.tag)) continue
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, `${entry.tag}.sql`), 'utf8')
      for (const statement of sql.split('--> statement-breakpoint')) {
        if (statement.trim()) db.exec(statement)
      }
      db.prepare('INSERT INTO lorahooks_migrations (tag, applied_at) VALUES (?, ?)').run(
        entry.tag,
        Date.now(),
      )
    }
  })
  run.immediate()
}
