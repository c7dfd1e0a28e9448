import type { NewMessage, Store } from '@lorahooks/db'

interface Waiting {
  messages: readonly NewMessage[]
  resolve: () => void
  reject: (error: unknown) => void
}

export interface IngestBatcherOptions {
  /** How long the first request of a group waits for others to join it. */
  maxDelayMs?: number
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
  private tail: Promise<void> = Promise.resolve()
  private readonly maxDelayMs: number
  private readonly maxMessages: number
  private readonly clock: () => number

  constructor(
    private readonly store: Store,
    options: IngestBatcherOptions = {},
  ) {
    this.maxDelayMs = options.maxDelayMs ?? 1
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
    else this.timer ??= setTimeout(() => this.commitWaiting(), this.maxDelayMs)
    return done
  }

  /** Commits whatever is waiting and resolves when every commit so far has finished. */
  async flush(): Promise<void> {
    this.commitWaiting()
    await this.tail
  }

  private commitWaiting(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.waiting.length === 0) return

    const group = this.waiting
    this.waiting = []
    this.waitingCount = 0
    this.tail = this.tail.then(() => this.commit(group))
  }

  private async commit(group: Waiting[]): Promise<void> {
    const messages = group.flatMap((waiting) => waiting.messages)
    try {
      await this.store.acceptMessages(messages, this.clock())
      for (const waiting of group) waiting.resolve()
    } catch (error) {
      for (const waiting of group) waiting.reject(error)
    }
  }
}
