import { matchesPath, pathOf } from './path-match.js'
import type { MockEndpointStats, RecordedRequest, RequestFilter } from './types.js'

/** What is kept per request; the public shape is built only when someone reads it. */
export interface StoredRequest {
  seq: number
  receivedAt: number
  method: string
  target: string
  rawHeaders: string[]
  body: Buffer
}

/**
 * Counts every request and keeps the newest `maxRecords` of them in a ring buffer, so a long
 * run neither grows without bound nor pays for shifting an array.
 */
export class RequestLog {
  readonly #maxRecords: number
  readonly #ring: (StoredRequest | undefined)[] = []
  #start = 0
  #size = 0
  #count = 0
  readonly #byPath = new Map<string, number>()

  constructor(maxRecords: number) {
    this.#maxRecords = maxRecords
  }

  get count(): number {
    return this.#count
  }

  noteArrival(path: string): void {
    this.#count += 1
    this.#byPath.set(path, (this.#byPath.get(path) ?? 0) + 1)
  }

  store(request: StoredRequest): void {
    if (this.#maxRecords === 0) return

    if (this.#size < this.#maxRecords) {
      this.#ring[(this.#start + this.#size) % this.#maxRecords] = request
      this.#size += 1
      return
    }

    this.#ring[this.#start] = request
    this.#start = (this.#start + 1) % this.#maxRecords
  }

  list(filter: RequestFilter = {}): RecordedRequest[] {
    const found: RecordedRequest[] = []
    for (let i = 0; i < this.#size; i += 1) {
      const stored = this.#ring[(this.#start + i) % this.#maxRecords]
      if (stored === undefined) continue
      if (filter.since !== undefined && stored.seq <= filter.since) continue
      if (filter.path !== undefined && !matchesPath(filter.path, pathOf(stored.target))) continue
      found.push(toRecordedRequest(stored))
    }
    return found
  }

  stats(): MockEndpointStats {
    return { count: this.#count, byPath: Object.fromEntries(this.#byPath) }
  }

  clear(): void {
    this.#ring.length = 0
    this.#start = 0
    this.#size = 0
    this.#count = 0
    this.#byPath.clear()
  }
}

function toRecordedRequest(stored: StoredRequest): RecordedRequest {
  const headers: [string, string][] = []
  for (let i = 0; i + 1 < stored.rawHeaders.length; i += 2) {
    headers.push([stored.rawHeaders[i] as string, stored.rawHeaders[i + 1] as string])
  }

  return {
    seq: stored.seq,
    receivedAt: new Date(stored.receivedAt).toISOString(),
    method: stored.method,
    target: stored.target,
    headers,
    body: stored.body.toString('base64'),
    bodyText: stored.body.toString('utf8'),
    bodyLength: stored.body.length,
  }
}
