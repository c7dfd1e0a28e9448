import type { NewMessage, Store } from '@lorahooks/db'

interface Waiting {
  messages: readonly NewMessage[]
  resolve: () => void
  reject: (error: unknown) => void
}

export interface IngestBatcherOptions {
  /** How long the first request of a group waits for others to join it; 0: the next turn. */
  maxDelayMs?: number
  /**
   * The least time from the start of one commit to the start of the next. Each commit is a disk
   * sync (synchronous=FULL) that blocks the event loop and costs CPU, so under load requests
   * gather into larger groups instead of paying a commit each; an idle batcher commits at once.
   * Commits run after the event loop has read every request that arrived, so a slow commit
   * needs no extra gap: the next one simply takes everything that came in meanwhile.
   */
  minIntervalMs?: number
  /** A group is committed at once when it holds this many messages. */
  maxMessages?: number
  clock?: () => number
}

/**
 * Group commit: requests arriving close together are stored in one acceptMessages call (one
 * transaction, one fsync), and each request is answered only after that commit. A request's
 * messages are never split across commits, so a batch request stays all-or-nothing.
 */
export class IngestBatcher {
  private waiting: Waiting[] = []
  private waitingCount = 0
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private tail: Promise<void> = Promise.resolve()
  /** performance.now() before which the next commit should not start. */
  private nextCommitAt = 0
  private readonly maxDelayMs: number
  private readonly minIntervalMs: number
  private readonly maxMessages: number
  private readonly clock: () => number

  constructor(
    private readonly store: Store,
    options: IngestBatcherOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 0
    this.minIntervalMs = options.minIntervalMs ?? 4
    this.maxMessages = options.maxMessages ?? 500
    this.clock = options.clock ?? Date.now
  }

  /** Resolves once `messages` are committed; rejects (nothing stored) if the commit fails. */
  submit(messages: readonly NewMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve()

    const done = new Promise<void>((resolve, reject) => {
      this.waiting.push({ messages, resolve, reject })
    })
    this.waitingCount += messages.length
    if (this.waitingCount >= this.maxMessages) this.commitWaiting()
    else this.schedule()
    return done
  }

  /** Commits whatever is waiting and resolves when every commit so far has finished. */
  async flush(): Promise<void> {
    this.commitWaiting()
    await this.tail
  }

  private schedule(): void {
    if (this.timer !== undefined || this.immediate !== undefined) return
    const delay = Math.max(this.maxDelayMs, this.nextCommitAt - performance.now())
    if (delay > 0) this.timer = setTimeout(this.commitWaiting, delay)
    else this.immediate = setImmediate(this.commitWaiting)
  }

  private readonly commitWaiting = (): void => {
    clearTimeout(this.timer)
    clearImmediate(this.immediate)
    this.timer = undefined
    this.immediate = undefined
    if (this.waiting.length === 0) return

    const group = this.waiting
    this.waiting = []
    this.waitingCount = 0
    this.tail = this.tail.then(() => this.commit(group))
  }

  private async commit(group: Waiting[]): Promise<void> {
    const messages =
      group.length === 1 ? (group[0] as Waiting).messages : group.flatMap((entry) => entry.messages)
    const started = performance.now()
    try {
      await this.store.acceptMessages(messages, this.clock())
      for (const waiting of group) waiting.resolve()
    } catch (error) {
      for (const waiting of group) waiting.reject(error)
    }
    this.nextCommitAt = started + this.minIntervalMs
  }
}
