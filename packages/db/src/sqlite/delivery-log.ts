import type {
  AttemptLogRow,
  AttemptRecord,
  DeliveryFilter,
  DeliveryRow,
  HealthPolicy,
  QueueStats,
  RetentionPolicy,
} from '../types.js'
import * as sql from './delivery-log-sql.js'
import { ChunkedInsert } from './chunked-insert.js'
import type { SqliteDatabase } from './open.js'

function withoutNulls<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) if (value !== null) out[key] = value
  return out as T
}

interface WebhookTally {
  applicationId: string
  webhookId: string
  succeeded: boolean
  /** Failures after the last success of the batch. */
  failuresAfter: number
  last?: AttemptRecord
}

/** Folds a batch of attempts into one health change per webhook, in attempt order. */
function tallyHealth(records: readonly AttemptRecord[]): WebhookTally[] {
  const tallies = new Map<string, WebhookTally>()
  for (const record of records) {
    if (!record.affectsHealth) continue
    const key = `${record.applicationId}/${record.webhookId}`
    let tally = tallies.get(key)
    if (!tally) {
      tally = {
        applicationId: record.applicationId,
        webhookId: record.webhookId,
        succeeded: false,
        failuresAfter: 0,
      }
      tallies.set(key, tally)
    }
    if (record.outcome === 'delivered') {
      tally.succeeded = true
      tally.failuresAfter = 0
    } else {
      tally.failuresAfter++
      tally.last = record
    }
  }
  return [...tallies.values()]
}

const OUTCOME_STATEMENT = {
  delivered: 'markDelivered',
  retry: 'scheduleRetry',
  failed: 'markFailed',
  cancelled: 'markCancelled',
} as const

type OutcomeStatements = Record<
  (typeof OUTCOME_STATEMENT)[keyof typeof OUTCOME_STATEMENT],
  { run(params: Record<string, unknown>): unknown }
>

/** Delivered attempts of one flush that one statement can mark together. */
interface DeliveredGroup {
  leaseToken: string
  status: number | null
  ids: number[]
}

/** The attempt log, health bookkeeping, listing and retention of the SQLite store. */
export class DeliveryLog {
  private readonly statements
  private readonly attemptInserts: ChunkedInsert

  constructor(
    private readonly db: SqliteDatabase,
    private readonly outcomes: OutcomeStatements,
  ) {
    this.attemptInserts = new ChunkedInsert(db, sql.INSERT_ATTEMPTS, sql.ATTEMPT_COLUMNS)
    this.statements = {
      markAllDelivered: db.prepare(sql.MARK_ALL_DELIVERED),
      succeeded: db.prepare(sql.WEBHOOKS_SUCCEEDED),
      heldAmong: db.prepare(sql.HELD_AMONG),
      drainHeldRetries: db.prepare(sql.DRAIN_HELD_RETRIES),
      failed: db.prepare(sql.WEBHOOK_FAILED),
      getDelivery: db.prepare(sql.GET_DELIVERY),
      listAttempts: db.prepare(sql.LIST_ATTEMPTS),
      filter: db.prepare(sql.FILTER_DELIVERIES),
      resendOne: db.prepare(sql.RESEND_ONE),
      resendFailed: db.prepare(sql.RESEND_FAILED),
      oldestFinished: db.prepare(sql.OLDEST_FINISHED).pluck(),
      countFinished: db.prepare(sql.COUNT_FINISHED).pluck(),
      deleteAttempts: db.prepare(sql.DELETE_ATTEMPTS_OF),
      deleteDeliveries: db.prepare(sql.DELETE_DELIVERIES),
      deleteOrphans: db.prepare(sql.DELETE_ORPHAN_MESSAGES),
      stats: db.prepare(sql.QUEUE_STATS),
    }
  }

  /**
   * Runs inside the caller's write transaction. Attempt rows are inserted many per statement and
   * delivered outcomes set-based: a statement per row costs more than the row itself.
   */
  record(records: readonly AttemptRecord[], now: number, health: HealthPolicy): void {
    const attempts: AttemptRecord[] = []
    const delivered = new Map<string, DeliveredGroup>()
    for (const record of records) {
      if (record.outcome !== 'cancelled' || record.status !== undefined) attempts.push(record)
      if (record.outcome === 'delivered') {
        const status = record.status ?? null
        const key = `${status}/${record.leaseToken}`
        let group = delivered.get(key)
        if (!group) {
          group = { leaseToken: record.leaseToken, status, ids: [] }
          delivered.set(key, group)
        }
        group.ids.push(record.deliveryId)
        continue
      }
      this.outcomes[OUTCOME_STATEMENT[record.outcome]].run({
        id: record.deliveryId,
        leaseToken: record.leaseToken,
        status: record.status ?? null,
        error: record.error ?? null,
        nextAttemptAt: record.nextAttemptAt ?? null,
        now,
      })
    }
    this.insertAttempts(attempts)
    for (const { leaseToken, status, ids } of delivered.values()) {
      this.statements.markAllDelivered.run({ ids: JSON.stringify(ids), leaseToken, status, now })
    }
    const tallies = tallyHealth(records)
    this.applySuccesses(tallies.filter((tally) => tally.succeeded))
    for (const tally of tallies) this.applyFailures(tally, now, health)
  }

