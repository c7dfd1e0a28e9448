import {
  alreadyExists,
  applyWebhookFields,
  checkId,
  checkWebhookFields,
  CONFIG_FIELDS,
  topLevelField,
  validationError,
  type FieldViolation,
  type WebhookConfig,
} from '@lorahooks/core'
import type { WebhookRow, WebhookWrite } from '@lorahooks/db'
import { FORMAT_NAMES, SUPPORTED_FORMATS, unknownUpMaskPaths } from '@lorahooks/formatters'
import { isObject } from './body.js'
import { snakeKeys } from './case.js'
import { checkWebhookSetMask, maskFromBody } from './field-mask.js'
import { newSigningSecret } from './signing-secret.js'

const NS = 'pkg/applicationserver/io/web'
const MAP_FIELDS = new Set(['headers', 'template_fields'])
const REQUIRED_FIELDS = ['base_url', 'format']
const EMPTY_CONFIG: WebhookConfig = { base_url: '', headers: {}, format: '' }

/** A Set request, read and checked against the path but not yet against the stored webhook. */
export interface SetRequest {
  applicationId: string
  webhookId: string
  webhook: Record<string, unknown>
  /** undefined when the body carried no field mask at all. */
  paths: string[] | undefined
  /** POST: refuse to overwrite (lorahooks' deliberate difference from TTS). */
  createOnly: boolean
}

function mismatch(field: string, expected: string) {
  return validationError(NS, [{ field, message: `must match the path (${expected})` }])
}

/** The body webhook (snake_cased) and its webhook ID, checked against the path IDs. */
export function readSetBody(
  body: Record<string, unknown>,
  applicationId: string,
  pathWebhookId: string | undefined,
): { webhook: Record<string, unknown>; webhookId: string; paths: string[] | undefined } {
  const normalized = snakeKeys(body, MAP_FIELDS) as Record<string, unknown>
  const webhook = normalized['webhook']
  if (!isObject(webhook)) throw validationError(NS, [{ field: 'webhook', message: 'is required' }])

  const ids = isObject(webhook['ids']) ? webhook['ids'] : {}
  const appIds = isObject(ids['application_ids']) ? ids['application_ids'] : {}
  const bodyAppId = appIds['application_id']
  if (bodyAppId !== undefined && bodyAppId !== applicationId) {
    throw mismatch('webhook.ids.application_ids.application_id', applicationId)
  }

  const bodyWebhookId = ids['webhook_id']
  const differs = bodyWebhookId !== undefined && bodyWebhookId !== pathWebhookId
  if (pathWebhookId !== undefined && differs) {
    throw mismatch('webhook.ids.webhook_id', pathWebhookId)
  }
  const webhookId = pathWebhookId ?? bodyWebhookId
  const idProblem = checkId('webhook.ids.webhook_id', webhookId)
  if (idProblem) throw validationError(NS, [idProblem])

  const paths = maskFromBody(normalized['field_mask'])
  if (paths) checkWebhookSetMask(paths)
  return { webhook, webhookId: webhookId as string, paths }
}

function configFields(paths: readonly string[]): string[] {
  return [...new Set(paths.map(topLevelField))].filter((field) => CONFIG_FIELDS.includes(field))
}

/**
 * A webhook in a format lorahooks cannot encode would only dead-letter every delivery, so it is
 * refused when written. Stored webhooks are not checked again on read.
 */
function checkFormat(format: unknown): FieldViolation[] {
  if (typeof format !== 'string' || SUPPORTED_FORMATS.includes(format)) return []
  const supported = `supported: ${SUPPORTED_FORMATS.join(', ')}`
  const message = Object.hasOwn(FORMAT_NAMES, format)
    ? `format \`${format}\` is not supported yet; ${supported}`
    : `format \`${format}\` is not known; ${supported}`
  return [{ field: 'format', message }]
}

/** A message field mask with a typo would silently send less than asked for. */
function checkUpMask(fieldMask: unknown): FieldViolation[] {
  const paths = (fieldMask as { paths?: unknown } | undefined)?.paths
  if (!Array.isArray(paths)) return []
  const unknown = unknownUpMaskPaths(paths as string[])
  if (unknown.length === 0) return []
  const message = `names no ApplicationUp field: ${unknown.map((p) => JSON.stringify(p)).join(', ')}`
  return [{ field: 'field_mask.paths', message }]
}

function refuseInvalid(violations: FieldViolation[]): void {
  if (violations.length > 0) throw validationError(NS, violations)
}

/** On create, without a mask, every field present in the body is taken. */
export function effectivePaths(request: SetRequest, existing: WebhookRow | undefined): string[] {
  if (existing || (request.paths !== undefined && request.paths.length > 0)) {
    return request.paths ?? []
  }
  return CONFIG_FIELDS.filter((field) => request.webhook[field] !== undefined)
}

/**
 * TTS Set semantics: the mask names the fields copied from the request onto the stored webhook
 * (a named field absent in the body is cleared); an empty mask on update changes nothing;
 * `health_status` in the mask resets health. Only masked fields are validated, then the result
 * must still have a valid base_url and format. A new webhook gets a signing secret.
 */
export function decideSet(request: SetRequest, existing: WebhookRow | undefined): WebhookWrite {
  if (existing && request.createOnly) {
    throw alreadyExists(NS, 'webhook_exists', `webhook \`${request.webhookId}\` already exists`, {
      application_id: request.applicationId,
      webhook_id: request.webhookId,
    })
  }

  const paths = effectivePaths(request, existing)
  if (existing && paths.length === 0) return { action: 'keep' }

  const fields = configFields(paths)
  const violations = checkWebhookFields(request.webhook, fields)
  if (fields.includes('format') && !violations.some((v) => v.field === 'format')) {
    violations.push(...checkFormat(request.webhook['format']))
  }
  if (fields.includes('field_mask') && violations.length === 0) {
    violations.push(...checkUpMask(request.webhook['field_mask']))
  }
  refuseInvalid(violations)

  const config = applyWebhookFields(existing?.config ?? EMPTY_CONFIG, request.webhook, fields)
  const merged = config as unknown as Record<string, unknown>
  refuseInvalid(checkWebhookFields(merged, REQUIRED_FIELDS))

  const resetHealth = paths.some((path) => topLevelField(path) === 'health_status')
  if (existing) return { action: 'write', config, resetHealth }
  return { action: 'write', config, resetHealth, signingSecret: { secret: newSigningSecret() } }
}
