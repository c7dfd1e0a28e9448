import type { Logger, MessageType, WebhookConfig } from '@lorahooks/core'

export interface ApplicationRow {
  applicationId: string
  name?: string
  description?: string
  createdAt: string
  updatedAt: string
}

export interface DeviceRow {
  applicationId: string
  deviceId: string
  name?: string
  description?: string
  devEui?: string
  joinEui?: string
  devAddr?: string
  createdAt: string
  updatedAt: string
}

export interface ApiKeyRow {
  id: string
  /** null for admin keys. */
  applicationId: string | null
  name?: string
  rights: string[]
  secretHash: string
  createdAt: string
  updatedAt: string
  expiresAt?: string
}

export type WebhookHealth = 'healthy' | 'unhealthy'

export interface WebhookRow {
  applicationId: string
  webhookId: string
  config: WebhookConfig
  createdAt: string
  updatedAt: string
  health?: WebhookHealth
  failedAttempts: number
  lastFailedAttemptAt?: string
  lastFailedAttemptDetails?: Record<string, unknown>
  /** Epoch ms until which the webhook is held (unhealthy, or a probe is in flight). */
  heldUntil?: number
  signingSecret?: string
  previousSigningSecret?: string
  previousSecretUntil?: string
}

export interface SigningSecretChange {
  secret: string
  /** Keep the current secret valid (signatures sent with both) until then; ISO time. */
  previousValidUntil?: string
}

/** What a webhook write decides, given the stored row (undefined when new). */
export type WebhookWrite =
  | {
      action: 'write'
      config: WebhookConfig
      resetHealth?: boolean
      /** Sets (on create) or rotates the signing secret. */
      signingSecret?: SigningSecretChange
    }
  | { action: 'keep' }

/** An application message ready to be stored as accepted. */
export interface NewMessage {
  messageId: string
  applicationId: string
  deviceId: string
  messageType: MessageType
  devEui?: string
  joinEui?: string
  devAddr?: string
  /** Canonical TTS JSON of the ApplicationUp. */
  body: string
}

export interface AcceptResult {
  messages: number
  deliveries: number
}

/**
 * Thrown by `enqueueDownlinks` when a push would make the device's queue longer than its
 * maximum; nothing was written. Checked inside the write, so concurrent pushes cannot pass it.
 */
export class DownlinkQueueFullError extends Error {
  constructor(readonly queueLength: number) {
    super(`the downlink queue holds ${queueLength} items`)
    this.name = 'DownlinkQueueFullError'
  }
}

export interface DownlinkQueueItem {
  id: number
  item: Record<string, unknown>
  createdAt: string
}

/** A delivery claimed by a worker, with everything needed to attempt it. */
export interface ClaimedDelivery {
  id: number
  leaseToken: string
  attempt: number
  applicationId: string
  webhookId: string
  messageId: string
  messageType: MessageType
  deviceId: string
  devEui?: string
  joinEui?: string
  devAddr?: string
  body: string
  /**
   * undefined when the webhook was deleted since the message was accepted. Shared by the
   * deliveries of the same webhook (the configuration across claims, while unchanged): read only.
   */
  webhook?: {
    config: WebhookConfig
    updatedAt: string
    /** Secrets to sign with: the current one first, then one still in its grace period. */
    signingSecrets: string[]
  }
  /** Claimed as the single probe of an unhealthy webhook. */
  probe: boolean
  createdAt: number
}

export interface AttemptOutcome {
  id: number
  leaseToken: string
  status?: number
  error?: string
}

export type DeliveryState = 'pending' | 'inflight' | 'delivered' | 'failed' | 'cancelled'

export interface DeliveryRow {
  id: number
  applicationId: string
  webhookId: string
  messageId: string
  messageType: string
  deviceId: string
  state: DeliveryState
  attempts: number
  nextAttemptAt: number
  lastStatus?: number
  lastError?: string
  createdAt: number
  updatedAt: number
}

/** Health rules: after `threshold` consecutive failures a webhook is held for `retryIntervalMs`
 * between probes. */
export interface HealthPolicy {
  threshold: number
  retryIntervalMs: number
}

export type AttemptOutcomeKind = 'delivered' | 'retry' | 'failed' | 'cancelled'

/** One finished attempt, with what it means for its delivery and its webhook. */
export interface AttemptRecord {
  deliveryId: number
  leaseToken: string
  applicationId: string
  webhookId: string
  attempt: number
  startedAt: number
  url: string
  status?: number
  durationMs: number
  error?: string
  responseExcerpt?: string
  outcome: AttemptOutcomeKind
  /** With outcome 'retry'. */
  nextAttemptAt?: number
  /** Whether the result says something about the endpoint (false for cancellations). */
  affectsHealth: boolean
  /** Error details stored in the webhook's health_status when this attempt failed. */
  failureDetails?: Record<string, unknown>
}

export interface AttemptLogRow {
  attempt: number
  startedAt: number
  url: string
  status?: number
  durationMs: number
  error?: string
  responseExcerpt?: string
}

export interface DeliveryFilter {
  applicationId: string
  webhookId: string
  state?: DeliveryState
  deviceId?: string
  /** Epoch ms, inclusive: created at or after. */
  since?: number
  /** Epoch ms, exclusive: created before. */
  until?: number
  /** Return deliveries with an id lower than this (pagination, newest first). */
  before?: number
  limit: number
}

export interface RetentionPolicy {
  /** Finished deliveries older than this are purged. */
  maxAgeMs: number
  /** At most this many finished deliveries are kept. */
  maxFinished: number
  /** Rows deleted per transaction, so purging never holds the write lock for long. */
  batchSize: number
}

/**
 * How hard a connection's commits are made durable. `full` fsyncs every commit, so it survives a
 * power cut. `relaxed` (SQLite synchronous=NORMAL in WAL mode) survives a process crash but may
 * lose the last commits to a power cut; the database stays consistent either way.
 */
export type Durability = 'full' | 'relaxed'

/**
 * Where SQLite copies the write-ahead log into the database file. 'inline' is SQLite's own way:
 * inside the commit that fills the log, blocking that caller for the copy and a file sync.
 * 'background' runs the checkpoints on a thread of the store's own instead; the apps use it.
 */
export type Checkpoints = 'inline' | 'background'

export interface StoreOptions {
  /** Default 'full'. */
  durability?: Durability
  /** Default 'inline'. In-memory databases always checkpoint inline. */
  checkpoints?: Checkpoints
  /** For 'background': how often the thread checkpoints (default 250 ms). */
  checkpointIntervalMs?: number
  /** Told when the background checkpoints stop working and inline ones take over. */
  logger?: Logger
}

export interface QueueStats {
  pending: number
  inflight: number
  failed: number
  oldestPendingAt?: number
  unhealthyWebhooks: number
}
