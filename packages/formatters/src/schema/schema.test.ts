import { MESSAGE_TYPES } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { lowerCamelName } from './naming.js'
import { schemaMessage } from './schema.js'

describe('the TTS schema', () => {
  it('has the message types of core as the `up` oneof, in the same order', () => {
    const up = schemaMessage('ApplicationUp').fields.filter((field) => field.oneof === 'up')
    expect(up.map((field) => field.name)).toEqual([...MESSAGE_TYPES])
  })

  it('resolves nested and recursive message types', () => {
    const cause = schemaMessage('ErrorDetails').byKey.get('cause')
    expect(cause?.messageType).toBe(schemaMessage('ErrorDetails'))
    expect(schemaMessage('RxMetadata').byKey.get('gpsTime')?.name).toBe('gps_time')
  })

  it('derives protojson names', () => {
    expect(lowerCamelName('last_a_f_cnt_down')).toBe('lastAFCntDown')
    expect(lowerCamelName('class_b_c')).toBe('classBC')
    expect(lowerCamelName('end_device_ids')).toBe('endDeviceIds')
  })
})
