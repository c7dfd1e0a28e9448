import type { VerifiedKeyCache } from '@lorahooks/auth'
import type { Logger } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import type { ApiConfig } from './env.js'
import type { IngestBatcher } from './ingest-batcher.js'
import type { ApiMetrics } from './metrics/api-metrics.js'

/** What every route module gets: the store, config, a clock, the ingest batcher and metrics. */
export interface RouteDeps {
  store: Store
  config: ApiConfig
  logger: Logger
  clock: () => number
  batcher: IngestBatcher
  keyCache: VerifiedKeyCache
  metrics: ApiMetrics
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}
