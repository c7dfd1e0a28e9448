import type { RunResult } from './types.js'

/** Runs at a fixed rate: what they measure is latency, not throughput. */
const LATENCY_RUNS = new Set(['blackhole-control', 'blackhole', 'steady', 'steady-batch'])

/** One round's figure of a run, kept in the report next to the median. */
export interface RoundFigures {
  deliveriesPerSecond: number
  p99Ms?: number
}

export function isLatencyRun(run: RunResult): boolean {
  return LATENCY_RUNS.has(run.id)
}

/** Higher is better: deliveries/s, or a lower p99 for the fixed-rate runs. */
function score(run: RunResult): number {
  if (!isLatencyRun(run)) return run.deliveriesPerSecond
  return -(run.latencyMs?.p99 ?? Number.POSITIVE_INFINITY)
}

function figures(run: RunResult): RoundFigures {
  const p99 = run.latencyMs?.p99
  return {
    deliveriesPerSecond: run.deliveriesPerSecond,
    ...(p99 === undefined ? {} : { p99Ms: p99 }),
  }
}

/**
 * One result per run out of several rounds: the median round by the run's figure (with an even
 * number of rounds, the worse of the two middle ones), carrying every round's figures in round
 * order. A run is skipped only when every round of it was.
 */
export function medianRuns(rounds: readonly (readonly RunResult[])[]): RunResult[] {
  const byId = new Map<string, RunResult[]>()
  for (const round of rounds) {
    for (const run of round) {
      const seen = byId.get(run.id)
      if (seen) seen.push(run)
      else byId.set(run.id, [run])
    }
  }

  const medians: RunResult[] = []
  for (const results of byId.values()) {
    const measured = results.filter((run) => !run.skipped)
    if (measured.length === 0) {
      medians.push(results[0] as RunResult)
      continue
    }
    const ranked = [...measured].sort((a, b) => score(a) - score(b))
    const median = ranked[Math.floor((ranked.length - 1) / 2)] as RunResult
    medians.push(measured.length === 1 ? median : { ...median, rounds: measured.map(figures) })
  }
  return medians
}
