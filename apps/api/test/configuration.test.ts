import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from './helpers.js'

let h: Harness
afterEach(() => h.close())

async function configuration(env: Record<string, string>) {
  h = await createHarness(env)
  const res = await h.json('GET', '/api/v3/as/configuration')
  expect(res.status).toBe(200)
  return res.body
}

describe('GET /api/v3/as/configuration', () => {
  it('reports the defaults the worker uses', async () => {
    expect(await configuration({})).toEqual({
      configuration: {
        webhooks: { unhealthy_attempts_threshold: 5, unhealthy_retry_interval: '60s' },
      },
    })
  })

  it.each([
    [{ LORAHOOKS_UNHEALTHY_THRESHOLD: '3', LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: '90s' }, 3, '90s'],
    [{ LORAHOOKS_UNHEALTHY_THRESHOLD: '0', LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: '1h' }, 0, '3600s'],
    [{ LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: '1500ms' }, 5, '1.500s'],
  ])('reads %j', async (env, threshold, interval) => {
    expect((await configuration(env)).configuration.webhooks).toEqual({
      unhealthy_attempts_threshold: threshold,
      unhealthy_retry_interval: interval,
    })
  })
})
