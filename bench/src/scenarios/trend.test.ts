import { describe, expect, it } from 'vitest'
import type { Sample } from '../procs/sampler.js'
import { databaseGrowth, growth } from './trend.js'

function samples(rss: (t: number) => number, db: (t: number) => number): Sample[] {
  return Array.from({ length: 101 }, (_, t) => ({
    t,
    rss: { worker: rss(t) },
    dbBytes: db(t),
    delivered: t * 100,
  }))
}

describe('trends over a long run', () => {
  it('reads a flat series as 1 and a doubling one as about 2', () => {
    expect(growth(samples(() => 100, () => 1), (s) => s.rss['worker'])).toBe(1)
    const doubling = growth(samples((t) => 50 + t, () => 1), (s) => s.rss['worker'])
    expect(doubling).toBeGreaterThan(1.7)
  })

  it('compares the database at the end with half-way', () => {
    expect(databaseGrowth(samples(() => 1, (t) => 1000 + t), 10_000)).toBeCloseTo(1100 / 1050)
    expect(databaseGrowth(samples(() => 1, (t) => t * 10), 10_000)).toBe(2)
  })

  it('tells a run too short to measure from a flat one', () => {
    const two = samples(() => 100, () => 1).filter((sample) => sample.t === 0 || sample.t === 100)
    expect(growth(two, (s) => s.rss['worker'])).toBeUndefined()
    expect(databaseGrowth(two.slice(0, 1), 10_000)).toBeUndefined()
  })
})