  private insertAttempts(records: readonly AttemptRecord[]): void {
    const values: unknown[] = []
    for (const record of records) {
      values.push(
        record.deliveryId,
        record.attempt,
        record.startedAt,
        record.url,
        record.status ?? null,
        record.durationMs,
        record.error ?? null,
        record.responseExcerpt ?? null,
      )
    }
    this.attemptInserts.insert(values)
  }

  /**
   * The webhooks with a success in this batch become healthy, in two statements whatever their
   * number (a fan-out flush has one per webhook); held ones first get their retries back.
   */
  private applySuccesses(tallies: readonly WebhookTally[]): void {
    if (tallies.length === 0) return
    const ids = JSON.stringify(tallies.map((tally) => [tally.applicationId, tally.webhookId]))
    for (const held of this.statements.heldAmong.all({ ids })) {
      this.statements.drainHeldRetries.run(held as { applicationId: string; webhookId: string })
    }
    this.statements.succeeded.run({ ids })
  }

  /** A webhook's backed-off retries fall due at once, in accepted order (health reset). */
  drainRetries(applicationId: string, webhookId: string): void {
    this.statements.drainHeldRetries.run({ applicationId, webhookId })
  }

  /** Failures after the batch's last success, counted towards the hold threshold. */
  private applyFailures(tally: WebhookTally, now: number, health: HealthPolicy): void {
    if (tally.failuresAfter === 0 || !tally.last) return
    this.statements.failed.run({
      applicationId: tally.applicationId,
      webhookId: tally.webhookId,
      failures: tally.failuresAfter,
      failedAt: new Date(tally.last.startedAt).toISOString(),
      details: JSON.stringify(tally.last.failureDetails ?? { message: tally.last.error ?? '' }),
      threshold: health.threshold,
      heldUntil: now + health.retryIntervalMs,
    })
  }

  getDelivery(applicationId: string, webhookId: string, id: number) {
    const row = this.statements.getDelivery.get({ id, applicationId, webhookId })
    if (!row) return undefined
    const attempts = this.statements.listAttempts.all({ id }) as Record<string, unknown>[]
    return {
      ...withoutNulls<DeliveryRow>(row as Record<string, unknown>),
      attemptLog: attempts.map((attempt) => withoutNulls<AttemptLogRow>(attempt)),
    }
  }

  find(filter: DeliveryFilter): DeliveryRow[] {
    const rows = this.statements.filter.all({
      applicationId: filter.applicationId,
      webhookId: filter.webhookId,
      state: filter.state ?? null,
      deviceId: filter.deviceId ?? null,
      since: filter.since ?? null,
      until: filter.until ?? null,
      before: filter.before ?? null,
      limit: filter.limit,
    }) as Record<string, unknown>[]
    return rows.map((row) => withoutNulls<DeliveryRow>(row))
  }

  resendOne(applicationId: string, webhookId: string, id: number, now: number): boolean {
    return this.statements.resendOne.run({ applicationId, webhookId, id, now }).changes > 0
  }

  resendFailed(applicationId: string, webhookId: string, since: number, now: number): number {
    return this.statements.resendFailed.run({ applicationId, webhookId, since, now }).changes
  }

  countFinished(): number {
    return this.statements.countFinished.get() as number
  }

  /**
   * Ids of the next batch to purge: past the age limit first, then the oldest of the `excess`
   * finished deliveries beyond the count limit.
   */
  nextPurgeBatch(policy: RetentionPolicy, now: number, excess: number): number[] {
    const cutoff = now - policy.maxAgeMs
    const expired = this.statements.oldestFinished.all({
      cutoff,
      limit: policy.batchSize,
    }) as number[]
    if (expired.length > 0) return expired
    if (excess <= 0) return []
    return this.statements.oldestFinished.all({
      cutoff: Number.MAX_SAFE_INTEGER,
      limit: Math.min(excess, policy.batchSize),
    }) as number[]
  }

  /** Runs inside the caller's write transaction. */
  deleteBatch(ids: readonly number[], policy: RetentionPolicy, now: number): void {
    const json = JSON.stringify(ids)
    this.statements.deleteAttempts.run({ ids: json })
    this.statements.deleteDeliveries.run({ ids: json })
    this.statements.deleteOrphans.run({ cutoff: now, limit: policy.batchSize })
  }

  stats(): QueueStats {
    return withoutNulls<QueueStats>(this.statements.stats.get() as Record<string, unknown>)
  }
}
