import { describe, expect, it } from 'vitest'
import { deliveredUplinkBody, devEui, ingestUplink, sentAtOf } from './payload.js'

describe('bench payloads', () => {
  it('builds a delivered body of about 430 bytes that parses and carries its timestamp', () => {
    const body = deliveredUplinkBody(7, 42, 1_234_567_890_123)
    expect(body.length).toBeGreaterThan(400)
    expect(body.length).toBeLessThan(460)
    const parsed = JSON.parse(body)
    expect(parsed.end_device_ids).toMatchObject({ device_id: 'dev7', dev_eui: devEui(7) })
    expect(parsed.uplink_message.f_cnt).toBe(42)
    expect(sentAtOf(body)).toBe(1_234_567_890_123)
  })

  it('reads the timestamp back from the ingest form too', () => {
    const message = ingestUplink(1, 1, 987_654_321)
    expect(sentAtOf(JSON.stringify(message))).toBe(987_654_321)
    expect(sentAtOf('{}')).toBeUndefined()
  })
})
