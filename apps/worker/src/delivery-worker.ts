import type { Logger } from '@lorahooks/core'
import type { AttemptOutcome, ClaimedDelivery, RetryOutcome, Store } from '@lorahooks/db'
import { buildDeliveryRequest, UnknownFormatError, type RequestContext } from './delivery-request.js'
import type { AttemptResult, HttpSender } from './http-sender.js'
import { Lanes } from './lanes.js'
import { nextAttemptAt } from './retry-policy.js'

export interface WorkerOptions {
  concurrency: number
  webhookConcurrency: number
  retryMaxAgeMs: number
  /** How long a claim is ours before another worker may take it over. */
  leaseMs?: number
  /** How often the cheap change counter is polled for new work. */
  wakePollMs?: number
  /** Fallback claim poll and lease reaper interval. */
  sweepMs?: number
}

export interface WorkerDeps {
  store: Store
  sender: HttpSender
  logger: Logger
  context: RequestContext
  now?: () => number
}

const CLAIM_BATCH = 256

/** Results waiting to be written, in one transaction per kind. */
interface PendingWrites {
  delivered: AttemptOutcome[]
  retries: RetryOutcome[]
  failed: AttemptOutcome[]
  cancelled: AttemptOutcome[]
}

/**
 * Claims deliveries from the store and attempts them. It wakes when another process commits
 * (PRAGMA data_version, polled on a timer: cheap and idle-friendly), when a retry falls due, and
 * on a slow fallback sweep that also returns leases of crashed workers.
 */
export class DeliveryWorker {
  private readonly lanes: Lanes
  private readonly now: () => number
  private readonly leaseMs: number
  private inFlight = 0
  private claiming = false
  private claimAgain = false
  private stopping = false
  private lastChange = -1
  private timers: NodeJS.Timeout[] = []
  private dueTimer: NodeJS.Timeout | undefined
  private writes: PendingWrites = { delivered: [], retries: [], failed: [], cancelled: [] }
  private flushScheduled = false
  private flushing: Promise<void> = Promise.resolve()
  private idleWaiters: (() => void)[] = []

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {
    this.lanes = new Lanes(options.webhookConcurrency)
    this.now = deps.now ?? Date.now
    this.leaseMs = options.leaseMs ?? 60_000
  }

  start(): void {
    const wake = setInterval(() => this.checkForChanges(), this.options.wakePollMs ?? 15)
    const sweep = setInterval(() => void this.sweep(), this.options.sweepMs ?? 2_000)
    this.timers.push(wake, sweep)
    void this.sweep()
  }

  /** Stops claiming, lets attempts in flight finish, returns unstarted claims to the queue. */
  async stop(): Promise<void> {
    this.stopping = true
    for (const timer of this.timers) clearInterval(timer)
    if (this.dueTimer) clearTimeout(this.dueTimer)

    const unstarted = this.lanes.drainWaiting()
    await this.deps.store.releaseClaims(unstarted, this.now())
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    await this.flush()
  }

  private checkForChanges(): void {
    const change = this.deps.store.changeCounter()
    if (change === this.lastChange) return
    this.lastChange = change
    void this.pump()
  }

  private async sweep(): Promise<void> {
    if (this.stopping) return
    try {
      const released = await this.deps.store.releaseExpiredLeases(this.now())
      if (released > 0) this.deps.logger.warn({ released }, 'returned expired leases to the queue')
    } catch (error) {
      this.deps.logger.error({ err: error }, 'lease sweep failed')
    }
    await this.pump()
  }

  /** Claims as much work as there are free slots for, until the queue has no more due. */
  private async pump(): Promise<void> {
    if (this.claiming) {
      this.claimAgain = true
      return
    }
    this.claiming = true
    try {
      let claimedFull = true
      while (!this.stopping && claimedFull) {
        this.claimAgain = false
        const free = this.options.concurrency - this.inFlight - this.lanes.waiting
        if (free <= 0) return
        const limit = Math.min(free, CLAIM_BATCH)
        const claimed = await this.deps.store.claimDeliveries(
          limit,
          this.leaseMs,
          this.now(),
          this.lanes.saturated(),
        )
        for (const delivery of claimed) this.lanes.add(delivery)
        this.startAttempts()
        claimedFull = claimed.length === limit || this.claimAgain
      }
      await this.scheduleNextDue()
    } catch (error) {
      this.deps.logger.error({ err: error }, 'claiming deliveries failed')
    } finally {
      this.claiming = false
    }
  }

