import { describe, expect, it } from 'vitest'
import { applyFieldMask } from './field-mask.js'
import { parseJsonLossless } from './json-lossless.js'
import { stringifyUp } from './stringify-up.js'

const UPLINK = {
  end_device_ids: { device_id: 'dev1', application_ids: { application_id: 'app1' } },
  correlation_ids: ['as:up:1'],
  received_at: '2020-02-12T15:15:46.014773143Z',
  uplink_message: {
    f_port: 1,
    frm_payload: 'gkHe',
    decoded_payload: { temperature: 1, luminosity: 0.64 },
    rx_metadata: [
      { gateway_ids: { gateway_id: 'gtw1' }, rssi: -35, snr: 5.2 },
      { gateway_ids: { gateway_id: 'gtw2' }, rssi: -80, snr: -3 },
    ],
  },
  simulated: true,
}

describe('applyFieldMask', () => {
  it('keeps an integer beyond 2^53 under a masked payload path a number', () => {
    const stored = '{"uplink_message":{"decoded_payload":{"n":9007199254740993,"x":1}}}'
    const up = parseJsonLossless(stored) as Parameters<typeof applyFieldMask>[0]
    const masked = applyFieldMask(up, ['up.uplink_message.decoded_payload.n'])
    expect(stringifyUp(masked)).toBe('{"uplink_message":{"decoded_payload":{"n":9007199254740993}}}')
  })

  it('returns the message unchanged without paths', () => {
    expect(applyFieldMask(UPLINK, [])).toBe(UPLINK)
  })

  it('keeps top-level paths and the paths of the message type, in canonical order', () => {
    const masked = applyFieldMask(UPLINK, [
      'up.uplink_message.decoded_payload',
      'end_device_ids.device_id',
      'received_at',
    ])
    expect(JSON.stringify(masked)).toBe(
      JSON.stringify({
        end_device_ids: { device_id: 'dev1' },
        received_at: UPLINK.received_at,
        uplink_message: { decoded_payload: UPLINK.uplink_message.decoded_payload },
      }),
    )
  })

  it('sends an almost empty body when the mask covers another message type only', () => {
    const masked = applyFieldMask(UPLINK, ['correlation_ids', 'up.join_accept.received_at'])
    expect(masked).toEqual({ correlation_ids: ['as:up:1'] })
  })

  it('keeps the whole message for the plain `up` path', () => {
    expect(applyFieldMask(UPLINK, ['up'])).toEqual({ uplink_message: UPLINK.uplink_message })
  })

  it('ignores a bare message type name, which is not an ApplicationUp path', () => {
    expect(applyFieldMask(UPLINK, ['uplink_message', 'simulated'])).toEqual({ simulated: true })
  })

  it('applies a sub-path of a list to each item', () => {
    const masked = applyFieldMask(UPLINK, ['up.uplink_message.rx_metadata.rssi'])
    expect(masked).toEqual({ uplink_message: { rx_metadata: [{ rssi: -35 }, { rssi: -80 }] } })
  })

  it('uses the message type of each message with the same paths', () => {
    const paths = ['up.uplink_message.f_port', 'up.join_accept.session_key_id']
    const join = { join_accept: { session_key_id: 'AQ==', received_at: UPLINK.received_at } }

    expect(applyFieldMask(UPLINK, paths)).toEqual({ uplink_message: { f_port: 1 } })
    expect(applyFieldMask(join, paths)).toEqual({ join_accept: { session_key_id: 'AQ==' } })
  })

  it('lets a shorter path win over a longer one', () => {
    const masked = applyFieldMask(UPLINK, ['end_device_ids.device_id', 'end_device_ids'])
    expect(masked).toEqual({ end_device_ids: UPLINK.end_device_ids })
  })
})
