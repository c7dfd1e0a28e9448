import { generateApiKey } from '@lorahooks/auth'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/env.js'

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig({})
    expect(result).toEqual({
      ok: true,
      config: {
        httpPort: 1885,
        httpHost: '127.0.0.1',
        database: './data/lorahooks.db',
        publicUrl: 'http://localhost:1885',
        logLevel: 'info',
        webhooks: { unhealthyAttemptsThreshold: 5, unhealthyRetryInterval: '60s' },
      },
    })
  })

  it('reads every variable', () => {
    const key = generateApiKey().key
    const result = loadConfig({
      LORAHOOKS_HTTP_PORT: '8080',
      LORAHOOKS_HTTP_HOST: '0.0.0.0',
      LORAHOOKS_DATABASE: '/var/lib/lorahooks/db.sqlite',
      LORAHOOKS_ADMIN_API_KEY: key,
      LORAHOOKS_PUBLIC_URL: 'https://lns.example.com/',
      LORAHOOKS_LOG_LEVEL: 'debug',
      LORAHOOKS_UNHEALTHY_THRESHOLD: '7',
      LORAHOOKS_UNHEALTHY_RETRY_INTERVAL: '5m',
      LORAHOOKS_METRICS_TOKEN: 'scrape-token',
    })
    expect(result.ok && result.config).toMatchObject({
      httpPort: 8080,
      httpHost: '0.0.0.0',
      database: '/var/lib/lorahooks/db.sqlite',
      adminApiKey: key,
      publicUrl: 'https://lns.example.com',
      logLevel: 'debug',
      webhooks: { unhealthyAttemptsThreshold: 7, unhealthyRetryInterval: '300s' },
      metricsToken: 'scrape-token',
    })
  })

  it('treats an empty metrics token as none', () => {
    const result = loadConfig({ LORAHOOKS_METRICS_TOKEN: '' })
    expect(result.ok && result.config.metricsToken).toBeUndefined()
  })

  it.each([
    ['LORAHOOKS_HTTP_PORT', 'abc', 'LORAHOOKS_HTTP_PORT must be a port number from 0 to 65535'],
    ['LORAHOOKS_HTTP_PORT', '70000', 'LORAHOOKS_HTTP_PORT must be a port number'],
    ['LORAHOOKS_PUBLIC_URL', 'lns.example.com', 'LORAHOOKS_PUBLIC_URL must be an absolute'],
    ['LORAHOOKS_PUBLIC_URL', 'ftp://lns.example.com', 'LORAHOOKS_PUBLIC_URL must be an absolute'],
    ['LORAHOOKS_PUBLIC_URL', 'https://lns.example.com/?a=1', 'LORAHOOKS_PUBLIC_URL must be'],
    ['LORAHOOKS_LOG_LEVEL', 'loud', 'LORAHOOKS_LOG_LEVEL must be one of'],
    ['LORAHOOKS_ADMIN_API_KEY', 'NNSXS.SHORT.X', 'LORAHOOKS_ADMIN_API_KEY must be a TTS API key'],
    ['LORAHOOKS_UNHEALTHY_THRESHOLD', '-1', 'LORAHOOKS_UNHEALTHY_THRESHOLD must be a whole'],
    ['LORAHOOKS_UNHEALTHY_THRESHOLD', 'five', 'LORAHOOKS_UNHEALTHY_THRESHOLD must be a whole'],
    ['LORAHOOKS_UNHEALTHY_RETRY_INTERVAL', '1 minute', 'LORAHOOKS_UNHEALTHY_RETRY_INTERVAL must'],
    ['LORAHOOKS_UNHEALTHY_RETRY_INTERVAL', '0s', 'LORAHOOKS_UNHEALTHY_RETRY_INTERVAL must'],
  ])('refuses %s=%s with one message naming the variable', (name, value, message) => {
    const result = loadConfig({ [name]: value })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.message.startsWith(message)).toBe(true)
      expect(result.message).not.toContain('\n')
    }
  })

  it('never repeats a bad admin key in the message', () => {
    const secretish = 'NNSXS.NOTAKEY.TOPSECRETVALUE'
    const result = loadConfig({ LORAHOOKS_ADMIN_API_KEY: secretish })
    expect(!result.ok && result.message).not.toContain('TOPSECRETVALUE')
  })
})
