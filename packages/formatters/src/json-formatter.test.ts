import { readFileSync } from 'node:fs'
import { LorahooksError } from '@lorahooks/core'
import { describe, expect, it } from 'vitest'
import { jsonFormatter } from './json-formatter.js'
import { stringifyUp } from './stringify-up.js'

const FIXTURES = new URL('../../../fixtures/tts-messages/', import.meta.url)

function fixtureBytes(name: string): Uint8Array {
  return readFileSync(new URL(`${name}.json`, FIXTURES))
}

function body(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))
}

function decodeError(bytes: Uint8Array): LorahooksError {
  try {
    jsonFormatter.decodeDownlinks(bytes)
  } catch (error) {
    if (error instanceof LorahooksError) return error
    throw error
  }
  throw new Error('expected a LorahooksError')
}

describe('jsonFormatter.encodeUp', () => {
  it('sends the UTF-8 bytes of the TTS JSON text', () => {
    const up = {
      end_device_ids: { device_id: 'dev1' },
      uplink_message: { decoded_payload: { label: 'Zürich ✓' } },
    }
    const bytes = jsonFormatter.encodeUp(up)

    expect(jsonFormatter.contentType).toBe('application/json')
    expect(new TextDecoder().decode(bytes)).toBe(stringifyUp(up))
    expect(bytes.length).toBeGreaterThan(stringifyUp(up).length)
  })
})

describe('jsonFormatter.decodeDownlinks', () => {
  it.each([
    'downlink_push_request',
    'downlink_push_request_decoded',
    'downlink_replace_clear_request',
  ])('reads %s as it is', (name) => {
    const bytes = fixtureBytes(name)
    expect(jsonFormatter.decodeDownlinks(bytes)).toEqual(
      JSON.parse(new TextDecoder().decode(bytes)),
    )
  })

  it('turns lowerCamelCase keys into snake_case, but not inside decoded_payload', () => {
    const decoded = jsonFormatter.decodeDownlinks(
      body({
        downlinks: [
          {
            fPort: 15,
            decodedPayload: { ledState: 'on' },
            classBC: { gateways: [{ gatewayIds: { gatewayId: 'gtw1' }, antennaIndex: 1 }] },
            confirmedRetry: { maxAttempts: 3 },
            correlationIds: ['custom-id'],
          },
        ],
      }),
    )
    expect(decoded).toEqual({
      downlinks: [
        {
          f_port: 15,
          decoded_payload: { ledState: 'on' },
          class_b_c: { gateways: [{ gateway_ids: { gateway_id: 'gtw1' }, antenna_index: 1 }] },
          confirmed_retry: { max_attempts: 3 },
          correlation_ids: ['custom-id'],
        },
      ],
    })
  })

  it('drops unknown fields and leaves values unvalidated', () => {
    const decoded = jsonFormatter.decodeDownlinks(
      body('{"downlinks":[{"f_port":"abc","whatever":1,"f_cnt":18446744073709551615}],"x":1}'),
    )
    expect(decoded).toEqual({ downlinks: [{ f_port: 'abc', f_cnt: '18446744073709551615' }] })
  })

  it('reads a missing or null list as empty', () => {
    expect(jsonFormatter.decodeDownlinks(body({}))).toEqual({ downlinks: [] })
    expect(jsonFormatter.decodeDownlinks(body({ downlinks: null }))).toEqual({ downlinks: [] })
  })

  it('rejects bodies that are not JSON with decode_body', () => {
    const binary = decodeError(new Uint8Array([0x0a, 0x03, 0xff, 0xfe]))
    const broken = decodeError(body('{"downlinks":['))

    for (const error of [binary, broken]) {
      expect(error.errorName).toBe('decode_body')
      expect(error.message).toBe('the body is not valid JSON for a json webhook')
      expect(error.httpStatus).toBe(400)
    }
    expect(binary.attributes).toEqual({ detail: 'the body is not UTF-8 text' })
  })

  it('rejects JSON of the wrong shape with decode_body', () => {
    for (const value of [[], 'text', { downlinks: {} }, { downlinks: [1] }]) {
      expect(decodeError(body(value)).errorName, JSON.stringify(value)).toBe('decode_body')
    }
    const twice = decodeError(body({ downlinks: [{ f_port: 1, fPort: 2 }] }))
    expect(twice.attributes).toEqual({ field: 'downlinks[0].f_port' })
  })
})
