import { readFileSync } from 'node:fs'
import { MESSAGE_TYPES } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { parseJsonLossless } from '../json-lossless.js'
import { stringifyUp } from '../stringify-up.js'
import { normalizeApplicationUp } from './normalize-application-up.js'

const FIXTURES = new URL('../../../../fixtures/tts-messages/', import.meta.url)

function fixtureText(type: string): string {
  return readFileSync(new URL(`${type}.json`, FIXTURES), 'utf8')
}

function normalizeText(text: string) {
  return normalizeApplicationUp(parseJsonLossless(text))
}

const DEVICE = {
  device_id: 'dev1',
  application_ids: { application_id: 'app1' },
  dev_eui: '70B3D57ED0000001',
}

describe('normalizeApplicationUp on the TTS example messages', () => {
  it.each(MESSAGE_TYPES)('gives back %s unchanged, keys in the same order', (type) => {
    const text = fixtureText(type)
    const { up, violations } = normalizeText(text)

    expect(violations).toEqual([])
    expect(up).toEqual(JSON.parse(text))
    expect(stringifyUp(up)).toBe(JSON.stringify(JSON.parse(text)))
  })
})

describe('W17: proto3 JSON mapping of 64-bit and 32-bit fields', () => {
  const text = `{
    "end_device_ids": {"device_id": "dev1", "application_ids": {"application_id": "app1"},
      "dev_eui": "70b3d57ed0000001"},
    "received_at": "2024-05-01T12:00:00.123456789+02:00",
    "uplink_message": {
      "f_port": 2, "f_cnt": 70000, "frm_payload": "AQID",
      "rx_metadata": [{"gateway_ids": {"gateway_id": "gtw1"}, "timestamp": 4036323499,
        "fine_timestamp": 9007199254740993}],
      "settings": {"frequency": 867700000},
      "consumed_airtime": "0.061696s"
    }
  }`

  it('writes 64-bit values as exact strings and 32-bit values as numbers', () => {
    const { up, violations } = normalizeText(text)
    const body = stringifyUp(up)

    expect(violations).toEqual([])
    expect(body).toContain('"frequency":"867700000"')
    expect(body).toContain('"fine_timestamp":"9007199254740993"')
    expect(body).toContain('"f_cnt":70000')
    expect(body).toContain('"timestamp":4036323499')
    expect(body).toContain('"frm_payload":"AQID"')
    expect(body).toContain('"dev_eui":"70B3D57ED0000001"')
    expect(body).toContain('"consumed_airtime":"0.061696s"')
    expect(body).toContain('"received_at":"2024-05-01T10:00:00.123456789Z"')
  })

  it('keeps 64-bit values given as strings of digits', () => {
    const { up } = normalizeApplicationUp({
      end_device_ids: DEVICE,
      uplink_message: { settings: { frequency: '867700000', concentrator_timestamp: '-5' } },
    })
    expect(up.uplink_message).toEqual({
      settings: { frequency: '867700000', concentrator_timestamp: '-5' },
    })
  })
})

describe('W19: Struct content is delivered faithfully', () => {
  const decoded =
    '{"sensor":{"temp":19.9,"hum":38,"flags":[true,false]},"label":"Zürich ✓",' +
    '"empty":{},"list":[],"n":null,"big":12345678901234}'

  it('passes decoded_payload through verbatim, empty values and null included', () => {
    const text = `{"end_device_ids":{"device_id":"dev1"},
      "uplink_message":{"f_port":1,"frm_payload":"AQ==","decoded_payload":${decoded}}}`
    const { up, violations } = normalizeText(text)
    const uplink = up.uplink_message as Record<string, unknown>

    expect(violations).toEqual([])
    expect(uplink.decoded_payload).toEqual(JSON.parse(decoded))
    expect(stringifyUp(up)).toContain(`"decoded_payload":${decoded}`)
  })

  it('writes integers beyond 2^53 in a decoded payload back as the numbers they were', () => {
    const payload =
      '{"n":9007199254740993,"list":[-12345678901234567890,1],"s":"9007199254740993",' +
      '"deep":{"u":18446744073709551615}}'
    const text = `{"end_device_ids":{"device_id":"dev1"},
      "uplink_message":{"f_port":1,"frm_payload":"AQ==","decoded_payload":${payload},
      "rx_metadata":[{"gateway_ids":{"gateway_id":"g"},"fine_timestamp":9007199254740993}]}}`
    const { up, violations } = normalizeText(text)
    const body = stringifyUp(up)

    expect(violations).toEqual([])
    expect(body).toContain(`"decoded_payload":${payload}`)
    // An int64 field of the schema is still written as TTS JSON writes it: a string.
    expect(body).toContain('"fine_timestamp":"9007199254740993"')
    // Parsing the output again gives the same payload, digit for digit.
    expect(stringifyUp(normalizeText(body).up)).toBe(body)
  })

  it('copies Struct content instead of sharing it with the input', () => {
    const payload = { nested: { value: 1 } }
    const { up } = normalizeApplicationUp({ service_data: { data: payload } })
    payload.nested.value = 2

    expect(up.service_data).toEqual({ data: { nested: { value: 1 } } })
  })
})

