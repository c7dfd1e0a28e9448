import type { QueueStats } from '@lorahooks/db'
import { Counter, exposition, gauge, Histogram, type Collector } from './registry.js'

export const ACCEPT_ENDPOINTS = ['simulate', 'batch', 'downlink'] as const
export type AcceptEndpoint = (typeof ACCEPT_ENDPOINTS)[number]

/** Seconds; most answers take a few milliseconds, a large batch can take a second or more. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface RequestSeries {
  requests: ReturnType<Counter['child']>
  durations: ReturnType<Histogram['child']>
}

/** What the API itself counts, plus the queue gauges it reads from the store when scraped. */
export class ApiMetrics {
  private readonly accepted = new Counter(
    'lorahooks_messages_accepted_total',
    'Messages accepted (committed) by the API, by endpoint.',
    ['endpoint'],
  )

  private readonly requests = new Counter(
    'lorahooks_http_requests_total',
    'HTTP requests answered, by method, route pattern and status.',
    ['method', 'route', 'status'],
  )

  private readonly durations = new Histogram(
    'lorahooks_http_request_duration_seconds',
    'Time to answer HTTP requests, by method and route pattern.',
    DURATION_BUCKETS,
    ['method', 'route'],
  )

  private readonly requestSeries = new Map<string, RequestSeries>()

  constructor() {
    // Zero series up front, so rate() works from the first accepted message.
    for (const endpoint of ACCEPT_ENDPOINTS) this.accepted.inc({ endpoint }, 0)
  }

  countAccepted(endpoint: AcceptEndpoint, messages: number): void {
    this.accepted.inc({ endpoint }, messages)
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // Method, route pattern and status are few, so their series are looked up once each.
    const key = `${method} ${status} ${route}`
    let series = this.requestSeries.get(key)
    if (series === undefined) {
      series = {
        requests: this.requests.child({ method, route, status: String(status) }),
        durations: this.durations.child({ method, route }),
      }
      this.requestSeries.set(key, series)
    }
    series.requests.inc()
    series.durations.observe(seconds)
  }

  render(stats: QueueStats, now: number): string {
    return exposition([...queueGauges(stats, now), this.accepted, this.requests, this.durations])
  }
}

function queueGauges(stats: QueueStats, now: number): Collector[] {
  const oldest = stats.oldestPendingAt
  const oldestMs = oldest === undefined ? 0 : Math.max(now - oldest, 0)
  return [
    gauge('lorahooks_queue_depth', 'Deliveries waiting (pending) or being attempted (inflight).', [
      [{ state: 'pending' }, stats.pending],
      [{ state: 'inflight' }, stats.inflight],
    ]),
    gauge('lorahooks_dead_letters', 'Deliveries that failed for good (state failed).', [
      [{}, stats.failed],
    ]),
    gauge(
      'lorahooks_oldest_pending_age_seconds',
      'Age of the oldest pending delivery; 0 when none is pending.',
      [[{}, oldestMs / 1000]],
    ),
    gauge('lorahooks_webhooks_unhealthy', 'Webhooks whose latest attempts failed.', [
      [{}, stats.unhealthyWebhooks],
    ]),
  ]
}
