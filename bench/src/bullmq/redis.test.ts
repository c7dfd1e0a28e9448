import { describe, expect, it } from 'vitest'
import { hasRedisServer, redisCommand, redisInfo, startRedis } from './redis.js'

describe.runIf(hasRedisServer())('a private redis-server for the baseline', () => {
  it('starts on a free loopback port without persistence and stops again', async () => {
    const redis = await startRedis()
    try {
      expect(redis.started).toBe(true)
      expect(await redisCommand(redis.port, 'PING')).toMatch(/^\+PONG/)
      expect(await redisCommand(redis.port, 'CONFIG GET save')).toContain('save')
      expect((await redisInfo(redis.port)).version).toMatch(/^\d+\./)
    } finally {
      await redis.stop()
    }
    expect(await redisCommand(redis.port, 'PING')).toBeUndefined()
  })
})