describe('normalizeApplicationUp canonical form', () => {
  it('accepts lowerCamelCase, enums by number and base64url, and writes TTS JSON', () => {
    const { up, violations } = normalizeApplicationUp({
      endDeviceIds: {
        deviceId: 'dev1',
        applicationIds: { applicationId: 'app1' },
        devAddr: '00bcb929',
      },
      correlationIds: ['as:up:1'],
      uplinkMessage: {
        networkIds: { netId: '000013' },
        consumedAirtime: '0.056576s',
        settings: {
          frequency: 868300000,
          dataRate: { lora: { spreadingFactor: 7, bandwidth: 125000, codingRate: '4/5' } },
        },
        rxMetadata: [
          {
            channelRssi: -35,
            gatewayIds: { gatewayId: 'gtw1', eui: '9c5c8e00001a05c4' },
            location: { source: 3, latitude: 1.5 },
            downlinkPathConstraint: 2,
          },
        ],
        decodedPayload: { someValue: 1 },
        frmPayload: '-_8',
        fPort: 1,
      },
    })

    expect(violations).toEqual([])
    expect(stringifyUp(up)).toBe(
      JSON.stringify({
        end_device_ids: {
          device_id: 'dev1',
          application_ids: { application_id: 'app1' },
          dev_addr: '00BCB929',
        },
        correlation_ids: ['as:up:1'],
        uplink_message: {
          f_port: 1,
          frm_payload: '+/8=',
          decoded_payload: { someValue: 1 },
          rx_metadata: [
            {
              gateway_ids: { gateway_id: 'gtw1', eui: '9C5C8E00001A05C4' },
              channel_rssi: -35,
              location: { latitude: 1.5, source: 'SOURCE_REGISTRY' },
              downlink_path_constraint: 'DOWNLINK_PATH_CONSTRAINT_NEVER',
            },
          ],
          settings: {
            data_rate: { lora: { bandwidth: 125000, spreading_factor: 7, coding_rate: '4/5' } },
            frequency: '868300000',
          },
          consumed_airtime: '0.056576s',
          network_ids: { net_id: '000013' },
        },
      }),
    )
  })

  it('leaves out zero values but keeps present messages, wrappers and Structs', () => {
    const { up, violations } = normalizeApplicationUp({
      end_device_ids: DEVICE,
      correlation_ids: [],
      simulated: false,
      downlink_queued: {
        session_key_id: '',
        f_port: 0,
        frm_payload: '',
        decoded_payload: {},
        confirmed: false,
        class_b_c: null,
        priority: 'LOWEST',
        confirmed_retry: { attempt: 0, max_attempts: 0 },
        locations: {},
      },
    })

    expect(violations).toEqual([])
    expect(up).toEqual({
      end_device_ids: DEVICE,
      downlink_queued: { decoded_payload: {}, confirmed_retry: { max_attempts: 0 } },
    })
  })

  it('keeps unknown fields after the known ones', () => {
    const { up, violations } = normalizeApplicationUp({
      future_top: 'x',
      uplink_message: { future_field: { a: [1] }, f_port: 3 },
      end_device_ids: DEVICE,
    })

    expect(violations).toEqual([])
    expect(JSON.stringify(up)).toBe(
      JSON.stringify({
        end_device_ids: DEVICE,
        uplink_message: { f_port: 3, future_field: { a: [1] } },
        future_top: 'x',
      }),
    )
  })

  it('keeps a key named __proto__ as data', () => {
    const input = JSON.parse('{"service_data":{"data":{"__proto__":{"polluted":true}}}}')
    const { up } = normalizeApplicationUp(input)
    const data = (up.service_data as { data: object }).data

    expect(Object.keys(data)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype)
  })
})

describe('normalizeApplicationUp violations', () => {
  it('reports bad values with their field paths and never throws', () => {
    const { violations } = normalizeApplicationUp({
      end_device_ids: { device_id: 'dev1', dev_eui: '70B3D57ED00000' },
      correlation_ids: ['ok', null, 3],
      received_at: 'yesterday',
      uplink_message: {
        f_port: 'one',
        frm_payload: 'not base64!',
        decoded_payload: [1, 2],
        rx_metadata: [{ timestamp: -1, fine_timestamp: 1.5 }],
        settings: { frequency: 2 ** 60, data_rate: { lora: {}, fsk: {} } },
        locations: { user: { source: 'SOURCE_MOON' } },
        confirmed: 'yes',
        version_ids: 'v1',
      },
    })

    expect(violations.map((v) => v.field)).toEqual([
      'end_device_ids.dev_eui',
      'correlation_ids[1]',
      'correlation_ids[2]',
      'received_at',
      'uplink_message.f_port',
      'uplink_message.frm_payload',
      'uplink_message.decoded_payload',
      'uplink_message.rx_metadata[0].timestamp',
      'uplink_message.rx_metadata[0].fine_timestamp',
      'uplink_message.settings.frequency',
      'uplink_message.settings.data_rate.modulation',
      'uplink_message.locations.user.source',
      'uplink_message.confirmed',
      'uplink_message.version_ids',
    ])
    expect(violations.every((v) => v.message.length > 0)).toBe(true)
  })

  it('requires exactly one message type', () => {
    expect(normalizeApplicationUp({ end_device_ids: DEVICE }).violations).toEqual([
      { field: 'up', message: expect.stringContaining('one message type is required') },
    ])
    expect(
      normalizeApplicationUp({ uplink_message: {}, joinAccept: {} }).violations,
    ).toEqual([{ field: 'up', message: 'only one of uplink_message, join_accept may be set' }])
  })

  it('does not ask for a message type when the given one is invalid', () => {
    expect(normalizeApplicationUp({ uplink_message: 'x' }).violations).toEqual([
      { field: 'uplink_message', message: 'must be an object' },
    ])
  })

  it('reports a field given in both spellings', () => {
    const { violations } = normalizeApplicationUp({ uplink_message: { f_port: 1, fPort: 2 } })
    expect(violations.map((v) => v.field)).toEqual(['uplink_message.f_port'])
  })

  it('reports a body that is not an object', () => {
    expect(normalizeApplicationUp([1]).violations).toEqual([
      { field: 'body', message: 'must be a JSON object' },
    ])
  })
})
