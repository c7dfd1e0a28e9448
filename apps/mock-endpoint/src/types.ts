export interface MockEndpointOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Defaults to 127.0.0.1. */
  host?: string
  /** false = count only (bench mode); defaults to true. */
  record?: boolean
  /** Recorded requests kept; the oldest are dropped first. Defaults to 10000. */
  maxRecords?: number
}

export interface RecordedRequest {
  seq: number
  receivedAt: string
  method: string
  /** Raw request target, e.g. /hooks/up?x=1 */
  target: string
  /** Raw header pairs in arrival order, names as sent. */
  headers: [string, string][]
  /** Base64 of the raw body bytes. */
  body: string
  bodyText: string
  bodyLength: number
}

export interface DownlinkReply {
  downlinks: unknown[]
}

export interface ResponseSpec {
  status?: number
  delayMs?: number
  headers?: Record<string, string>
  body?: string
  /** Send this many filler bytes, chunked and streamed. */
  bodyBytes?: number
  /** Never answer. */
  hang?: boolean
  /** Close the socket without answering. */
  destroy?: boolean
  /** After answering, POST this to X-Downlink-Push with Bearer <X-Downlink-Apikey>. */
  downlink?: DownlinkReply
}

export interface Behavior {
  /** Exact path without query, or a prefix if it ends with '*'. */
  path: string
  /** Used in order; the last one repeats. */
  responses: ResponseSpec[]
}

export interface DownlinkResult {
  seq: number
  url: string
  status: number | null
  error?: string
  body?: string
}

export interface RequestFilter {
  /** Exact path without query, or a prefix if it ends with '*'. */
  path?: string
  /** Only requests with a sequence number greater than this. */
  since?: number
}

export interface MockEndpointStats {
  count: number
  byPath: Record<string, number>
}

export interface MockEndpoint {
  url: string
  port: number
  close(): Promise<void>
  requests(filter?: RequestFilter): RecordedRequest[]
  count(): number
  clear(): void
  setBehavior(b: Behavior): void
  resetBehaviors(): void
  downlinkResults(): DownlinkResult[]
  stats(): MockEndpointStats
  /** Resolves true once count() >= target, false after timeoutMs. */
  waitForCount(target: number, timeoutMs: number): Promise<boolean>
}
