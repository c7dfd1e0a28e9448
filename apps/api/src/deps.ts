import type { VerifiedKeyCache } from '@lorahooks/auth'
import type { Logger } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import type { ApiConfig } from './env.js'
import type { IngestBatcher } from './ingest-batcher.js'
import type { ApiMetrics } from './metrics/api-metrics.js'
import type { RegistryCache } from './registry-cache.js'

/** What every route module gets: store, config, a clock, the ingest batcher, caches, metrics. */
export interface RouteDeps {
  store: Store
  config: ApiConfig
  logger: Logger
  clock: () => number
  batcher: IngestBatcher
  keyCache: VerifiedKeyCache
  /** API key and device rows; routes that change them must invalidate. */
  cache: RegistryCache
  metrics: ApiMetrics
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}
