import { describe, expect, it } from 'vitest'
import { Counter, exposition, gauge, Histogram } from '../src/metrics/registry.js'

describe('metrics registry', () => {
  it('writes counters, cumulative histogram buckets and gauges with escaped labels', () => {
    const counter = new Counter('c_total', 'A counter.', ['path'])
    counter.inc({ path: 'a"b\\c\nd' }, 2)
    const histogram = new Histogram('h_seconds', 'A histogram.', [0.1, 1])
    histogram.observe({}, 0.05)
    histogram.observe({}, 0.5)
    histogram.observe({}, 5)

    expect(exposition([counter, histogram, gauge('g', 'A gauge.', [[{}, 1.5]])])).toBe(
      [
        '# HELP c_total A counter.',
        '# TYPE c_total counter',
        'c_total{path="a\\"b\\\\c\\nd"} 2',
        '# HELP h_seconds A histogram.',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{le="0.1"} 1',
        'h_seconds_bucket{le="1"} 2',
        'h_seconds_bucket{le="+Inf"} 3',
        'h_seconds_sum 5.55',
        'h_seconds_count 3',
        '# HELP g A gauge.',
        '# TYPE g gauge',
        'g 1.5',
        '',
      ].join('\n'),
    )
  })
})
