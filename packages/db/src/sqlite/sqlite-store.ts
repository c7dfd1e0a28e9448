import { randomUUID } from 'node:crypto'
import { alreadyExists, enabledMessageTypes, MESSAGE_TYPES } from '@lorahooks/core'
import type { MessageType, WebhookConfig } from '@lorahooks/core'
import { and, asc, count, eq, isNull, sql as drizzleSql } from 'drizzle-orm'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import * as schema from '../schema.js'
import type { Store } from '../store.js'
import type {
  AcceptResult,
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
  SigningSecretChange,
  StoreOptions,
  WebhookRow,
  WebhookWrite,
} from '../types.js'
import { DownlinkQueueFullError } from '../types.js'
import { Checkpointer } from './checkpointer.js'
import { ChunkedInsert } from './chunked-insert.js'
import { WriteQueue } from './write-queue.js'
import { migrateSqlite, openSqlite, type SqliteDatabase } from './open.js'
import { DeliveryLog } from './delivery-log.js'
import { CLAIM_PROBE, PROBE_DUE, TAKE_PROBE_SLOTS } from './delivery-log-sql.js'
import * as sql from './queue-sql.js'
import {
  toApiKeyRow,
  toApplicationRow,
  toDeviceRow,
  toWebhookRow,
  type WebhookRecord,
} from './rows.js'

const { applications, endDevices, apiKeys, webhooks, downlinkQueue } = schema

/** The bit of a message type in `webhooks.enabled_types`. */
export function messageTypeBit(type: MessageType): number {
  return 1 << MESSAGE_TYPES.indexOf(type)
}

function enabledTypesMask(config: WebhookConfig): number {
  return enabledMessageTypes(config).reduce((mask, type) => mask | messageTypeBit(type), 0)
}

/**
 * Up to this many candidate webhooks, a claim that leaves some out reads each candidate's own
 * index; past it, the head of the due queue first (a seek per webhook would cost more).
 */
const FEW_WEBHOOKS = 64

/** SQLite's default automatic checkpoint threshold, in WAL pages. */
const INLINE_CHECKPOINT_PAGES = 1000

/** Webhooks whose parsed configuration a store keeps; past this the cache starts over. */
const MAX_CACHED_CONFIGS = 10_000

const HEALTH_RESET = {
  health: null,
  failedAttempts: 0,
  lastFailedAttemptAt: null,
  lastFailedAttemptDetails: null,
  heldUntil: null,
}

