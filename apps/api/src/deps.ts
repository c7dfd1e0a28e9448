import type { VerifiedKeyCache } from '@lorahooks/auth'
import type { Logger } from '@lorahooks/core'
import type { Store } from '@lorahooks/db'
import type { ApiConfig } from './env.js'
import type { IngestBatcher } from './ingest-batcher.js'

/** What every route module gets: the store, config, a clock and the shared ingest batcher. */
export interface RouteDeps {
  store: Store
  config: ApiConfig
  logger: Logger
  clock: () => number
  batcher: IngestBatcher
  keyCache: VerifiedKeyCache
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}
