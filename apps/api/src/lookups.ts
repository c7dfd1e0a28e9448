import { checkId, notFound, validationError, type FieldViolation } from '@lorahooks/core'
import type { DeviceRow, WebhookRow } from '@lorahooks/db'
import type { Context } from 'hono'
import { isAdmin } from './auth.js'
import type { AppEnv } from './context.js'
import type { RouteDeps } from './deps.js'

/** 400 naming every path parameter that is not a valid TTS identifier. */
export function checkPathIds(namespace: string, ids: Record<string, string>): void {
  const violations = Object.entries(ids)
    .map(([field, value]) => checkId(field, value))
    .filter((violation): violation is FieldViolation => violation !== undefined)
  if (violations.length > 0) throw validationError(namespace, violations)
}

/**
 * 404 unless the application exists. An application key proves it (keys die with their
 * application), so only admin requests pay for the lookup.
 */
export async function ensureApplication(
  deps: RouteDeps,
  c: Context<AppEnv>,
  applicationId: string,
): Promise<void> {
  if (!isAdmin(c.get('principal'))) return
  checkPathIds('pkg/identityserver', { application_id: applicationId })
  if (await deps.store.getApplication(applicationId)) return
  throw applicationNotFound(applicationId)
}

export function applicationNotFound(applicationId: string) {
  const message = `application \`${applicationId}\` not found`
  return notFound('pkg/identityserver', 'application_not_found', message, {
    application_id: applicationId,
  })
}

export async function findDevice(
  deps: RouteDeps,
  applicationId: string,
  deviceId: string,
): Promise<DeviceRow> {
  const device = await deps.cache.device(applicationId, deviceId, () =>
    deps.store.getDevice(applicationId, deviceId),
  )
  if (device) return device
  // Only an admin key reaches here for a missing application: say which of the two is missing.
  if (!(await deps.store.getApplication(applicationId))) throw applicationNotFound(applicationId)
  throw notFound(
    'pkg/registry',
    'device_not_found',
    `end device \`${deviceId}\` not found in application \`${applicationId}\``,
    { application_id: applicationId, device_id: deviceId },
  )
}

export async function findWebhook(
  deps: RouteDeps,
  applicationId: string,
  webhookId: string,
): Promise<WebhookRow> {
  const webhook = await deps.store.getWebhook(applicationId, webhookId)
  if (webhook) return webhook
  throw webhookNotFound(applicationId, webhookId)
}

export function webhookNotFound(applicationId: string, webhookId: string) {
  const message = `webhook \`${webhookId}\` not found`
  return notFound('pkg/applicationserver/io/web', 'webhook_not_found', message, {
    application_id: applicationId,
    webhook_id: webhookId,
  })
}

/** A path parameter of a handler written against the plain Context type. */
export function param(c: Context<AppEnv>, name: string): string {
  return c.req.param(name) ?? ''
}
