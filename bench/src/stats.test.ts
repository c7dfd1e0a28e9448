import { describe, expect, it } from 'vitest'
import { percentile, SampleBuffer, summarize } from './stats.js'

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1)
    expect(percentile(sorted, 50)).toBe(50)
    expect(percentile(sorted, 99)).toBe(99)
    expect(percentile(sorted, 99.9)).toBe(100)
    expect(percentile(new Float64Array(0), 99)).toBe(0)
  })

  it('summarizes unsorted samples', () => {
    const summary = summarize([5, 1, 3, 2, 4])
    expect(summary).toMatchObject({ count: 5, mean: 3, p50: 3, max: 5 })
  })

  it('grows a sample buffer past its first allocation', () => {
    const buffer = new SampleBuffer()
    for (let value = 0; value < 5000; value++) buffer.push(value)
    expect(buffer.length).toBe(5000)
    expect(buffer.values()[4999]).toBe(4999)
  })
})
