import type { FieldViolation } from './errors.js'
import { checkId } from './ids.js'
import { MESSAGE_TYPES, type MessageType } from './message-types.js'
import { checkBaseUrl, checkPathTemplate } from './webhook-url.js'

/** A message slot of a webhook: present means enabled; the path is appended to the base URL. */
export interface WebhookMessageSlot {
  path?: string
}

export type WebhookSlots = Partial<Record<MessageType, WebhookMessageSlot>>

/** The part of a webhook that its owner configures (what the API stores). */
export interface WebhookConfig extends WebhookSlots {
  base_url: string
  headers: Record<string, string>
  format: string
  template_ids?: { template_id: string }
  template_fields?: Record<string, string>
  downlink_api_key?: string
  field_mask?: { paths: string[] }
  paused?: boolean
}

export interface WebhookIds {
  application_ids: { application_id: string }
  webhook_id: string
}

export type WebhookHealthStatus =
  | { healthy: Record<string, never> }
  | {
      unhealthy: {
        failed_attempts: string
        last_failed_attempt_at: string
        last_failed_attempt_details?: Record<string, unknown>
      }
    }

/** A webhook as the API shows it (TTS `ApplicationWebhook`). */
export interface WebhookView extends WebhookConfig {
  ids: WebhookIds
  created_at: string
  updated_at: string
  health_status?: WebhookHealthStatus
}

export const WEBHOOK_LIMITS = {
  headers: 50,
  headerKeyLength: 64,
  headerValueLength: 4096,
  pathLength: 64,
  downlinkApiKeyLength: 128,
  formatLength: 20,
} as const

/** Paths always present in a webhook read, whatever the field mask (TTS implicit paths). */
export const WEBHOOK_IMPLICIT_PATHS = ['ids', 'created_at', 'updated_at', 'base_url', 'format']

const HEALTH_PATHS = [
  'health_status',
  'health_status.status',
  'health_status.status.healthy',
  'health_status.status.unhealthy',
  'health_status.status.unhealthy.failed_attempts',
  'health_status.status.unhealthy.last_failed_attempt_at',
  'health_status.status.unhealthy.last_failed_attempt_details',
]

/** Every field-mask path TTS allows on webhooks (ApplicationWebhookFieldPathsNested). */
export const WEBHOOK_FIELD_MASK_PATHS: ReadonlySet<string> = new Set([
  'base_url',
  'created_at',
  'downlink_api_key',
  'field_mask',
  'format',
  'headers',
  ...HEALTH_PATHS,
  'ids',
  'ids.application_ids',
  'ids.application_ids.application_id',
  'ids.webhook_id',
  'paused',
  'template_fields',
  'template_ids',
  'template_ids.template_id',
  'updated_at',
  ...MESSAGE_TYPES.flatMap((type) => [type, `${type}.path`]),
])

/** The field-mask paths that are not allowed, in the order given. */
export function forbiddenWebhookPaths(paths: readonly string[]): string[] {
  return paths.filter((path) => !WEBHOOK_FIELD_MASK_PATHS.has(path))
}

/** The top-level field a mask path is about (`uplink_message.path` → `uplink_message`). */
export function topLevelField(path: string): string {
  const dot = path.indexOf('.')
  return dot === -1 ? path : path.slice(0, dot)
}

const FORMAT_PATTERN = /^[a-z0-9](?:[-]?[a-z0-9]){2,}$/
const HEADER_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** HTTP clients refuse other characters in header values, so such a webhook could never deliver. */
const HEADER_VALUE_FORBIDDEN = /[^\t\x20-\x7e]/

