import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signatureHeader, standardWebhookHeaders } from './signature.js'

describe('Standard Webhooks signatures', () => {
  it('matches the specification test vector', () => {
    const signature = signatureHeader(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    )
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('signs with every secret, current first, each verifiable on its own', () => {
    const current = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
    const previous = `whsec_${Buffer.alloc(32, 2).toString('base64')}`
    const body = Buffer.from('{"uplink_message":{"f_cnt":1}}')
    const secrets = [current, previous]
    const headers = standardWebhookHeaders('01J0000000000000000000000', body, secrets, Date.now())

    expect(headers['webhook-id']).toBe('msg_01J0000000000000000000000')
    const entries = headers['webhook-signature']!.split(' ')
    expect(entries).toHaveLength(2)
    const timestamp = Number(headers['webhook-timestamp'])
    expect(entries[0]).toBe(signatureHeader(headers['webhook-id']!, timestamp, body, [current]))
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual({ uplink_message: { f_cnt: 1 } })
    }
  })

  it('sends the id and timestamp but no signature without secrets', () => {
    const headers = standardWebhookHeaders('01J0000000000000000000000', '{}', [], 1_700_000_000_999)
    expect(headers).toEqual({
      'webhook-id': 'msg_01J0000000000000000000000',
      'webhook-timestamp': '1700000000',
    })
  })
})
