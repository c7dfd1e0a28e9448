import type { AttemptOutcomeKind, QueueStats } from '@lorahooks/db'

const OUTCOMES: readonly AttemptOutcomeKind[] = ['delivered', 'retry', 'failed', 'cancelled']
/** Seconds; webhook receivers answer in milliseconds to a few seconds (the timeout). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The worker's counters, kept in memory and written out in the Prometheus text format. */
export class DeliveryMetrics {
  private readonly outcomes = new Map<AttemptOutcomeKind, number>(OUTCOMES.map((o) => [o, 0]))
  private readonly bucketCounts = DURATION_BUCKETS.map(() => 0)
  private durationCount = 0
  private durationSum = 0

  /** Counts an attempt's outcome; `durationMs` is left out when no request was made. */
  observe(outcome: AttemptOutcomeKind, durationMs?: number): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1)
    if (durationMs === undefined) return
    const seconds = durationMs / 1000
    this.durationCount++
    this.durationSum += seconds
    const bucket = DURATION_BUCKETS.findIndex((bound) => seconds <= bound)
    if (bucket !== -1) this.bucketCounts[bucket] = (this.bucketCounts[bucket] ?? 0) + 1
  }

  /** The exposition text, with the queue gauges read from the store at scrape time. */
  render(stats: QueueStats, now: number): string {
    const lines: string[] = []
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)

    family('lorahooks_deliveries_total', 'counter', 'Finished delivery attempts by outcome.')
    for (const [outcome, count] of this.outcomes) {
      lines.push(`lorahooks_deliveries_total{outcome="${outcome}"} ${count}`)
    }

    const histogram = 'lorahooks_attempt_duration_seconds'
    family(histogram, 'histogram', 'Duration of HTTP delivery attempts.')
    let cumulative = 0
    for (const [index, bound] of DURATION_BUCKETS.entries()) {
      cumulative += this.bucketCounts[index] ?? 0
      lines.push(`${histogram}_bucket{le="${bound}"} ${cumulative}`)
    }
    lines.push(`${histogram}_bucket{le="+Inf"} ${this.durationCount}`)
    lines.push(`${histogram}_sum ${this.durationSum}`, `${histogram}_count ${this.durationCount}`)

    family('lorahooks_queue_depth', 'gauge', 'Deliveries in the queue by state.')
    for (const state of ['pending', 'inflight', 'failed'] as const) {
      lines.push(`lorahooks_queue_depth{state="${state}"} ${stats[state]}`)
    }

    const oldestAt = stats.oldestPendingAt ?? now
    const oldest = Math.max(now - oldestAt, 0)
    family('lorahooks_oldest_pending_age_seconds', 'gauge', 'Age of the oldest pending delivery.')
    lines.push(`lorahooks_oldest_pending_age_seconds ${oldest / 1000}`)

    family('lorahooks_webhooks_unhealthy', 'gauge', 'Webhooks whose last attempts failed.')
    lines.push(`lorahooks_webhooks_unhealthy ${stats.unhealthyWebhooks}`)
    return `${lines.join('\n')}\n`
  }
}
