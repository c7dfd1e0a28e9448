import type { ProcessFigures, Sample } from './procs/sampler.js'
import type { RoundFigures } from './rounds.js'
import type { LatencySummary } from './stats.js'

/** Every figure one measured run produced; a scenario yields one or more of these. */
export interface RunResult {
  id: string
  label: string
  /** Why the run did not happen; no figures then. */
  skipped?: string
  /** Set when not every delivery arrived in time: the figures cover what did. */
  incomplete?: string
  deliveries: number
  /** From the first message entering the system to the last delivery answered. */
  seconds: number
  deliveriesPerSecond: number
  /** At the receiver: first to last delivery, without the ramp-up. */
  deliveryPhasePerSecond?: number
  ingestPerSecond?: number
  /** Entry into the system to arrival at the receiver. */
  latencyMs?: LatencySummary
  bodyBytes?: number
  processes?: Record<string, ProcessFigures>
  peakDatabaseBytes?: number
  extra?: Record<string, number>
  series?: Sample[]
  /** Every round's figures when the run was repeated; the other fields are the median round's. */
  rounds?: RoundFigures[]
}

export function skippedRun(id: string, label: string, reason: string): RunResult {
  return { id, label, skipped: reason, deliveries: 0, seconds: 0, deliveriesPerSecond: 0 }
}
