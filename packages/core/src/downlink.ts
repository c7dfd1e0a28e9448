import type { FieldViolation } from './errors.js'

/** TTS `TxSchedulePriority` names, by enum number. */
export const DOWNLINK_PRIORITIES = [
  'LOWEST',
  'LOW',
  'BELOW_NORMAL',
  'NORMAL',
  'ABOVE_NORMAL',
  'HIGH',
  'HIGHEST',
] as const

export type DownlinkPriority = (typeof DOWNLINK_PRIORITIES)[number]

/** A validated downlink in TTS JSON (`ApplicationDownlink`), keys in proto order. */
export interface ApplicationDownlink {
  session_key_id?: string
  f_port: number
  f_cnt?: number
  frm_payload: string
  decoded_payload?: Record<string, unknown>
  confirmed?: boolean
  class_b_c?: Record<string, unknown>
  priority?: DownlinkPriority
  correlation_ids?: string[]
  confirmed_retry?: { attempt?: number; max_attempts?: number }
}

export const DOWNLINK_LIMITS = {
  minFPort: 1,
  /** 224 is the LoRaWAN MAC test port and 225–255 are reserved (LoRaWAN 1.0.4 §4.3.2). */
  maxFPort: 223,
  maxPayloadBytes: 255,
  maxCorrelationIdLength: 100,
  maxCorrelationIds: 16,
  maxConfirmedRetryAttempts: 100,
} as const

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Bytes of a standard base64 string (also accepts base64url and missing padding), or undefined. */
export function decodeBase64(value: string): Uint8Array | undefined {
  const standard = value.replace(/-/g, '+').replace(/_/g, '/')
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4)
  if (standard.length % 4 === 1 || !BASE64_PATTERN.test(padded)) return undefined
  return Buffer.from(padded, 'base64')
}

/** Reads either a JSON key or its lowerCamelCase spelling (protojson accepts both). */
function pick(item: Record<string, unknown>, key: string): unknown {
  if (key in item) return item[key]
  const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())
  return item[camel]
}

interface ItemResult {
  downlink?: ApplicationDownlink
  violations: FieldViolation[]
}

function checkFPort(field: string, value: unknown): FieldViolation | undefined {
  const { minFPort, maxFPort } = DOWNLINK_LIMITS
  const range = `the allowed range is ${minFPort}–${maxFPort}`
  if (value === undefined || value === null) {
    return { field, message: `is required; ${range}` }
  }
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof port !== 'number' || !Number.isInteger(port) || port < minFPort || port > maxFPort) {
    return { field, message: `${JSON.stringify(value)} is not allowed; ${range}` }
  }
  return undefined
}

function checkPayload(field: string, value: unknown): FieldViolation | undefined {
  if (typeof value !== 'string') return { field, message: 'must be a base64 string' }
  const bytes = decodeBase64(value)
  if (!bytes) return { field, message: 'is not valid base64' }
  if (bytes.length > DOWNLINK_LIMITS.maxPayloadBytes) {
    return { field, message: `is ${bytes.length} bytes; the maximum is 255` }
  }
  return undefined
}

function readPriority(field: string, value: unknown, out: FieldViolation[]) {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && DOWNLINK_PRIORITIES[value]) return DOWNLINK_PRIORITIES[value]
  if (typeof value === 'string' && (DOWNLINK_PRIORITIES as readonly string[]).includes(value)) {
    return value as DownlinkPriority
  }
  out.push({ field, message: `must be one of ${DOWNLINK_PRIORITIES.join(', ')}` })
  return undefined
}

function readCorrelationIds(field: string, value: unknown, out: FieldViolation[]) {
  if (value === undefined || value === null) return undefined
  const { maxCorrelationIdLength: maxLength, maxCorrelationIds: maxCount } = DOWNLINK_LIMITS
  if (!Array.isArray(value) || value.length > maxCount) {
    out.push({ field, message: `must be a list of at most ${maxCount} strings` })
    return undefined
  }
  value.forEach((id, index) => {
    if (typeof id !== 'string' || id.length === 0 || id.length > maxLength) {
      out.push({ field: `${field}[${index}]`, message: `must be 1–${maxLength} characters` })
    }
  })
  return value.length > 0 ? (value as string[]) : undefined
}

