import type { MessageType, WebhookConfig } from '@lorahooks/core'

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
}

/** What a webhook write decides, given the stored row (undefined when new). */
export type WebhookWrite =
  | { action: 'write'; config: WebhookConfig; resetHealth?: boolean }
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
  /** undefined when the webhook was deleted since the message was accepted. */
  webhook?: { config: WebhookConfig; updatedAt: string }
  createdAt: number
}

export interface AttemptOutcome {
  id: number
  leaseToken: string
  status?: number
  error?: string
}

export interface RetryOutcome extends AttemptOutcome {
  nextAttemptAt: number
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