/** Headers lorahooks sets itself; a configured one would be sent twice or lie. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'host',
  'x-downlink-apikey',
  'x-downlink-push',
  'x-downlink-replace',
  'x-tts-domain',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
])

export function checkHeaders(headers: unknown): FieldViolation[] {
  if (headers === undefined || headers === null) return []
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    return [{ field: 'headers', message: 'must be an object of header names to values' }]
  }
  const entries = Object.entries(headers)
  if (entries.length > WEBHOOK_LIMITS.headers) {
    return [{ field: 'headers', message: `at most ${WEBHOOK_LIMITS.headers} headers are allowed` }]
  }
  const violations: FieldViolation[] = []
  const seen = new Set<string>()
  for (const [name, value] of entries) {
    const problem = checkHeader(name, value, seen)
    if (problem) violations.push({ field: `headers[${name}]`, message: problem })
  }
  return violations
}

function checkHeader(name: string, value: unknown, seen: Set<string>): string | undefined {
  const lower = name.toLowerCase()
  if (name.length === 0 || name.length > WEBHOOK_LIMITS.headerKeyLength) {
    return `the name must be 1–${WEBHOOK_LIMITS.headerKeyLength} characters`
  }
  if (!HEADER_NAME_PATTERN.test(name)) return 'the name is not a valid HTTP header name'
  if (RESERVED_HEADERS.has(lower)) {
    return lower === 'content-type'
      ? 'Content-Type is set by the format and cannot be configured'
      : `${name} is set by lorahooks and cannot be configured`
  }
  if (seen.has(lower)) return 'the header is given twice (names are case-insensitive)'
  seen.add(lower)
  if (typeof value !== 'string') return 'the value must be a string'
  if (value.trim().length === 0) return 'the value must not be empty'
  if (value.length > WEBHOOK_LIMITS.headerValueLength) {
    return `the value is ${value.length} characters; the maximum is ${WEBHOOK_LIMITS.headerValueLength}`
  }
  if (HEADER_VALUE_FORBIDDEN.test(value)) {
    return 'the value must be printable ASCII: no line breaks, control or non-ASCII characters'
  }
  return undefined
}

function checkSlot(type: MessageType, slot: unknown): FieldViolation[] {
  if (slot === undefined || slot === null) return []
  if (typeof slot !== 'object' || Array.isArray(slot)) {
    return [{ field: type, message: 'must be an object like {"path": "/up"} or null' }]
  }
  const path = (slot as { path?: unknown }).path
  if (path === undefined || path === null || path === '') return []
  if (typeof path !== 'string') return [{ field: `${type}.path`, message: 'must be a string' }]
  const problem = checkPathTemplate(path)
  return problem ? [{ field: `${type}.path`, message: problem }] : []
}

function checkString(field: string, value: unknown, max: number): FieldViolation[] {
  if (value === undefined || value === null) return []
  if (typeof value !== 'string') return [{ field, message: 'must be a string' }]
  if (value.length > max) return [{ field, message: `must be at most ${max} characters` }]
  return []
}

type FieldCheck = (value: unknown) => FieldViolation[]

const FIELD_CHECKS: Record<string, FieldCheck> = {
  base_url: (value) => {
    if (typeof value !== 'string') return [{ field: 'base_url', message: 'is required' }]
    const problem = checkBaseUrl(value)
    return problem ? [{ field: 'base_url', message: problem }] : []
  },
  format: (value) => {
    if (typeof value !== 'string' || value.length > WEBHOOK_LIMITS.formatLength) {
      return [{ field: 'format', message: 'is required (for example "json")' }]
    }
    return FORMAT_PATTERN.test(value) ? [] : [{ field: 'format', message: 'is not a format name' }]
  },
  headers: checkHeaders,
  downlink_api_key: (value) =>
    checkString('downlink_api_key', value, WEBHOOK_LIMITS.downlinkApiKeyLength),
  paused: (value) =>
    value === undefined || value === null || typeof value === 'boolean'
      ? []
      : [{ field: 'paused', message: 'must be true or false' }],
  template_ids: (value) => {
    if (value === undefined || value === null) return []
    const id = (value as { template_id?: unknown }).template_id
    const violation = checkId('template_ids.template_id', id)
    return violation ? [violation] : []
  },
  template_fields: (value) => {
    if (value === undefined || value === null) return []
    const ok = typeof value === 'object' && !Array.isArray(value)
    const allStrings = ok && Object.values(value).every((v) => typeof v === 'string')
    return allStrings ? [] : [{ field: 'template_fields', message: 'must map names to strings' }]
  },
  field_mask: (value) => {
    if (value === undefined || value === null) return []
    const paths = (value as { paths?: unknown }).paths
    const ok = paths === undefined || (Array.isArray(paths) && paths.every(isString))
    return ok ? [] : [{ field: 'field_mask.paths', message: 'must be a list of strings' }]
  },
  ...Object.fromEntries(
    MESSAGE_TYPES.map((type) => [type, (value: unknown) => checkSlot(type, value)]),
  ),
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

/** Violations of the given top-level fields of a webhook being written. */
export function checkWebhookFields(
  webhook: Record<string, unknown>,
  fields: Iterable<string>,
): FieldViolation[] {
  const violations: FieldViolation[] = []
  for (const field of fields) {
    const check = FIELD_CHECKS[field]
    if (check) violations.push(...check(webhook[field]))
  }
  return violations
}

export const CONFIG_FIELDS: readonly string[] = [
  'base_url',
  'headers',
  'format',
  'template_ids',
  'template_fields',
  'downlink_api_key',
  ...MESSAGE_TYPES,
  'field_mask',
  'paused',
]

/**
 * Copies the config fields named by `fields` from `input` onto `base` (TTS Set semantics: a named
 * field that is absent in the input is cleared). Returns a new object; `base` is not changed.
 */
export function applyWebhookFields(
  base: WebhookConfig,
  input: Record<string, unknown>,
  fields: Iterable<string>,
): WebhookConfig {
  const next: Record<string, unknown> = { ...base }
  for (const field of fields) {
    if (!CONFIG_FIELDS.includes(field)) continue
    const value = input[field]
    if (value === undefined || value === null) {
      delete next[field]
    } else {
      next[field] = normalizeField(field, value)
    }
  }
  next['headers'] ??= {}
  return next as unknown as WebhookConfig
}

function normalizeField(field: string, value: unknown): unknown {
  if ((MESSAGE_TYPES as readonly string[]).includes(field)) {
    const path = (value as { path?: string }).path
    return path ? { path } : {}
  }
  if (field === 'field_mask') {
    const paths = (value as { paths?: string[] }).paths ?? []
    return { paths: [...paths] }
  }
  if (field === 'headers' || field === 'template_fields') return { ...(value as object) }
  return value
}

/** The message types a webhook config enables (slot present). */
export function enabledMessageTypes(config: WebhookSlots): MessageType[] {
  return MESSAGE_TYPES.filter((type) => config[type] !== undefined && config[type] !== null)
}