function readConfirmedRetry(field: string, value: unknown, out: FieldViolation[]) {
  if (value === undefined || value === null) return undefined
  const max = pick(value as Record<string, unknown>, 'max_attempts')
  if (max === undefined || max === null) return undefined
  const limit = DOWNLINK_LIMITS.maxConfirmedRetryAttempts
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > limit) {
    out.push({ field: `${field}.max_attempts`, message: `must be 1–${limit}` })
    return undefined
  }
  return { max_attempts: max }
}

function readObject(field: string, value: unknown, out: FieldViolation[]) {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  out.push({ field, message: 'must be an object' })
  return undefined
}

function checkItem(item: unknown, field: string): ItemResult {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { violations: [{ field, message: 'must be an object' }] }
  }
  const record = item as Record<string, unknown>
  const violations: FieldViolation[] = []
  const payload = pick(record, 'frm_payload')
  const decoded = readObject(`${field}.decoded_payload`, pick(record, 'decoded_payload'), violations)

  if (payload === undefined && decoded !== undefined) {
    violations.push({
      field: `${field}.frm_payload`,
      message:
        'is required: this application has no downlink encoder for decoded_payload, ' +
        'so send frm_payload (base64) and f_port',
    })
  } else {
    const payloadProblem = checkPayload(`${field}.frm_payload`, payload ?? null)
    if (payloadProblem) violations.push(payloadProblem)
  }
  const portProblem = checkFPort(`${field}.f_port`, pick(record, 'f_port'))
  if (portProblem) violations.push(portProblem)

  const confirmed = pick(record, 'confirmed')
  if (confirmed !== undefined && confirmed !== null && typeof confirmed !== 'boolean') {
    violations.push({ field: `${field}.confirmed`, message: 'must be true or false' })
  }
  const priority = readPriority(`${field}.priority`, pick(record, 'priority'), violations)
  const correlationIds = readCorrelationIds(
    `${field}.correlation_ids`,
    pick(record, 'correlation_ids'),
    violations,
  )
  const retry = readConfirmedRetry(
    `${field}.confirmed_retry`,
    pick(record, 'confirmed_retry'),
    violations,
  )
  const classBC = readObject(`${field}.class_b_c`, pick(record, 'class_b_c'), violations)
  if (violations.length > 0) return { violations }

  const downlink: ApplicationDownlink = {
    f_port: Number(pick(record, 'f_port')),
    frm_payload: Buffer.from(decodeBase64(payload as string) ?? []).toString('base64'),
  }
  if (decoded) downlink.decoded_payload = decoded
  if (confirmed === true) downlink.confirmed = true
  if (classBC) downlink.class_b_c = classBC
  if (priority) downlink.priority = priority
  if (correlationIds) downlink.correlation_ids = correlationIds
  if (retry) downlink.confirmed_retry = retry
  return { downlink, violations }
}

/**
 * Validates the `downlinks` list of a push or replace request. Unknown fields are ignored, as
 * TTS's protojson decoding does; every problem is reported with its field path.
 */
export function checkDownlinks(value: unknown): {
  downlinks: ApplicationDownlink[]
  violations: FieldViolation[]
} {
  if (value === undefined || value === null) return { downlinks: [], violations: [] }
  if (!Array.isArray(value)) {
    return { downlinks: [], violations: [{ field: 'downlinks', message: 'must be a list' }] }
  }
  const downlinks: ApplicationDownlink[] = []
  const violations: FieldViolation[] = []
  value.forEach((item, index) => {
    const result = checkItem(item, `downlinks[${index}]`)
    if (result.downlink) downlinks.push(result.downlink)
    violations.push(...result.violations)
  })
  return { downlinks, violations }
}

/** The JSON key order of `ApplicationDownlink` in TTS JSON. */
const DOWNLINK_KEY_ORDER = [
  'session_key_id',
  'f_port',
  'f_cnt',
  'frm_payload',
  'decoded_payload',
  'decoded_payload_warnings',
  'confirmed',
  'class_b_c',
  'priority',
  'correlation_ids',
  'confirmed_retry',
]

/** A copy of a downlink with its keys in TTS order (unknown keys last). */
export function orderDownlinkKeys(downlink: ApplicationDownlink): ApplicationDownlink {
  const source = downlink as unknown as Record<string, unknown>
  const ordered: Record<string, unknown> = {}
  for (const key of DOWNLINK_KEY_ORDER) if (source[key] !== undefined) ordered[key] = source[key]
  for (const key of Object.keys(source)) if (!(key in ordered)) ordered[key] = source[key]
  return ordered as unknown as ApplicationDownlink
}
