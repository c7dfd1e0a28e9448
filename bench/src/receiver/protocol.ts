import type { LatencySummary } from '../stats.js'

/** Requests the bench sends to the receiver process over IPC; each is answered by id. */
export type ReceiverCommand =
  | { id: number; type: 'reset' }
  | { id: number; type: 'progress' }
  | { id: number; type: 'stats' }

export interface Progress {
  /** Requests answered 2xx since the last reset. */
  total: number
  /** Requests that reached the black-hole listener (never answered): one per connection. */
  blackholed: number
  bodyBytes: number
  /** Monotonic ns of the first and the latest answered request. */
  firstNs: number
  lastNs: number
}

export interface PathStats {
  count: number
  latencyMs: LatencySummary
}

export interface ReceiverStats extends Progress {
  /** Latency from the `sent_at_ns` a body carries to its arrival, per request path. */
  paths: Record<string, PathStats>
  all: LatencySummary
}

export type ReceiverReply =
  | { type: 'ready'; url: string; blackholeUrl: string }
  | { type: 'reply'; id: number; body: Progress | ReceiverStats | null }
