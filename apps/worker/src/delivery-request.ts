import { buildWebhookUrl, type WebhookConfig } from '@lorahooks/core'
import type { ClaimedDelivery } from '@lorahooks/db'
import {
  applyFieldMask,
  getFormatter,
  parseJsonLossless,
  type CanonicalUp,
  type Formatter,
} from '@lorahooks/formatters'
import { standardWebhookHeaderList } from './signature.js'
import { USER_AGENT } from './version.js'

export interface DeliveryRequest {
  url: string
  /** Name, value, name, value, …: the form undici takes without copying. */
  headers: string[]
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

function encodeBody(
  config: WebhookConfig,
  formatter: Formatter,
  delivery: ClaimedDelivery,
): Uint8Array | string {
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
  // A configured User-Agent comes first; lorahooks' own always follows (case W07).
  const agent = Object.keys(headers).find((name) => name.toLowerCase() === 'user-agent')
  if (agent === undefined) headers['User-Agent'] = USER_AGENT
  else headers[agent] = `${headers[agent]} ${USER_AGENT}`
  return headers
}

/** What every attempt to the same device and message type of one webhook shares. */
interface Target {
  /** Built for this configuration and context; a changed webhook gets a new configuration. */
  config: WebhookConfig
  context: RequestContext
  url: string
  /** As in DeliveryRequest, without the webhook-* headers, which change per attempt. */
  headers: readonly string[]
}

/** Targets kept, over all webhooks and devices; past this the cache starts over. */
const MAX_TARGETS = 10_000

/**
 * The static parts of requests by webhook, device and message type: the URL template expanded,
 * credentials split off, the configured headers filtered. The store hands out one object per
 * stored configuration, so comparing it tells whether the webhook changed.
 */
const targets = new Map<string, Target>()

function targetKey(delivery: ClaimedDelivery): string {
  const { applicationId, webhookId, deviceId, messageType, devEui, joinEui, devAddr } = delivery
  return `${applicationId}/${webhookId}/${deviceId}/${messageType}/${devEui}/${joinEui}/${devAddr}`
}

function buildTarget(
  delivery: ClaimedDelivery,
  config: WebhookConfig,
  context: RequestContext,
): Target {
  const rawUrl = buildWebhookUrl(config.base_url, config[delivery.messageType]?.path, {
    appID: delivery.applicationId,
    devID: delivery.deviceId,
    ...(delivery.devEui ? { devEUI: delivery.devEui } : {}),
    ...(delivery.joinEui ? { joinEUI: delivery.joinEui } : {}),
    ...(delivery.devAddr ? { devAddr: delivery.devAddr } : {}),
  })
  const { url, authorization } = splitCredentials(rawUrl)
  const headers = Object.entries(buildHeaders(config, context, delivery, authorization)).flat()
  return { config, context, url, headers }
}

/** The URL and static headers for this delivery, built once per device and configuration. */
function targetOf(
  delivery: ClaimedDelivery,
  config: WebhookConfig,
  context: RequestContext,
): Target {
  const key = targetKey(delivery)
  let target = targets.get(key)
  if (target?.config !== config || target.context !== context) {
    target = buildTarget(delivery, config, context)
    if (targets.size >= MAX_TARGETS) targets.clear()
    targets.set(key, target)
  }
  return target
}

/** The exact request one attempt of a delivery sends, signed at `nowMs`. */
export function buildDeliveryRequest(
  delivery: ClaimedDelivery,
  config: WebhookConfig,
  context: RequestContext,
  nowMs: number,
): DeliveryRequest {
  const { url, headers: staticHeaders } = targetOf(delivery, config, context)
  const formatter = getFormatter(config.format)
  if (!formatter) throw new UnknownFormatError(config.format)
  const encoded = encodeBody(config, formatter, delivery)
  // Encoded once for both the signature and the socket.
  const body = typeof encoded === 'string' ? Buffer.from(encoded) : encoded
  const secrets = delivery.webhook?.signingSecrets ?? []
  const signed = standardWebhookHeaderList(delivery.messageId, body, secrets, nowMs)
  return { url, headers: staticHeaders.concat(signed), body }
}
