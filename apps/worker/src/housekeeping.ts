import type { Logger } from '@lorahooks/core'
import type { RetentionPolicy, Store } from '@lorahooks/db'

export interface HousekeepingPolicy {
  /** Pending deliveries older than this become dead letters (the retry maximum age). */
  maxAgeMs: number
  retention: RetentionPolicy
}

/**
 * Periodic upkeep, on a timer of its own and never on the claim path: dead-letters pending
 * deliveries past the maximum age (a held webhook's deliveries never reach their own last
 * retry), then purges finished deliveries past retention. The store works in small
 * transactions and yields between them, so delivery goes on while this runs.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(
    private readonly store: Store,
    private readonly policy: HousekeepingPolicy,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs)
    this.timer.unref()
  }

  /** One pass; a pass still running is not started twice. */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async pass(): Promise<void> {
    const { maxAgeMs, retention } = this.policy
    try {
      const now = this.now()
      const expired = await this.store.expirePending(now - maxAgeMs, now, retention.batchSize)
      if (expired > 0) this.logger.warn({ expired }, 'dead-lettered held deliveries past max age')
      const purged = await this.store.purgeFinished(retention, this.now())
      if (purged > 0) this.logger.info({ purged }, 'purged finished deliveries')
    } catch (error) {
      this.logger.error({ err: error }, 'housekeeping failed')
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.running
  }
}
