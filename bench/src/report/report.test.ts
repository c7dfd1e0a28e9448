import { describe, expect, it } from 'vitest'
import type { RunResult } from '../types.js'
import { renderChart } from './chart.js'
import { renderTable, renderTargets } from './table.js'
import { checkTargets } from './targets.js'

const latency = (p99: number) => ({ count: 10, mean: 1, p50: 1, p90: 2, p99, p999: p99, max: p99 })

function run(id: string, deliveriesPerSecond: number, extra: Partial<RunResult> = {}): RunResult {
  return { id, label: id, deliveries: 1000, seconds: 1, deliveriesPerSecond, ...extra }
}

const RUNS: RunResult[] = [
  run('raw', 40_000),
  run('bullmq', 10_000),
  run('e2e-batch', 20_000, {
    latencyMs: latency(50),
    processes: { api: { peakRssMb: 90, lastRssMb: 80, cpuSeconds: 1 } },
  }),
  run('fanout', 15_000),
  run('steady', 1000, { latencyMs: latency(12) }),
  run('blackhole-control', 1000, { latencyMs: latency(10) }),
  run('blackhole', 1000, { latencyMs: latency(13) }),
  { ...run('skipped', 0), skipped: 'no Redis' },
]

describe('report', () => {
  it('checks the targets as ratios within the run', () => {
    const checks = new Map(checkTargets(RUNS).map((check) => [check.target, check]))
    expect(checks.get('e2e deliveries/s ≥ 1.5 × BullMQ')).toMatchObject({ pass: true, value: 2 })
    expect(checks.get('e2e deliveries/s ≥ 0.5 × raw')).toMatchObject({ pass: true, value: 0.5 })
    expect(checks.get('fan-out per-delivery ≥ 0.8 × single webhook')?.pass).toBe(false)
    expect(checks.get('healthy p99 with black hole ≤ 1.2 × without')?.pass).toBe(false)
    expect(checks.get('p99 ingest-to-delivery ≤ 25 ms at steady load')?.pass).toBe(true)
    expect(checks.get('peak RSS of API and worker ≤ 150 MB')?.pass).toBe(true)
    expect(checks.get('RSS flat over the long run (growth ≤ 1.2)')?.pass).toBeUndefined()
  })

  it('says a long run was too short to tell a trend instead of printing ×0.00', () => {
    const short = run('long', 1000, { extra: { finalDatabaseMb: 1, retainedDeliveries: 10 } })
    const checks = new Map(checkTargets([short]).map((check) => [check.target, check]))
    for (const target of [
      'RSS flat over the long run (growth ≤ 1.2)',
      'database bounded (end ≤ 1.25 × half-way)',
    ]) {
      expect(checks.get(target)?.pass).toBeUndefined()
      expect(checks.get(target)?.detail).toContain('too short to sample a trend')
    }
  })

  it('shows a third decimal where two would round a miss onto its limit', () => {
    const missed = checkTargets([run('raw', 34_108), run('e2e-batch', 16_979)])
    expect(missed.find((check) => check.target.endsWith('0.5 × raw'))?.detail).toMatch(/^0\.498 /)
    const passed = checkTargets([run('raw', 34_000), run('e2e-batch', 17_100)])
    expect(passed.find((check) => check.target.endsWith('0.5 × raw'))?.detail).toMatch(/^0\.50 /)
  })

  it('takes a ratio within each round and checks the median of those', () => {
    const rounds = (...perSecond: number[]) =>
      perSecond.map((value) => ({ deliveriesPerSecond: value }))
    // Medians 30,000 and 16,000 would give 0.53; the rounds' own ratios are 0.48, 0.51, 0.61.
    const checks = checkTargets([
      run('raw', 30_000, { rounds: rounds(37_500, 28_600, 30_000) }),
      run('e2e-batch', 16_000, { rounds: rounds(18_000, 14_590, 18_300) }),
    ])
    const check = checks.find((entry) => entry.target.endsWith('0.5 × raw'))
    expect(check?.value).toBeCloseTo(0.51, 2)
    expect(check?.detail).toMatch(/^0\.51 \(median of 3 rounds, 0\.48–0\.61; medians/)
  })

  it('prints a table with one row per measured run and the skip reasons', () => {
    const table = renderTable(RUNS)
    expect(table).toMatch(/^e2e-batch\s+1,000\s+1\.00\s+20,000/m)
    expect(table).toContain('SKIP skipped: no Redis')
    expect(renderTargets(checkTargets(RUNS))).toMatch(/^FAIL {2}fan-out/m)
  })

  it('draws an SVG with a bar per run', () => {
    const svg = renderChart(RUNS, 'title <&>')
    expect(svg).toMatch(/^<svg /)
    expect(svg).toContain('title &lt;&amp;&gt;')
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(RUNS.length)
  })
})