/** A new secret; the current one stays valid until `previousValidUntil` when given. */
function secretColumns(existing: WebhookRow | undefined, change: SigningSecretChange) {
  const keepPrevious = existing?.signingSecret !== undefined && change.previousValidUntil
  return {
    signingSecret: change.secret,
    previousSigningSecret: keepPrevious ? (existing?.signingSecret ?? null) : null,
    previousSecretUntil: keepPrevious ? (change.previousValidUntil ?? null) : null,
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** A row of CLAIMED_DETAILS, read raw: arrays cost less than objects with named fields. */
type ClaimedRow = [
  id: number,
  attempt: number,
  applicationId: string,
  webhookId: string,
  createdAt: number,
  messageId: string,
  messageType: ClaimedDelivery['messageType'],
  deviceId: string,
  devEui: string | null,
  joinEui: string | null,
  devAddr: string | null,
  body: string,
]

interface WebhookIds {
  applicationId: string
  webhookId: string
}

interface ClaimedWebhookRecord {
  /** `application_id/webhook_id` */
  key: string
  config: string
  updatedAt: string
  signingSecret: string | null
  previousSigningSecret: string | null
  previousSecretUntil: string | null
}

export class SqliteStore implements Store {
  private readonly orm: BetterSQLite3Database<typeof schema>
  /** A second connection: PRAGMA data_version only moves for commits of *other* connections. */
  private readonly watcher: SqliteDatabase
  private readonly statements
  private readonly dataVersion
  private readonly log: DeliveryLog
  /** Lookups on every request's path, prepared once instead of per call. */
  private readonly lookups
  private readonly writes: WriteQueue
  /**
   * Parsed webhook configurations by webhook, with the text they were parsed from: claims hand
   * out the same object while the configuration is unchanged, so callers can cache what they
   * derive from it, and it is parsed once, not per delivery.
   */
  private readonly configs = new Map<string, { text: string; config: WebhookConfig }>()
  private readonly checkpointer: Checkpointer | undefined
  private readonly messageInserts: ChunkedInsert
  private readonly deliveryInserts: ChunkedInsert

  constructor(
    private readonly db: SqliteDatabase,
    file: string,
    options: StoreOptions = {},
  ) {
    this.orm = drizzle(db, { schema })
    this.watcher = openSqlite(file, options)
    if (options.checkpoints === 'background' && file !== ':memory:') {
      this.checkpointer = this.checkpointInBackground(file, options)
    }
    this.dataVersion = this.watcher.prepare('PRAGMA data_version').pluck()
    this.messageInserts = new ChunkedInsert(db, sql.INSERT_MESSAGES, sql.MESSAGE_COLUMNS, 'id')
    this.deliveryInserts = new ChunkedInsert(db, sql.INSERT_DELIVERIES, sql.DELIVERY_COLUMNS)
    this.statements = {
      fanOutWebhooks: db.prepare(sql.FAN_OUT_WEBHOOKS).pluck(),
      due: db.prepare(sql.DUE).pluck(),
      dueHead: db.prepare(sql.DUE_HEAD).pluck(),
      heldWebhooks: db.prepare(sql.HELD_WEBHOOKS).pluck(),
      dueHeadSize: db.prepare(sql.DUE_HEAD_SIZE).pluck(),
      unheldWebhooks: db.prepare(sql.UNHELD_WEBHOOKS),
      dueOfWebhook: db.prepare(sql.DUE_OF_WEBHOOK).raw(),
      claimIds: db.prepare(sql.CLAIM_IDS).pluck(),
      claimIdsNoneHeld: db.prepare(sql.CLAIM_IDS_NONE_HELD).pluck(),
      anyHeld: db.prepare(sql.ANY_HELD).pluck(),
      claimedDetails: db.prepare(sql.CLAIMED_DETAILS).raw(),
      claimedWebhooks: db.prepare(sql.CLAIMED_WEBHOOKS),
      markDelivered: db.prepare(sql.MARK_DELIVERED),
      scheduleRetry: db.prepare(sql.SCHEDULE_RETRY),
      markCancelled: db.prepare(sql.MARK_CANCELLED),
      markFailed: db.prepare(sql.MARK_FAILED),
      releaseClaim: db.prepare(sql.RELEASE_CLAIM),
      releaseExpired: db.prepare(sql.RELEASE_EXPIRED),
      expirePending: db.prepare(sql.EXPIRE_PENDING),
      heldWebhookIds: db.prepare(sql.HELD_WEBHOOK_IDS),
      nextDue: db.prepare(sql.NEXT_DUE).pluck(),
      cancelWebhookDeliveries: db.prepare(sql.CANCEL_WEBHOOK_DELIVERIES),
      listDeliveries: db.prepare(sql.LIST_DELIVERIES),
      countDeliveries: db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state'),
      takeProbeSlots: db.prepare(TAKE_PROBE_SLOTS),
      probeDue: db.prepare(PROBE_DUE).pluck(),
      claimProbe: db.prepare(CLAIM_PROBE),
    }
    this.lookups = prepareLookups(this.orm)
    this.writes = new WriteQueue(db)
    this.log = new DeliveryLog(db, this.statements)
  }

  /** Runs `work` in BEGIN IMMEDIATE: writers queue on the lock instead of failing later. */
  private write<T>(work: () => T): T {
    return this.db.transaction(work).immediate()
  }

  /**
   * Like `write`, for the hot paths (accepting messages, claiming, recording attempts): batched
   * with the other writes of this turn, without blocking the event loop on the lock (WriteQueue).
   */
  private writeSoon<T>(work: () => T): Promise<T> {
    return this.writes.write(work)
  }

  /** SQLite checkpoints inline until the thread runs, and again if it ever fails. */
  private checkpointInBackground(file: string, options: StoreOptions): Checkpointer {
    return new Checkpointer({
      file,
      ...(options.checkpointIntervalMs ? { intervalMs: options.checkpointIntervalMs } : {}),
      onReady: () => {
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 0')
      },
      onFailure: (error) => {
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`)
        options.logger?.error({ err: error }, 'background checkpoints failed; checkpointing inline')
      },
    })
  }

  close(): void {
    this.checkpointer?.stop()
    this.watcher.close()
    this.db.close()
  }

  changeCounter(): number {
    return this.dataVersion.get() as number
  }

  async createApplication(row: ApplicationRow): Promise<void> {
    try {
      this.orm.insert(applications).values(row).run()
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw alreadyExists('db', 'application_exists', `application \`${row.applicationId}\` exists`)
    }
  }

  async getApplication(applicationId: string): Promise<ApplicationRow | undefined> {
    const row = this.lookups.application.get({ applicationId })
    return row ? toApplicationRow(row) : undefined
  }

  async listApplications(): Promise<ApplicationRow[]> {
    const rows = this.orm.select().from(applications).orderBy(asc(applications.applicationId)).all()
    return rows.map(toApplicationRow)
  }

  async deleteApplication(applicationId: string): Promise<boolean> {
    return this.write(() => {
      const now = Date.now()
      this.db
        .prepare(
          `UPDATE deliveries SET state = 'cancelled', lease_until = NULL, updated_at = ?
           WHERE application_id = ? AND state IN ('pending', 'inflight')`,
        )
        .run(now, applicationId)
      this.orm.delete(webhooks).where(eq(webhooks.applicationId, applicationId)).run()
      this.orm.delete(apiKeys).where(eq(apiKeys.applicationId, applicationId)).run()
      this.orm.delete(downlinkQueue).where(eq(downlinkQueue.applicationId, applicationId)).run()
      this.orm.delete(endDevices).where(eq(endDevices.applicationId, applicationId)).run()
      const result = this.orm
        .delete(applications)
        .where(eq(applications.applicationId, applicationId))
        .run()
      return result.changes > 0
    })
  }

  async createDevice(row: DeviceRow): Promise<void> {
    try {
      this.orm.insert(endDevices).values(row).run()
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      throw alreadyExists('db', 'device_exists', `end device \`${row.deviceId}\` exists`)
    }
  }

  async getDevice(applicationId: string, deviceId: string): Promise<DeviceRow | undefined> {
    const row = this.lookups.device.get({ applicationId, deviceId })
    return row ? toDeviceRow(row) : undefined
  }

  async listDevices(applicationId: string): Promise<DeviceRow[]> {
    const rows = this.orm
      .select()
      .from(endDevices)
      .where(eq(endDevices.applicationId, applicationId))
      .orderBy(asc(endDevices.deviceId))
      .all()
    return rows.map(toDeviceRow)
  }

  async deleteDevice(applicationId: string, deviceId: string): Promise<boolean> {
    return this.write(() => {
      this.orm
        .delete(downlinkQueue)
        .where(
          and(eq(downlinkQueue.applicationId, applicationId), eq(downlinkQueue.deviceId, deviceId)),
        )
        .run()
      const result = this.orm
        .delete(endDevices)
        .where(and(eq(endDevices.applicationId, applicationId), eq(endDevices.deviceId, deviceId)))
        .run()
      return result.changes > 0
    })
  }

  async createApiKey(row: ApiKeyRow): Promise<void> {
    this.orm.insert(apiKeys).values(row).run()
  }

  async getApiKey(id: string): Promise<ApiKeyRow | undefined> {
    const row = this.lookups.apiKey.get({ id })
    return row ? toApiKeyRow(row) : undefined
  }

  async listApiKeys(applicationId: string | null): Promise<ApiKeyRow[]> {
    const owner =
      applicationId === null ? isNull(apiKeys.applicationId) : eq(apiKeys.applicationId, applicationId)
    const rows = this.orm.select().from(apiKeys).where(owner).orderBy(asc(apiKeys.createdAt)).all()
    return rows.map(toApiKeyRow)
  }

  async updateApiKey(row: ApiKeyRow): Promise<void> {
    this.orm
      .update(apiKeys)
      .set({
        name: row.name ?? null,
        rights: row.rights,
        updatedAt: row.updatedAt,
        expiresAt: row.expiresAt ?? null,
      })
      .where(eq(apiKeys.id, row.id))
      .run()
  }

  async deleteApiKey(id: string): Promise<boolean> {
    return this.orm.delete(apiKeys).where(eq(apiKeys.id, id)).run().changes > 0
  }

  private readWebhook(applicationId: string, webhookId: string): WebhookRow | undefined {
    const record = this.lookups.webhook.get({ applicationId, webhookId })
    return record ? toWebhookRow(record as WebhookRecord) : undefined
  }

  async getWebhook(applicationId: string, webhookId: string): Promise<WebhookRow | undefined> {
    return this.readWebhook(applicationId, webhookId)
  }

  async listWebhooks(applicationId: string): Promise<WebhookRow[]> {
    const records = this.orm
      .select()
      .from(webhooks)
      .where(eq(webhooks.applicationId, applicationId))
      .orderBy(asc(webhooks.webhookId))
      .all()
    return records.map((record) => toWebhookRow(record as WebhookRecord))
  }

  async writeWebhook(
    applicationId: string,
    webhookId: string,
    decide: (existing: WebhookRow | undefined) => WebhookWrite,
    now: string,
  ): Promise<WebhookRow> {
    return this.write(() => {
      const existing = this.readWebhook(applicationId, webhookId)
      const decision = decide(existing)
      if (decision.action === 'keep' && existing) return existing
      if (decision.action === 'keep') throw new Error('keep needs an existing webhook')

      const values = {
        config: JSON.stringify(decision.config),
        enabledTypes: enabledTypesMask(decision.config),
        paused: decision.config.paused === true,
        updatedAt: now,
        ...(decision.resetHealth ? HEALTH_RESET : {}),
        ...(decision.signingSecret ? secretColumns(existing, decision.signingSecret) : {}),
      }
      if (existing) {
        this.orm
          .update(webhooks)
          .set(values)
          .where(and(eq(webhooks.applicationId, applicationId), eq(webhooks.webhookId, webhookId)))
          .run()
        // Reset by hand, a failing webhook drains in order as it does after a successful probe.
        const failing = existing.health === 'unhealthy' || existing.heldUntil !== undefined
        if (decision.resetHealth && failing) this.log.drainRetries(applicationId, webhookId)
      } else {
        this.orm
          .insert(webhooks)
          .values({ applicationId, webhookId, createdAt: now, ...values })
          .run()
      }
      return this.readWebhook(applicationId, webhookId) as WebhookRow
    })
  }

  async deleteWebhook(applicationId: string, webhookId: string): Promise<boolean> {
    return this.write(() => {
      this.statements.cancelWebhookDeliveries.run({ applicationId, webhookId, now: Date.now() })
      const result = this.orm
        .delete(webhooks)
        .where(and(eq(webhooks.applicationId, applicationId), eq(webhooks.webhookId, webhookId)))
        .run()
      return result.changes > 0
    })
  }

  /**
   * The messages and a delivery per fan-out webhook, a few statements per batch: the webhooks are
   * read once per application and message type (nothing else writes during the transaction). A
   * message no webhook takes is acknowledged and not stored: nothing would ever read it, and any
   * key allowed to send uplinks could otherwise fill the disk for the retention period.
   */
  private insertMessages(messages: readonly NewMessage[], now: number): AcceptResult {
    const fanOut = new Map<string, string[]>()
    const webhooksOf = (message: NewMessage): string[] => {
      const { applicationId, messageType } = message
      const key = `${applicationId}/${messageType}`
      let webhookIds = fanOut.get(key)
      if (!webhookIds) {
        const typeBit = messageTypeBit(messageType)
        webhookIds = this.statements.fanOutWebhooks.all({ applicationId, typeBit }) as string[]
        fanOut.set(key, webhookIds)
      }
      return webhookIds
    }
    const delivered = messages.filter((message) => webhooksOf(message).length > 0)
    if (delivered.length === 0) return { messages: messages.length, deliveries: 0 }

    const messageValues: unknown[] = []
    for (const message of delivered) {
      messageValues.push(
        message.messageId,
        message.applicationId,
        message.deviceId,
        message.messageType,
        message.devEui ?? null,
        message.joinEui ?? null,
        message.devAddr ?? null,
        message.body,
        now,
      )
    }
    // AUTOINCREMENT ids only ever grow, so sorted they are in the order the rows were given.
    const rowIds = (this.messageInserts.insert(messageValues) as number[]).sort((a, b) => a - b)

    const deliveryValues: unknown[] = []
    delivered.forEach((message, index) => {
      for (const webhookId of webhooksOf(message)) {
        const { applicationId } = message
        deliveryValues.push(rowIds[index], applicationId, webhookId, 'pending', 0, now, now, now)
      }
    })
    this.deliveryInserts.insert(deliveryValues)
    return { messages: messages.length, deliveries: deliveryValues.length / sql.DELIVERY_COLUMNS }
  }

  async acceptMessages(messages: readonly NewMessage[], now: number): Promise<AcceptResult> {
    if (messages.length === 0) return { messages: 0, deliveries: 0 }
    return this.writeSoon(() => this.insertMessages(messages, now))
  }

  async enqueueDownlinks(
    applicationId: string,
    deviceId: string,
    items: readonly Record<string, unknown>[],
    mode: 'push' | 'replace',
    queued: readonly NewMessage[],
    now: number,
    maxQueueLength?: number,
  ): Promise<AcceptResult> {
    const createdAt = new Date(now).toISOString()
    return this.writeSoon(() => {
      const device = and(
        eq(downlinkQueue.applicationId, applicationId),
        eq(downlinkQueue.deviceId, deviceId),
      )
      if (mode === 'replace') this.orm.delete(downlinkQueue).where(device).run()
      if (maxQueueLength !== undefined && items.length > 0) {
        const [{ length } = { length: 0 }] = this.orm
          .select({ length: count() })
          .from(downlinkQueue)
          .where(device)
          .all()
        if (length + items.length > maxQueueLength) throw new DownlinkQueueFullError(length)
      }
      for (const item of items) {
        this.orm
          .insert(downlinkQueue)
          .values({ applicationId, deviceId, item: JSON.stringify(item), createdAt })
          .run()
      }
      return this.insertMessages(queued, now)
    })
  }

  async listDownlinks(applicationId: string, deviceId: string): Promise<DownlinkQueueItem[]> {
    const rows = this.orm
      .select()
      .from(downlinkQueue)
      .where(
        and(eq(downlinkQueue.applicationId, applicationId), eq(downlinkQueue.deviceId, deviceId)),
      )
      .orderBy(asc(downlinkQueue.id))
      .all()
    return rows.map((row) => ({
      id: row.id,
      item: JSON.parse(row.item) as Record<string, unknown>,
      createdAt: row.createdAt,
    }))
  }

  async claimDeliveries(
    limit: number,
    leaseMs: number,
    now: number,
    skip: readonly string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const skipJson = JSON.stringify(skip)
    // Chosen by a read first: when everything due belongs to busy or held webhooks (a worker
    // polls often under load), nothing takes the write lock. The write re-checks each row.
    const due = this.dueIds(limit, now, skip)
    if (due.length === 0 && this.statements.probeDue.get({ now, skip: skipJson }) === undefined) {
      return []
    }
    const token = randomUUID()
    const leaseUntil = now + leaseMs
    const claimed = await this.writeSoon(() => {
      const probeIds = this.claimProbes(token, leaseUntil, now, skipJson)
      const ids = due.length === 0 ? [] : this.claimIds(due, token, leaseUntil, now)
      return { probeIds, ids }
    })
    const all = [...claimed.probeIds, ...claimed.ids]
    if (all.length === 0) return []
    // Read after the commit: the rows are leased to `token` now, nobody else changes them.
    const rows = this.statements.claimedDetails.all({ ids: JSON.stringify(all) }) as ClaimedRow[]
    const webhooks = this.claimedWebhooks(rows, now)
    const probes = new Set(claimed.probeIds)
    return rows.map((row) => {
      const [id, , applicationId, webhookId] = row
      return toClaimed(row, token, probes.has(id), webhooks.get(`${applicationId}/${webhookId}`))
    })
  }

  /**
   * Up to `limit` due deliveries to claim, without the skipped and held webhooks. With none of
   * those, the oldest: one range of the due index. Otherwise from each other webhook's own
   * index, so that an excluded webhook's backlog (a held one's grows at the head of the queue)
   * costs nothing; with very many webhooks, from the head of the queue, filtered, first.
   */
  private dueIds(limit: number, now: number, skip: readonly string[]): number[] {
    const excluded = new Set(skip)
    for (const key of this.statements.heldWebhooks.all() as string[]) excluded.add(key)
    if (excluded.size === 0) return this.statements.due.all({ now, limit }) as number[]

    const candidates = (this.statements.unheldWebhooks.all() as WebhookIds[]).filter(
      (hook) => !excluded.has(`${hook.applicationId}/${hook.webhookId}`),
    )
    if (candidates.length <= FEW_WEBHOOKS) return this.dueByWebhook(limit, now, candidates)

    const scan = limit + sql.CLAIM_SCAN_ROWS
    const exclude = JSON.stringify([...excluded])
    const ids = this.statements.dueHead.all({ now, limit, scan, exclude }) as number[]
    if (ids.length < limit && this.statements.dueHeadSize.get({ now, scan }) === scan) {
      const taken = new Set(ids)
      for (const id of this.dueByWebhook(limit, now, candidates)) {
        if (ids.length === limit) break
        if (!taken.has(id)) ids.push(id)
      }
    }
    return ids
  }

  /**
   * Up to `limit` due deliveries of these webhooks, each webhook's oldest first, shared out
   * evenly: a share per webhook, then more from those that had more, until none has or the
   * limit is reached. Reads about `limit` rows however long the backlogs are.
   */
  private dueByWebhook(limit: number, now: number, hooks: readonly WebhookIds[]): number[] {
    const ids: number[] = []
    let open = hooks.map((hook) => ({ ...hook, afterDue: -1, afterId: -1 }))
    while (open.length > 0 && ids.length < limit) {
      const share = Math.max(1, Math.floor((limit - ids.length) / open.length))
      const more: typeof open = []
      for (const page of open) {
        const params = { ...page, now, limit: share }
        const rows = this.statements.dueOfWebhook.all(params) as [id: number, due: number][]
        for (const [id] of rows) ids.push(id)
        const last = rows.at(-1)
        if (last && rows.length === share) {
          more.push({ ...page, afterId: last[0], afterDue: last[1] })
        }
      }
      open = more
    }
    return ids.slice(0, limit)
  }

  private claimIds(ids: readonly number[], token: string, leaseUntil: number, now: number) {
    const params = { leaseUntil, token, now, ids: JSON.stringify(ids) }
    const claim = this.statements.anyHeld.get() ? 'claimIds' : 'claimIdsNoneHeld'
    return this.statements[claim].all(params) as number[]
  }

  /** One delivery for each held webhook whose probe is due. */
  private claimProbes(token: string, leaseUntil: number, now: number, skipJson: string) {
    const slots = this.statements.takeProbeSlots.all({
      probeLeaseUntil: leaseUntil,
      now,
      skip: skipJson,
    }) as { applicationId: string; webhookId: string }[]
    const ids: number[] = []
    for (const slot of slots) {
      const row = this.statements.claimProbe.get({ ...slot, leaseUntil, token, now }) as
        | { id: number }
        | undefined
      if (row) ids.push(row.id)
    }
    return ids
  }

  /**
   * The webhook part of a claim, one object for all its deliveries. The configuration is parsed
   * only when its text changed, so callers can cache what they derive from it by identity.
   */
  private claimedWebhooks(
    rows: readonly ClaimedRow[],
    now: number,
  ): Map<string, ClaimedDelivery['webhook']> {
    const ids = new Map<string, [string, string]>()
    for (const [, , applicationId, webhookId] of rows) {
      ids.set(`${applicationId}/${webhookId}`, [applicationId, webhookId])
    }
    const records = this.statements.claimedWebhooks.all({ ids: JSON.stringify([...ids.values()]) })
    const webhooks = new Map<string, ClaimedDelivery['webhook']>()
    for (const record of records as ClaimedWebhookRecord[]) {
      webhooks.set(record.key, this.claimedWebhook(record, now))
    }
    return webhooks
  }

  private claimedWebhook(
    record: ClaimedWebhookRecord,
    now: number,
  ): NonNullable<ClaimedDelivery['webhook']> {
    let cached = this.configs.get(record.key)
    if (cached?.text !== record.config) {
      if (this.configs.size >= MAX_CACHED_CONFIGS) this.configs.clear()
      cached = { text: record.config, config: JSON.parse(record.config) as WebhookConfig }
      this.configs.set(record.key, cached)
    }
    const secrets = record.signingSecret ? [record.signingSecret] : []
    const until = record.previousSecretUntil
    const graceOpen = until !== null && Date.parse(until) > now
    if (record.previousSigningSecret && graceOpen) secrets.push(record.previousSigningSecret)
    return { config: cached.config, updatedAt: record.updatedAt, signingSecrets: secrets }
  }

  /** Applies one conditional statement per outcome, all in one transaction. */
  private async applyOutcomes(
    statement: { run(params: Record<string, unknown>): unknown },
    outcomes: readonly AttemptOutcome[],
    now: number,
  ): Promise<void> {
    if (outcomes.length === 0) return
    await this.writeSoon(() => {
      for (const outcome of outcomes) {
        statement.run({
          id: outcome.id,
          leaseToken: outcome.leaseToken,
          status: outcome.status ?? null,
          error: outcome.error ?? null,
          now,
        })
      }
    })
  }

  async releaseClaims(outcomes: readonly AttemptOutcome[], now: number): Promise<void> {
    await this.applyOutcomes(this.statements.releaseClaim, outcomes, now)
  }

  async recordAttempts(
    records: readonly AttemptRecord[],
    now: number,
    health: HealthPolicy,
  ): Promise<void> {
    if (records.length === 0) return
    await this.writeSoon(() => this.log.record(records, now, health))
  }

  async getDelivery(applicationId: string, webhookId: string, id: number) {
    return this.log.getDelivery(applicationId, webhookId, id)
  }

  async findDeliveries(filter: DeliveryFilter) {
    return this.log.find(filter)
  }

  async resendDelivery(applicationId: string, webhookId: string, id: number, now: number) {
    return this.write(() => this.log.resendOne(applicationId, webhookId, id, now))
  }

  async resendFailed(applicationId: string, webhookId: string, since: number, now: number) {
    return this.write(() => this.log.resendFailed(applicationId, webhookId, since, now))
  }

  async expirePending(cutoff: number, now: number, batchSize: number): Promise<number> {
    const error = 'expired: not delivered within the maximum age'
    let expired = 0
    for (const hook of this.statements.heldWebhookIds.all() as WebhookIds[]) {
      for (;;) {
        const params = { ...hook, cutoff, now, error, limit: batchSize }
        const batch = await this.writeSoon(() => this.statements.expirePending.run(params).changes)
        expired += batch
        if (batch < batchSize) break
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    return expired
  }

  async purgeFinished(policy: RetentionPolicy, now: number): Promise<number> {
    let purged = 0
    // Counted once a pass, not per batch: a count reads every finished delivery.
    let excess = this.log.countFinished() - policy.maxFinished
    for (;;) {
      const batch = await this.writeSoon(() => {
        const ids = this.log.nextPurgeBatch(policy, now, excess)
        if (ids.length > 0) this.log.deleteBatch(ids, policy, now)
        return ids.length
      })
      purged += batch
      excess -= batch
      if (batch < policy.batchSize) return purged
      // Let the API and the worker take the write lock between batches.
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  async queueStats(): Promise<QueueStats> {
    return this.log.stats()
  }

  async releaseExpiredLeases(now: number): Promise<number> {
    return this.write(() => this.statements.releaseExpired.run({ now }).changes)
  }

  async nextDueAt(after = Number.MIN_SAFE_INTEGER): Promise<number | undefined> {
    const value = this.statements.nextDue.get({ after }) as number | null
    return value ?? undefined
  }

  async listDeliveries(
    applicationId: string,
    webhookId: string,
    limit: number,
  ): Promise<DeliveryRow[]> {
    const rows = this.statements.listDeliveries.all({ applicationId, webhookId, limit })
    return (rows as Record<string, unknown>[]).map((row) => {
      const out: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(row)) if (value !== null) out[key] = value
      return out as unknown as DeliveryRow
    })
  }

  async countDeliveries(): Promise<Record<string, number>> {
    const rows = this.statements.countDeliveries.all() as { state: string; n: number }[]
    return Object.fromEntries(rows.map((row) => [row.state, row.n]))
  }
}

function prepareLookups(orm: BetterSQLite3Database<typeof schema>) {
  const param = (name: string) => drizzleSql.placeholder(name)
  return {
    application: orm
      .select()
      .from(applications)
      .where(eq(applications.applicationId, param('applicationId')))
      .prepare(),
    device: orm
      .select()
      .from(endDevices)
      .where(
        and(
          eq(endDevices.applicationId, param('applicationId')),
          eq(endDevices.deviceId, param('deviceId')),
        ),
      )
      .prepare(),
    apiKey: orm.select().from(apiKeys).where(eq(apiKeys.id, param('id'))).prepare(),
    webhook: orm
      .select()
      .from(webhooks)
      .where(
        and(
          eq(webhooks.applicationId, param('applicationId')),
          eq(webhooks.webhookId, param('webhookId')),
        ),
      )
      .prepare(),
  }
}

function toClaimed(
  row: ClaimedRow,
  leaseToken: string,
  probe: boolean,
  webhook: ClaimedDelivery['webhook'],
): ClaimedDelivery {
  const [id, attempt, applicationId, webhookId, createdAt, messageId, messageType] = row
  const [, , , , , , , deviceId, devEui, joinEui, devAddr, body] = row
  // Built field by field: deleting absent ones would slow every later access to the object.
  const claimed: ClaimedDelivery = {
    id,
    leaseToken,
    attempt,
    applicationId,
    webhookId,
    messageId,
    messageType,
    deviceId,
    body,
    probe,
    createdAt,
  }
  if (devEui !== null) claimed.devEui = devEui
  if (joinEui !== null) claimed.joinEui = joinEui
  if (devAddr !== null) claimed.devAddr = devAddr
  if (webhook) claimed.webhook = webhook
  return claimed
}

/** Opens (creating and migrating as needed) the SQLite database in `file`. */
export function openSqliteStore(file: string, options: StoreOptions = {}): SqliteStore {
  const db = openSqlite(file, options)
  migrateSqlite(db)
  return new SqliteStore(db, file, options)
}