  private async scheduleNextDue(): Promise<void> {
    const due = await this.deps.store.nextDueAt()
    if (this.dueTimer) clearTimeout(this.dueTimer)
    this.dueTimer = undefined
    if (due === undefined || this.stopping) return
    const wait = Math.max(due - this.now(), 0)
    if (wait > 0) this.dueTimer = setTimeout(() => void this.pump(), Math.min(wait + 5, 2 ** 30))
  }

  private startAttempts(): void {
    for (const delivery of this.lanes.takeStartable()) {
      this.inFlight++
      void this.attempt(delivery).finally(() => this.finishAttempt(delivery))
    }
  }

  private finishAttempt(delivery: ClaimedDelivery): void {
    this.inFlight--
    this.lanes.finish(delivery)
    if (this.stopping) {
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve()
      return
    }
    this.startAttempts()
    if (this.inFlight + this.lanes.waiting < this.options.concurrency) void this.pump()
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const outcome = { id: delivery.id, leaseToken: delivery.leaseToken }
    const config = delivery.webhook?.config
    const skipReason = !config
      ? 'webhook deleted'
      : config.paused
        ? 'webhook paused'
        : config[delivery.messageType] === undefined
          ? `message type ${delivery.messageType} disabled`
          : undefined
    if (skipReason || !config) {
      this.record('cancelled', { ...outcome, error: skipReason })
      return
    }

    let result: AttemptResult
    try {
      const request = buildDeliveryRequest(delivery, config, this.deps.context)
      result = await this.deps.sender.send(request, Lanes.keyOf(delivery))
      this.logAttempt(delivery, request.url, result)
    } catch (error) {
      const permanent = error instanceof UnknownFormatError
      const message = error instanceof Error ? error.message : String(error)
      this.deps.logger.error({ deliveryId: delivery.id, err: error }, 'could not build request')
      if (permanent) return this.record('failed', { ...outcome, error: message })
      result = { ok: false, error: message, durationMs: 0 }
    }
    this.recordResult(delivery, result)
  }

  private recordResult(delivery: ClaimedDelivery, result: AttemptResult): void {
    const outcome = {
      id: delivery.id,
      leaseToken: delivery.leaseToken,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
    }
    if (result.ok) return this.record('delivered', outcome)

    const now = this.now()
    const next = nextAttemptAt(delivery.attempt, delivery.createdAt, now, this.options.retryMaxAgeMs)
    if (next === undefined) return this.record('failed', outcome)
    this.record('retries', { ...outcome, nextAttemptAt: next })
  }

  private logAttempt(delivery: ClaimedDelivery, url: string, result: AttemptResult): void {
    const fields = {
      deliveryId: delivery.id,
      messageId: delivery.messageId,
      applicationId: delivery.applicationId,
      webhookId: delivery.webhookId,
      deviceId: delivery.deviceId,
      messageType: delivery.messageType,
      attempt: delivery.attempt,
      url,
      status: result.status,
      durationMs: result.durationMs,
      ...(result.error ? { error: result.error } : {}),
    }
    if (result.ok) this.deps.logger.debug(fields, 'delivered')
    else this.deps.logger.warn(fields, 'delivery attempt failed')
  }

  private record(kind: 'delivered' | 'failed' | 'cancelled', outcome: AttemptOutcome): void
  private record(kind: 'retries', outcome: RetryOutcome): void
  private record(kind: keyof PendingWrites, outcome: AttemptOutcome | RetryOutcome): void {
    ;(this.writes[kind] as AttemptOutcome[]).push(outcome)
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => void this.flush())
  }

  /** Writes recorded results in a few transactions instead of one per attempt. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      this.flushScheduled = false
      const writes = this.writes
      this.writes = { delivered: [], retries: [], failed: [], cancelled: [] }
      const now = this.now()
      try {
        await this.deps.store.markDelivered(writes.delivered, now)
        await this.deps.store.scheduleRetries(writes.retries, now)
        await this.deps.store.markFailed(writes.failed, now)
        await this.deps.store.markCancelled(writes.cancelled, now)
      } catch (error) {
        // The leases expire and the deliveries are attempted again: at-least-once holds.
        this.deps.logger.error({ err: error }, 'recording attempt results failed')
      }
      if (writes.retries.length > 0) await this.scheduleNextDue()
    })
    return this.flushing
  }
}
