import type { AttemptResult } from './http-sender.js'

const NAMESPACE = 'lorahooks/worker'
/** gRPC Unavailable, as TTS reports a failed webhook request. */
const UNAVAILABLE = 14
const BODY_DETAIL_BYTES = 1024

function firstKibibyte(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= BODY_DETAIL_BYTES) return text
  // A character cut in half decodes as U+FFFD; drop it rather than show garbage.
  return bytes.subarray(0, BODY_DETAIL_BYTES).toString('utf8').replace(/\uFFFD+$/, '')
}

function withoutUserinfo(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.username && !parsed.password) return url
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  } catch {
    return url
  }
}

/**
 * A failed attempt as TTS ErrorDetails, stored as the webhook's last failure and shown in its
 * health_status. It names the webhook, URL and status, carries the first KiB of the response
 * body, and never any header value.
 */
export function failureDetails(
  webhookId: string,
  url: string,
  result: AttemptResult,
): Record<string, unknown> {
  const attributes: Record<string, unknown> = { webhook_id: webhookId, url: withoutUserinfo(url) }
  if (result.status !== undefined) attributes['status_code'] = result.status
  const details: Record<string, unknown> = {
    namespace: NAMESPACE,
    name: 'request',
    message_format:
      result.status !== undefined
        ? 'webhook request failed with status `{status_code}`'
        : 'webhook request failed',
    attributes,
    code: UNAVAILABLE,
  }
  if (result.failure !== undefined) {
    details['cause'] = {
      namespace: NAMESPACE,
      name: result.failure,
      // Braces would read as placeholders in a message format.
      message_format: (result.error ?? result.failure).replace(/[{}]/g, ''),
      code: UNAVAILABLE,
    }
  }
  if (result.responseExcerpt) {
    details['details'] = [
      {
        '@type': 'type.googleapis.com/google.protobuf.Struct',
        value: { body: firstKibibyte(result.responseExcerpt) },
      },
    ]
  }
  return details
}
