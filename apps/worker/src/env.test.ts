import { describe, expect, it } from 'vitest'
import { loadWorkerConfig } from './env.js'

describe('worker configuration', () => {
  it('has documented defaults', () => {
    const result = loadWorkerConfig({})
    if (!result.ok) throw new Error(result.message)
    expect(result.config).toMatchObject({
      requestTimeoutMs: 5_000,
      leaseMs: 60_000,
      retryScheduleMs: [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000],
      retryMaxAgeMs: 86_400_000,
      unhealthyThreshold: 5,
      unhealthyRetryIntervalMs: 60_000,
      deliveryAllow: [],
      retentionAgeMs: 7 * 86_400_000,
      retentionMaxDeliveries: 1_000_000,
      metricsHost: '127.0.0.1',
      metricsPort: 1887,
    })
    expect(result.config.deliveryDeny).toHaveLength(7)
  })

  it('reads schedules, durations and CIDR lists', () => {
    const result = loadWorkerConfig({
      LORAHOOKS_RETRY_SCHEDULE: '500ms, 2s,1m',
      LORAHOOKS_RETRY_MAX_AGE: '2d',
      LORAHOOKS_DELIVERY_ALLOW: '10.0.0.0/8,fd00::/8',
      LORAHOOKS_DELIVERY_DENY: '',
      LORAHOOKS_WORKER_METRICS_PORT: '0',
      LORAHOOKS_UNHEALTHY_THRESHOLD: '0',
    })
    if (!result.ok) throw new Error(result.message)
    expect(result.config.retryScheduleMs).toEqual([500, 2_000, 60_000])
    expect(result.config.retryMaxAgeMs).toBe(2 * 86_400_000)
    expect(result.config.deliveryAllow).toHaveLength(2)
    expect(result.config.deliveryDeny).toEqual([])
    expect(result.config.metricsPort).toBe(0)
    expect(result.config.unhealthyThreshold).toBe(0)
  })

  it.each([
    ['LORAHOOKS_RETRY_SCHEDULE', '1s,,5s', /^LORAHOOKS_RETRY_SCHEDULE must be a comma-separated/],
    ['LORAHOOKS_RETRY_SCHEDULE', '1s,0s', /^LORAHOOKS_RETRY_SCHEDULE/],
    ['LORAHOOKS_REQUEST_TIMEOUT', '5 seconds', /^LORAHOOKS_REQUEST_TIMEOUT must be a duration/],
    ['LORAHOOKS_DELIVERY_DENY', '10.0.0.0/8,bogus', /^LORAHOOKS_DELIVERY_DENY is invalid: `bogus`/],
    ['LORAHOOKS_WORKER_METRICS_PORT', '70000', /^LORAHOOKS_WORKER_METRICS_PORT/],
    ['LORAHOOKS_UNHEALTHY_THRESHOLD', '-1', /^LORAHOOKS_UNHEALTHY_THRESHOLD/],
  ])('names %s when it is %j', (name, value, message) => {
    const result = loadWorkerConfig({ [name]: value })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(message)
  })
})
