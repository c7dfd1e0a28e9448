import { buildWebhookUrl, type WebhookConfig } from '@lorahooks/core'
import type { ClaimedDelivery } from '@lorahooks/db'
import {
  applyFieldMask,
  getFormatter,
  parseJsonLossless,
  type CanonicalUp,
} from '@lorahooks/formatters'
import { standardWebhookHeaders } from './signature.js'
import { USER_AGENT } from './version.js'

export interface DeliveryRequest {
  url: string
  headers: Record<string, string>
  body: Uint8Array | string
}

export interface RequestContext {
  /** LORAHOOKS_PUBLIC_URL without a trailing slash. */
  publicUrl: string
  /** host[:port] of the public URL, sent as X-Tts-Domain. */
  domain: string
}

export class UnknownFormatError extends Error {
  constructor(format: string) {
    super(`format \`${format}\` is not known`)
    this.name = 'UnknownFormatError'
  }
}

function downlinkUrls(context: RequestContext, delivery: ClaimedDelivery) {
  const base =
    `${context.publicUrl}/api/v3/as/applications/${delivery.applicationId}` +
    `/webhooks/${delivery.webhookId}/devices/${delivery.deviceId}/down`
  return { push: `${base}/push`, replace: `${base}/replace` }
}

/** Userinfo in the URL becomes Basic auth, as TTS's Go client does; a configured header wins. */
function splitCredentials(url: string): { url: string; authorization?: string } {
  const parsed = new URL(url)
  if (!parsed.username && !parsed.password) return { url }
  const user = decodeURIComponent(parsed.username)
  const credentials = `${user}:${decodeURIComponent(parsed.password)}`
  parsed.username = ''
  parsed.password = ''
  return {
    url: parsed.toString(),
    authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
  }
}

function encodeBody(config: WebhookConfig, delivery: ClaimedDelivery): Uint8Array | string {
  const formatter = getFormatter(config.format)
  if (!formatter) throw new UnknownFormatError(config.format)
  const mask = config.field_mask?.paths ?? []
  if (formatter.name === 'json' && mask.length === 0) return delivery.body

  let up = parseJsonLossless(delivery.body) as CanonicalUp
  if (mask.length > 0) up = applyFieldMask(up, mask)
  return formatter.encodeUp(up)
}

function buildHeaders(
  config: WebhookConfig,
  context: RequestContext,
  delivery: ClaimedDelivery,
  basicAuth: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {}
  const configured = new Set<string>()
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    // The webhook-* names carry the delivery id and signature; a configured one would clash.
    if (value === '' || name.toLowerCase().startsWith('webhook-')) continue
    headers[name] = value
    configured.add(name.toLowerCase())
  }
  if (basicAuth && !configured.has('authorization')) headers['Authorization'] = basicAuth
  if (config.downlink_api_key) {
    const urls = downlinkUrls(context, delivery)
    headers['X-Downlink-Apikey'] = config.downlink_api_key
    headers['X-Downlink-Push'] = urls.push
    headers['X-Downlink-Replace'] = urls.replace
  }
  headers['X-Tts-Domain'] = context.domain
  headers['Content-Type'] = getFormatter(config.format)?.contentType ?? 'application/octet-stream'
  if (!configured.has('user-agent')) headers['User-Agent'] = USER_AGENT
  return headers
}

/** The exact request one attempt of a delivery sends, signed at `nowMs`. */
export function buildDeliveryRequest(
  delivery: ClaimedDelivery,
  config: WebhookConfig,
  context: RequestContext,
  nowMs: number,
): DeliveryRequest {
  const rawUrl = buildWebhookUrl(config.base_url, config[delivery.messageType]?.path, {
    appID: delivery.applicationId,
    devID: delivery.deviceId,
    ...(delivery.devEui ? { devEUI: delivery.devEui } : {}),
    ...(delivery.joinEui ? { joinEUI: delivery.joinEui } : {}),
    ...(delivery.devAddr ? { devAddr: delivery.devAddr } : {}),
  })
  const { url, authorization } = splitCredentials(rawUrl)
  const body = encodeBody(config, delivery)
  const headers = buildHeaders(config, context, delivery, authorization)
  const secrets = delivery.webhook?.signingSecrets ?? []
  Object.assign(headers, standardWebhookHeaders(delivery.messageId, body, secrets, nowMs))
  return { url, headers, body }
}
