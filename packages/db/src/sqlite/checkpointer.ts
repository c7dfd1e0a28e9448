import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the background thread copies the WAL into the database file. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 250

/**
 * How long the RESTART step may wait for the write lock and for readers. It holds the write
 * lock while it waits for readers, so writers wait at most about this long; a step that gives up
 * is simply tried again on the next tick.
 */
const RESTART_WAIT_MS = 5

/**
 * The thread's program. It is evaluated from a string, not loaded from a file, so that it also
 * runs inside the bundled apps (which have no file of this package to point a Worker at); the
 * driver is required by the absolute path the main thread resolved.
 *
 * Each tick first copies what it can without taking any lock (PASSIVE), then takes the write lock
 * briefly to copy the few frames committed meanwhile and rewind the log (RESTART). PASSIVE alone
 * never catches up while writers keep committing, so the log would never be rewound: it grew by
 * the whole write stream (18 MB/s at 1,000 messages/s here), every append allocated new file
 * blocks, and the API's fsyncs stalled for 100–250 ms. Rewound, the log stays a few MB and its
 * blocks are overwritten in place.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { timeout: workerData.restartWaitMs })
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)')
const timer = setInterval(() => {
  passive.get()
  restart.get()
}, workerData.intervalMs)
parentPort.postMessage('ready')
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

export interface CheckpointerOptions {
  file: string
  intervalMs?: number
  /** Called once the thread runs; until then (and if it never does) SQLite checkpoints inline. */
  onReady: () => void
  /** Called if the thread fails or stops on its own; the caller falls back to inline checkpoints. */
  onFailure: (error: Error) => void
}

/**
 * Checkpoints a WAL database from a thread of its own. SQLite's automatic checkpoint runs inside
 * whichever connection's commit fills the WAL past 1,000 pages: that commit then copies megabytes
 * and syncs the database file, blocking the event loop of the process that made it (measured
 * here: 5–50 ms stalls in the API and the worker at 1,000 messages/s).
 */
export class Checkpointer {
  private readonly thread: Worker
  private stopped = false

  constructor(options: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.thread = new Worker(THREAD_SOURCE, {
      eval: true,
      // Its JavaScript allocates next to nothing: small heaps halve what the thread adds to the
      // process's RSS (12 MB → 6 MB measured). Running out would end it, and inline takes over.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
      workerData: {
        driver,
        file: options.file,
        intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        restartWaitMs: RESTART_WAIT_MS,
      },
    })
    // A thread that only checkpoints must not keep the process alive.
    this.thread.unref()

    this.thread.once('message', () => options.onReady())
    this.thread.once('error', (error) => {
      if (!this.stopped) options.onFailure(error)
      this.stopped = true
    })
    this.thread.once('exit', (code) => {
      if (!this.stopped) options.onFailure(new Error(`checkpoint thread exited with ${code}`))
      this.stopped = true
    })
  }

  /** Asks the thread to close its connection and end; a checkpoint under way finishes first. */
  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.thread.postMessage('stop')
  }
}
