import type {
  AcceptResult,
  AttemptLogRow,
  AttemptRecord,
  DeliveryFilter,
  HealthPolicy,
  QueueStats,
  RetentionPolicy,
  ApiKeyRow,
  ApplicationRow,
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryRow,
  DeviceRow,
  DownlinkQueueItem,
  NewMessage,
  WebhookRow,
  WebhookWrite,
} from './types.js'

/**
 * Everything lorahooks keeps, behind one dialect-free interface. The SQLite implementation is
 * the embedded default; a PostgreSQL one can implement the same methods.
 */
export interface Store {
  close(): void

  createApplication(row: ApplicationRow): Promise<void>
  getApplication(applicationId: string): Promise<ApplicationRow | undefined>
  listApplications(): Promise<ApplicationRow[]>
  /** Deletes the application with its devices, keys, webhooks and queued work. */
  deleteApplication(applicationId: string): Promise<boolean>

  createDevice(row: DeviceRow): Promise<void>
  getDevice(applicationId: string, deviceId: string): Promise<DeviceRow | undefined>
  listDevices(applicationId: string): Promise<DeviceRow[]>
  deleteDevice(applicationId: string, deviceId: string): Promise<boolean>

  createApiKey(row: ApiKeyRow): Promise<void>
  getApiKey(id: string): Promise<ApiKeyRow | undefined>
  listApiKeys(applicationId: string | null): Promise<ApiKeyRow[]>
  updateApiKey(row: ApiKeyRow): Promise<void>
  deleteApiKey(id: string): Promise<boolean>

  getWebhook(applicationId: string, webhookId: string): Promise<WebhookRow | undefined>
  listWebhooks(applicationId: string): Promise<WebhookRow[]>
  /**
   * Reads the stored webhook and writes what `decide` returns, atomically. `decide` may throw to
   * refuse the write (nothing is stored then). Returns the row as stored afterwards.
   */
  writeWebhook(
    applicationId: string,
    webhookId: string,
    decide: (existing: WebhookRow | undefined) => WebhookWrite,
    now: string,
  ): Promise<WebhookRow>
  /** Deletes the webhook and cancels its pending deliveries. */
  deleteWebhook(applicationId: string, webhookId: string): Promise<boolean>

  /**
   * Stores messages and one pending delivery per enabled, unpaused webhook of each message's
   * application, in one durable transaction. Messages no webhook takes are counted as accepted
   * and not stored.
   */
  acceptMessages(messages: readonly NewMessage[], now: number): Promise<AcceptResult>

  /**
   * Appends (push) or replaces the device's downlink queue and accepts `queued` messages. With
   * `maxQueueLength`, throws DownlinkQueueFullError (writing nothing) when adding the items
   * would make the queue longer than that.
   */
  enqueueDownlinks(
    applicationId: string,
    deviceId: string,
    items: readonly Record<string, unknown>[],
    mode: 'push' | 'replace',
    queued: readonly NewMessage[],
    now: number,
    maxQueueLength?: number,
  ): Promise<AcceptResult>
  listDownlinks(applicationId: string, deviceId: string): Promise<DownlinkQueueItem[]>

  /**
   * Leases up to `limit` due deliveries, oldest first, leaving out the webhooks named in `skip`
   * (as `application_id/webhook_id`) because the caller has no free slot for them. While some
   * webhooks are left out (skipped or held), the others may share the limit out evenly instead,
   * each still oldest first.
   */
  claimDeliveries(
    limit: number,
    leaseMs: number,
    now: number,
    skip?: readonly string[],
  ): Promise<ClaimedDelivery[]>
  /**
   * Writes finished attempts in one transaction: the attempt log rows, each delivery's new
   * state (only if its lease is still ours) and the webhooks' health.
   */
  recordAttempts(records: readonly AttemptRecord[], now: number, health: HealthPolicy): Promise<void>
  getDelivery(
    applicationId: string,
    webhookId: string,
    id: number,
  ): Promise<(DeliveryRow & { attemptLog: AttemptLogRow[] }) | undefined>
  findDeliveries(filter: DeliveryFilter): Promise<DeliveryRow[]>
  /** Queues a finished delivery again; false when it is not finished (or not found). */
  resendDelivery(applicationId: string, webhookId: string, id: number, now: number): Promise<boolean>
  /** Queues every dead letter created at or after `since` again; returns how many. */
  resendFailed(applicationId: string, webhookId: string, since: number, now: number): Promise<number>
  /**
   * Dead-letters the pending deliveries of held webhooks accepted before `cutoff`: they never
   * reach their own last retry. Works in small transactions; returns how many.
   */
  expirePending(cutoff: number, now: number, batchSize: number): Promise<number>
  /** Deletes finished deliveries past the policy, in small transactions; returns how many. */
  purgeFinished(policy: RetentionPolicy, now: number): Promise<number>
  queueStats(): Promise<QueueStats>
  /** Gives claimed but unattempted deliveries back to the queue (graceful shutdown). */
  releaseClaims(outcomes: readonly AttemptOutcome[], now: number): Promise<void>
  /** Returns expired leases to the queue (after a worker crash); returns how many. */
  releaseExpiredLeases(now: number): Promise<number>
  /**
   * Earliest next_attempt_at of a pending delivery later than `after`, if any. Deliveries due
   * by `after` but left unclaimed are held (or skipped), so they are not a reason to wake up.
   */
  nextDueAt(after?: number): Promise<number | undefined>
  listDeliveries(applicationId: string, webhookId: string, limit: number): Promise<DeliveryRow[]>
  countDeliveries(): Promise<Record<string, number>>

  /** A value that changes whenever another connection commits (for cheap wake-up polling). */
  changeCounter(): number
}
