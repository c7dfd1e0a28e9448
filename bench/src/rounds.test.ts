import { describe, expect, it } from 'vitest'
import { medianRuns } from './rounds.js'
import { skippedRun, type RunResult } from './types.js'

function run(id: string, deliveriesPerSecond: number, p99?: number): RunResult {
  const latencyMs =
    p99 === undefined ? undefined : { count: 1, mean: 1, p50: 1, p90: 1, p99, p999: p99, max: p99 }
  return { id, label: id, deliveries: 10, seconds: 1, deliveriesPerSecond, latencyMs }
}

describe('medianRuns', () => {
  it('keeps the median round of each run, with every round figure, in first-seen order', () => {
    const medians = medianRuns([
      [run('raw', 30_000), run('e2e-batch', 15_000), run('blackhole', 1000, 14)],
      [run('raw', 38_000), run('e2e-batch', 19_000), run('blackhole', 1000, 9)],
      [run('raw', 35_000), run('e2e-batch', 17_000), run('blackhole', 1000, 11)],
    ])

    expect(medians.map((median) => median.id)).toEqual(['raw', 'e2e-batch', 'blackhole'])
    expect(medians.map((median) => median.deliveriesPerSecond)).toEqual([35_000, 17_000, 1000])
    // The fixed-rate run is ranked by its latency.
    expect(medians[2]?.latencyMs?.p99).toBe(11)
    expect(medians[1]?.rounds).toEqual([
      { deliveriesPerSecond: 15_000 },
      { deliveriesPerSecond: 19_000 },
      { deliveriesPerSecond: 17_000 },
    ])
  })

  it('takes the worse middle of an even count and skips only what every round skipped', () => {
    const noRedis = skippedRun('bullmq', 'bullmq', 'no Redis')
    const medians = medianRuns([
      [run('e2e-batch', 20_000), noRedis, run('blackhole', 1, 9)],
      [run('e2e-batch', 10_000), noRedis, run('blackhole', 1, 12)],
    ])

    expect(medians[0]?.deliveriesPerSecond).toBe(10_000)
    expect(medians[1]?.skipped).toBe('no Redis')
    expect(medians[2]?.latencyMs?.p99).toBe(12)
  })

  it('gives a single round back as it was', () => {
    const only = run('raw', 1)
    expect(medianRuns([[only]])).toEqual([only])
  })
})
