import type { IncomingHttpHeaders } from 'node:http'

import { isLoopbackHost } from './loopback.js'
import type { DownlinkReply, DownlinkResult } from './types.js'

const PUSH_TIMEOUT_MS = 10_000

/** Only so much of a push answer is worth keeping for a test to look at. */
const MAX_KEPT_BODY_CHARS = 4096

/**
 * Answers an uplink the way a TTS application would: POST the downlinks to the push URL the
 * uplink carried, authenticated with the key it carried. Only loopback push URLs are contacted,
 * so a mock fed with real TTS headers can never queue downlinks on a real network.
 */
export class DownlinkReplier {
  readonly #maxResults: number
  #results: DownlinkResult[] = []
  readonly #closing = new AbortController()

  constructor(maxResults: number) {
    this.#maxResults = maxResults
  }

  results(): DownlinkResult[] {
    return this.#results.slice()
  }

  clear(): void {
    this.#results = []
  }

  /** Cancels pushes still in flight. */
  close(): void {
    this.#closing.abort()
  }

  send(seq: number, headers: IncomingHttpHeaders, reply: DownlinkReply): void {
    const pushUrl = headers['x-downlink-push']
    const apiKey = headers['x-downlink-apikey']

    if (typeof pushUrl !== 'string' || pushUrl === '') {
      this.#record({ seq, url: '', status: null, error: 'no X-Downlink-Push header' })
      return
    }

    const refusal = refusalReason(pushUrl)
    if (refusal !== undefined) {
      this.#record({ seq, url: pushUrl, status: null, error: refusal })
      return
    }

    if (typeof apiKey !== 'string' || apiKey === '') {
      this.#record({ seq, url: pushUrl, status: null, error: 'no X-Downlink-Apikey header' })
      return
    }

    void this.#push(seq, pushUrl, apiKey, reply)
  }

  async #push(seq: number, url: string, apiKey: string, reply: DownlinkReply): Promise<void> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(reply),
        // A redirect could lead to a non-loopback host, which the check above must rule out.
        redirect: 'manual',
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(PUSH_TIMEOUT_MS)]),
      })
      const body = await response.text()
      this.#record({ seq, url, status: response.status, body: body.slice(0, MAX_KEPT_BODY_CHARS) })
    } catch (error) {
      this.#record({ seq, url, status: null, error: describeError(error) })
    }
  }

  #record(result: DownlinkResult): void {
    this.#results.push(result)
    if (this.#results.length > this.#maxResults) this.#results.shift()
  }
}

function refusalReason(pushUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(pushUrl)
  } catch {
    return 'X-Downlink-Push is not a valid URL'
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `refused: push URL scheme ${url.protocol} is not http or https`
  }
  if (!isLoopbackHost(url.hostname)) {
    return `refused: push URL host ${url.hostname} is not a loopback address`
  }
  return undefined
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)

  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}
