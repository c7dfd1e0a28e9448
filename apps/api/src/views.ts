import {
  CONFIG_FIELDS,
  MESSAGE_TYPES,
  topLevelField,
  WEBHOOK_IMPLICIT_PATHS,
  type Application,
  type ApiKey,
  type EndDevice,
  type EndDeviceIds,
  type WebhookHealthStatus,
} from '@lorahooks/core'
import type { ApiKeyRow, ApplicationRow, DeviceRow, WebhookRow } from '@lorahooks/db'
import { redactUrl } from './url-redaction.js'

function withOptional<T extends object>(target: T, values: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') {
      ;(target as Record<string, unknown>)[key] = value
    }
  }
  return target
}

export function applicationView(row: ApplicationRow): Application {
  const view: Application = {
    ids: { application_id: row.applicationId },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
  return withOptional(view, { name: row.name, description: row.description })
}

export function deviceIds(row: DeviceRow): EndDeviceIds {
  const ids: EndDeviceIds = {
    device_id: row.deviceId,
    application_ids: { application_id: row.applicationId },
  }
  return withOptional(ids, { dev_eui: row.devEui, join_eui: row.joinEui, dev_addr: row.devAddr })
}

export function deviceView(row: DeviceRow): EndDevice {
  const view: EndDevice = {
    ids: deviceIds(row),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
  return withOptional(view, { name: row.name, description: row.description })
}

/** An API key in TTS field order; `key` (the secret) only in the answer to its creation. */
export function apiKeyView(row: ApiKeyRow, key?: string): ApiKey {
  const view = withOptional({ id: row.id }, { key, name: row.name }) as ApiKey
  view.rights = [...row.rights]
  view.created_at = row.createdAt
  view.updated_at = row.updatedAt
  return withOptional(view, { expires_at: row.expiresAt })
}

function healthStatus(row: WebhookRow, redact: boolean): WebhookHealthStatus | undefined {
  if (row.health === 'healthy') return { healthy: {} }
  if (row.health !== 'unhealthy') return undefined
  const unhealthy: Record<string, unknown> = {
    failed_attempts: String(row.failedAttempts),
    last_failed_attempt_at: row.lastFailedAttemptAt ?? row.updatedAt,
  }
  const details = row.lastFailedAttemptDetails
  if (details) {
    unhealthy['last_failed_attempt_details'] = redact ? redactDetails(details) : details
  }
  return { unhealthy } as WebhookHealthStatus
}

function redactDetails(details: Record<string, unknown>): Record<string, unknown> {
  const attributes = details['attributes'] as Record<string, unknown> | undefined
  const url = attributes?.['url']
  if (typeof url !== 'string') return details
  return { ...details, attributes: { ...attributes, url: redactUrl(url) } }
}

/** The configuration with the URL parts that carry credentials redacted (see redactUrl). */
function redactedConfig(config: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config }
  if (typeof copy['base_url'] === 'string') copy['base_url'] = redactUrl(copy['base_url'])
  for (const type of MESSAGE_TYPES) {
    const slot = copy[type] as { path?: unknown } | undefined
    if (typeof slot?.path === 'string') copy[type] = { ...slot, path: redactUrl(slot.path) }
  }
  return copy
}

/** Top-level fields of ApplicationWebhook in proto order, then lorahooks' own. */
const WEBHOOK_FIELD_ORDER = [
  'ids',
  'created_at',
  'updated_at',
  'base_url',
  'headers',
  'format',
  'template_ids',
  'template_fields',
  'downlink_api_key',
  ...MESSAGE_TYPES,
  'health_status',
  'field_mask',
  'paused',
  'signing_secret',
]

function isZero(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true
  if (field === 'field_mask') return ((value as { paths?: unknown[] }).paths ?? []).length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

/** The top-level fields a read with these mask paths returns (implicit ones always). */
export function webhookViewFields(paths: readonly string[]): Set<string> {
  return new Set([...WEBHOOK_IMPLICIT_PATHS, ...paths.map(topLevelField)])
}

/**
 * A stored webhook as TTS shows it, restricted to `fields`. Zero values are left out like TTS's
 * marshaller does, except an enabled message slot, which is `{}` when it has no path. With
 * `redact`, URL passwords and query values are replaced (callers who may not manage webhooks).
 */
export function webhookView(row: WebhookRow, fields: ReadonlySet<string>, redact = false) {
  const slots = new Set<string>(MESSAGE_TYPES)
  const stored = row.config as unknown as Record<string, unknown>
  const config = redact ? redactedConfig(stored) : stored
  const all: Record<string, unknown> = {
    ids: {
      application_ids: { application_id: row.applicationId },
      webhook_id: row.webhookId,
    },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    health_status: healthStatus(row, redact),
    signing_secret: row.signingSecret,
  }
  for (const field of CONFIG_FIELDS) all[field] = config[field]

  const view: Record<string, unknown> = {}
  for (const field of WEBHOOK_FIELD_ORDER) {
    if (!fields.has(field)) continue
    const value = all[field]
    const keep = slots.has(field) ? value !== undefined && value !== null : !isZero(field, value)
    if (keep) view[field] = value
  }
  return view
}
