import { describe, expect, it } from 'vitest'
import { unknownUpMaskPaths } from './up-mask-paths.js'

describe('unknownUpMaskPaths', () => {
  it('takes ApplicationUp paths, the up oneof and keys below maps and decoded_payload', () => {
    const paths = [
      'up',
      'end_device_ids',
      'end_device_ids.dev_eui',
      'correlation_ids',
      'up.uplink_message',
      'up.uplink_message.decoded_payload.temperature.celsius',
      'up.uplink_message.rx_metadata.rssi',
      'up.join_accept.session_key_id',
    ]
    expect(unknownUpMaskPaths(paths)).toEqual([])
  })

  it('names typos, empty segments and what the up oneof does not hold', () => {
    const paths = ['zzz', '', 'up.', 'up.zzz', 'up.end_device_ids', 'up.uplink_message.f_prot']
    paths.push('uplink_message.f_port') // a type only as up.<type>, as applyFieldMask reads it
    expect(unknownUpMaskPaths(paths)).toEqual(paths)
  })
})
