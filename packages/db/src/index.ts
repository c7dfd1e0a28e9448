export type { Store } from './store.js'
export * from './types.js'
export { attemptBase, type AttemptBase } from './attempt-base.js'
export { openSqliteStore, SqliteStore, messageTypeBit } from './sqlite/sqlite-store.js'

import { openSqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'
import type { StoreOptions } from './types.js'

/**
 * Opens the store named by `location`: a SQLite file path (the embedded default). Other
 * backends (PostgreSQL) will be chosen here by URL scheme.
 */
export function openStore(location: string, options: StoreOptions = {}): Store {
  return openSqliteStore(location, options)
}
