import type { WebhookConfig } from '@lorahooks/core'
import type { ApiKeyRow, ApplicationRow, DeviceRow, WebhookHealth, WebhookRow } from '../types.js'

/** Drops null columns so rows match the optional fields of the row types. */
function present<T extends object>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) if (value !== null) out[key] = value
  return out as T
}

export function toApplicationRow(row: Record<string, unknown>): ApplicationRow {
  return present<ApplicationRow>(row)
}

export function toDeviceRow(row: Record<string, unknown>): DeviceRow {
  return present<DeviceRow>(row)
}

export function toApiKeyRow(row: Record<string, unknown>): ApiKeyRow {
  const out = present<ApiKeyRow>(row)
  out.applicationId = (row['applicationId'] as string | null) ?? null
  return out
}

export interface WebhookRecord {
  applicationId: string
  webhookId: string
  config: string
  createdAt: string
  updatedAt: string
  health: string | null
  failedAttempts: number
  lastFailedAttemptAt: string | null
  lastFailedAttemptDetails: string | null
  heldUntil: number | null
  signingSecret: string | null
  previousSigningSecret: string | null
  previousSecretUntil: string | null
}

export function toWebhookRow(record: WebhookRecord): WebhookRow {
  const row: WebhookRow = {
    applicationId: record.applicationId,
    webhookId: record.webhookId,
    config: JSON.parse(record.config) as WebhookConfig,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    failedAttempts: record.failedAttempts,
  }
  if (record.health) row.health = record.health as WebhookHealth
  if (record.lastFailedAttemptAt) row.lastFailedAttemptAt = record.lastFailedAttemptAt
  if (record.lastFailedAttemptDetails) {
    row.lastFailedAttemptDetails = JSON.parse(record.lastFailedAttemptDetails) as Record<
      string,
      unknown
    >
  }
  if (record.heldUntil !== null) row.heldUntil = record.heldUntil
  if (record.signingSecret) row.signingSecret = record.signingSecret
  if (record.previousSigningSecret) row.previousSigningSecret = record.previousSigningSecret
  if (record.previousSecretUntil) row.previousSecretUntil = record.previousSecretUntil
  return row
}
