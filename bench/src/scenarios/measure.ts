import type { ReceiverStats } from '../receiver/protocol.js'
import type { RunResult } from '../types.js'

export interface Measured {
  id: string
  label: string
  startNs: number
  /** Messages handed in as fast as possible, and when the last one was accepted. */
  ingested?: { messages: number; doneNs: number }
  stats: ReceiverStats
  incomplete?: string
}

/** Turns receiver counters into the figures of a run. */
export function throughputFigures(run: Measured): RunResult {
  const { stats } = run
  const seconds = (stats.lastNs - run.startNs) / 1e9
  const phase = (stats.lastNs - stats.firstNs) / 1e9
  const result: RunResult = {
    id: run.id,
    label: run.label,
    deliveries: stats.total,
    seconds,
    deliveriesPerSecond: stats.total / seconds,
    latencyMs: stats.all,
    bodyBytes: stats.total === 0 ? 0 : stats.bodyBytes / stats.total,
  }
  if (run.incomplete) result.incomplete = run.incomplete
  if (phase > 0) result.deliveryPhasePerSecond = (stats.total - 1) / phase
  if (run.ingested) {
    result.ingestPerSecond = run.ingested.messages / ((run.ingested.doneNs - run.startNs) / 1e9)
  }
  return result
}
