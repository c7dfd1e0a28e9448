/** Something with a deadline: `expire` is called once it passes, unless `settled` by then. */
export interface Expirable {
  readonly settled: boolean
  expire(): void
}

interface Entry {
  at: number
  /** Dropped once passed, so a settled attempt is not kept alive by the queue. */
  item: Expirable | undefined
}

/** Past this many spent entries at the front the queue is compacted. */
const COMPACT_AFTER = 1024

/**
 * Deadlines of one fixed length, with one timer for all of them. Every item gets the same
 * timeout, so deadlines come due in the order they were added: a FIFO queue does, where a timer
 * (or an AbortSignal.timeout) per attempt would cost a timer heap operation each, twice.
 */
export class Deadlines {
  private queue: Entry[] = []
  private head = 0
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  add(item: Expirable): void {
    this.queue.push({ at: this.now() + this.timeoutMs, item })
    this.timer ??= this.arm(this.timeoutMs)
  }

  /** Drops settled items at the front, so a queue of quick attempts stays short. */
  trim(): void {
    const { queue } = this
    for (let entry = queue[this.head]; entry?.item?.settled; entry = queue[this.head]) {
      entry.item = undefined
      this.head++
    }
    if (this.head === queue.length) {
      this.queue = []
      this.head = 0
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= queue.length) {
      this.queue = queue.slice(this.head)
      this.head = 0
    }
  }

  clear(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.queue = []
    this.head = 0
  }

  get size(): number {
    return this.queue.length - this.head
  }

  private arm(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.fire(), Math.max(Math.ceil(delayMs), 1))
    // Attempts keep the process alive through their sockets; the timer need not.
    timer.unref()
    return timer
  }

  private fire(): void {
    this.timer = undefined
    const now = this.now()
    for (;;) {
      this.trim()
      const first = this.queue[this.head]
      if (!first) return
      if (first.at > now) {
        this.timer = this.arm(first.at - now)
        return
      }
      const { item } = first
      first.item = undefined
      this.head++
      item?.expire()
    }
  }
}
