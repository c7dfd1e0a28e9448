import { describe, expect, it } from 'vitest'
import { applyWebhookFields, checkHeaders, forbiddenWebhookPaths } from './webhook.js'

describe('webhook header rules', () => {
  it('accepts a JWT-sized Authorization value up to 4096 characters', () => {
    expect(checkHeaders({ Authorization: `Bearer ${'a'.repeat(4089)}` })).toEqual([])
  })

  it('names the header and the maximum when a value is too long', () => {
    const [violation] = checkHeaders({ Authorization: 'a'.repeat(4097) })
    expect(violation?.field).toBe('headers[Authorization]')
    expect(violation?.message).toContain('4096')
  })

  it('refuses values no HTTP client would send: empty, line breaks, non-ASCII', () => {
    const fields = (headers: Record<string, string>) => checkHeaders(headers).map((v) => v.field)
    expect(fields({ Authorization: '' })).toEqual(['headers[Authorization]'])
    expect(fields({ 'X-A': 'a\r\nInjected: 1' })).toEqual(['headers[X-A]'])
    expect(fields({ 'X-Name': 'Zürich ✓' })).toEqual(['headers[X-Name]'])
    expect(fields({ 'X-Tab': 'a\tb' })).toEqual([])
  })

  it('refuses headers the format or lorahooks sets, and case-insensitive duplicates', () => {
    const [contentType] = checkHeaders({ 'content-type': 'text/plain' })
    expect(contentType?.message).toContain('set by the format')
    expect(checkHeaders({ 'X-Downlink-Apikey': 'k' })).toHaveLength(1)
    expect(checkHeaders({ 'X-A': '1', 'x-a': '2' })).toHaveLength(1)
  })
})

describe('webhook field masks', () => {
  it('allows TTS paths and refuses map keys and unknown paths', () => {
    expect(forbiddenWebhookPaths(['headers', 'uplink_message.path', 'health_status'])).toEqual([])
    expect(forbiddenWebhookPaths(['headers.X-A', 'nope'])).toEqual(['headers.X-A', 'nope'])
  })

  it('copies masked fields and clears a masked field that is absent', () => {
    const stored = {
      base_url: 'http://127.0.0.1:9001/h',
      headers: { 'X-A': '1' },
      format: 'json',
      uplink_message: { path: '/up' },
      join_accept: { path: '/join' },
    }
    const next = applyWebhookFields(stored, { headers: { 'X-C': '3' } }, ['headers', 'uplink_message'])
    expect(next.headers).toEqual({ 'X-C': '3' })
    expect(next.uplink_message).toBeUndefined()
    expect(next.join_accept).toEqual({ path: '/join' })
    expect(stored.headers).toEqual({ 'X-A': '1' })
  })
})
