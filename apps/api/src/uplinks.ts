import {
  messageTypesOf,
  newUlid,
  type FieldViolation,
} from '@lorahooks/core'
import type { DeviceRow, NewMessage } from '@lorahooks/db'
import { normalizeApplicationUp, stringifyUp } from '@lorahooks/formatters'
import { deviceIds } from './views.js'

export interface PrepareOptions {
  /** received_at when the message has none. */
  receivedAt: string
  /** Simulated uplinks are always marked, so a webhook receiver can tell them from real ones. */
  simulated: boolean
}

export type Prepared =
  | { message: NewMessage; violations?: undefined }
  | { violations: FieldViolation[] }

// The envelope keys lorahooks sets itself, in both spellings protojson accepts.
const ENVELOPE_KEYS = [
  ['end_device_ids', 'endDeviceIds'],
  ['correlation_ids', 'correlationIds'],
  ['received_at', 'receivedAt'],
] as const

function envelopeValue(input: Record<string, unknown>, [snake, camel]: readonly [string, string]) {
  return input[snake] ?? input[camel]
}

const ENVELOPE_KEY_SET = new Set<string>(ENVELOPE_KEYS.flat())

/**
 * Copies the keys of `input` other than the envelope's onto `target`, in their order. Copying
 * key by key instead of spreading and deleting keeps both objects fast for the normalizer.
 */
function copyWithoutEnvelope(input: Record<string, unknown>, target: Record<string, unknown>) {
  for (const key of Object.keys(input)) {
    if (ENVELOPE_KEY_SET.has(key)) continue
    // A parsed body may carry an own "__proto__" key: define it as data, as a spread does.
    if (key === '__proto__') {
      Object.defineProperty(target, key, {
        value: input[key],
        enumerable: true,
        writable: true,
        configurable: true,
      })
    } else {
      target[key] = input[key]
    }
  }
}

/**
 * Turns one incoming ApplicationUp into a message to store: the device identifiers come from the
 * registry, correlation IDs get `as:up:<ULID>` (the ULID is also the message ID), received_at
 * defaults to now, and the result is normalized to canonical TTS JSON.
 */
export function prepareUplink(
  input: Record<string, unknown>,
  device: DeviceRow,
  options: PrepareOptions,
): Prepared {
  const correlationIds = envelopeValue(input, ENVELOPE_KEYS[1]) ?? []
  if (!Array.isArray(correlationIds)) {
    return { violations: [{ field: 'correlation_ids', message: 'must be a list of strings' }] }
  }

  const messageId = newUlid()
  const candidate: Record<string, unknown> = {
    end_device_ids: deviceIds(device),
    correlation_ids: [...correlationIds, `as:up:${messageId}`],
    received_at: envelopeValue(input, ENVELOPE_KEYS[2]) ?? options.receivedAt,
  }
  copyWithoutEnvelope(input, candidate)
  if (options.simulated) candidate['simulated'] = true

  const { up, violations } = normalizeApplicationUp(candidate)
  if (violations.length > 0) return { violations }

  const types = messageTypesOf(up)
  const messageType = types[0]
  if (messageType === undefined || types.length > 1) {
    const found = types.length === 0 ? 'none' : types.join(', ')
    const message = `needs exactly one message type (found ${found})`
    return { violations: [{ field: 'up', message }] }
  }

  const message: NewMessage = {
    messageId,
    applicationId: device.applicationId,
    deviceId: device.deviceId,
    messageType,
    body: stringifyUp(up),
  }
  if (device.devEui) message.devEui = device.devEui
  if (device.joinEui) message.joinEui = device.joinEui
  if (device.devAddr) message.devAddr = device.devAddr
  return { message }
}

/** The device ID and application ID an incoming message names, in either spelling. */
export function namedIds(input: Record<string, unknown>): {
  deviceId?: unknown
  applicationId?: unknown
} {
  const ids = asRecord(envelopeValue(input, ENVELOPE_KEYS[0]))
  const appIds = asRecord(ids['application_ids'] ?? ids['applicationIds'])
  return {
    deviceId: ids['device_id'] ?? ids['deviceId'],
    applicationId: appIds['application_id'] ?? appIds['applicationId'],
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}
