import { createHmac } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'
const MAX_CACHED_KEYS = 10_000

/** Decoded HMAC keys by secret, so a hot webhook does not decode its secret per attempt. */
const keys = new Map<string, Buffer>()

function keyOf(secret: string): Buffer {
  let key = keys.get(secret)
  if (!key) {
    const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
    key = Buffer.from(encoded, 'base64')
    if (keys.size >= MAX_CACHED_KEYS) keys.clear()
    keys.set(secret, key)
  }
  return key
}

/**
 * The Standard Webhooks `webhook-signature` value: `v1,<base64 HMAC-SHA256>` of
 * `id.timestamp.body` for each secret (`whsec_<base64 key>`), space-separated in the order given.
 */
export function signatureHeader(
  webhookId: string,
  timestampSeconds: number,
  body: string | Uint8Array,
  secrets: readonly string[],
): string {
  const prefix = `${webhookId}.${timestampSeconds}.`
  return secrets
    .map((secret) => {
      const mac = createHmac('sha256', keyOf(secret)).update(prefix).update(body).digest('base64')
      return `v1,${mac}`
    })
    .join(' ')
}

/**
 * The Standard Webhooks headers of one attempt, as name, value pairs in a flat list (the form
 * undici takes). The id is stable across attempts (receivers drop duplicates by it); the
 * timestamp, and so the signature, is fresh for each attempt.
 */
export function standardWebhookHeaderList(
  messageId: string,
  body: string | Uint8Array,
  secrets: readonly string[],
  nowMs: number,
): string[] {
  const id = `msg_${messageId}`
  const timestamp = Math.floor(nowMs / 1000)
  const list = ['webhook-id', id, 'webhook-timestamp', String(timestamp)]
  if (secrets.length > 0) {
    list.push('webhook-signature', signatureHeader(id, timestamp, body, secrets))
  }
  return list
}

/** The same headers by name. */
export function standardWebhookHeaders(
  messageId: string,
  body: string | Uint8Array,
  secrets: readonly string[],
  nowMs: number,
): Record<string, string> {
  const list = standardWebhookHeaderList(messageId, body, secrets, nowMs)
  const headers: Record<string, string> = {}
  for (let index = 0; index < list.length; index += 2) {
    headers[list[index] as string] = list[index + 1] as string
  }
  return headers
}
