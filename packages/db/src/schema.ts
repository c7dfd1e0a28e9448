import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const applications = sqliteTable('applications', {
  applicationId: text('application_id').primaryKey(),
  name: text('name'),
  description: text('description'),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
})

export const endDevices = sqliteTable(
  'end_devices',
  {
    applicationId: text('application_id').notNull(),
    deviceId: text('device_id').notNull(),
    name: text('name'),
    description: text('description'),
    devEui: text('dev_eui'),
    joinEui: text('join_eui'),
    devAddr: text('dev_addr'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.applicationId, table.deviceId] })],
)

/** API keys: the id is stored in clear (lookup), only a slow hash of the secret. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    /** null for admin keys, which are not bound to an application. */
    applicationId: text('application_id'),
    name: text('name'),
    rights: text('rights', { mode: 'json' }).$type<string[]>().notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    expiresAt: text('expires_at'),
  },
  (table) => [index('api_keys_application').on(table.applicationId)],
)

export const webhooks = sqliteTable(
  'webhooks',
  {
    applicationId: text('application_id').notNull(),
    webhookId: text('webhook_id').notNull(),
    /** The owner's configuration (TTS JSON of the configurable fields). */
    config: text('config').notNull(),
    /** Bit i set when MESSAGE_TYPES[i] is enabled: lets fan-out filter in SQL. */
    enabledTypes: integer('enabled_types').notNull(),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** Health, written by the worker: null (pending), 'healthy' or 'unhealthy'. */
    health: text('health'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lastFailedAttemptAt: text('last_failed_attempt_at'),
    lastFailedAttemptDetails: text('last_failed_attempt_details'),
    /** Epoch ms until which an unhealthy webhook gets no attempts (a probe holds it too). */
    heldUntil: integer('held_until'),
    /** Standard Webhooks secret (`whsec_…`); the previous one stays valid for a grace period. */
    signingSecret: text('signing_secret'),
    previousSigningSecret: text('previous_signing_secret'),
    previousSecretUntil: text('previous_secret_until'),
  },
  (table) => [primaryKey({ columns: [table.applicationId, table.webhookId] })],
)

/** Accepted application messages, stored as canonical TTS JSON. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The ULID receivers see as the message (and delivery) ID. */
    messageId: text('message_id').notNull(),
    applicationId: text('application_id').notNull(),
    deviceId: text('device_id').notNull(),
    messageType: text('message_type').notNull(),
    /** Registry identifiers at acceptance, for URL templates without parsing the body. */
    devEui: text('dev_eui'),
    joinEui: text('join_eui'),
    devAddr: text('dev_addr'),
    body: text('body').notNull(),
    acceptedAt: integer('accepted_at').notNull(),
  },
  (table) => [index('messages_accepted_at').on(table.acceptedAt)],
)

/** One row per (message, webhook): the delivery queue and its outcome. */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageRowId: integer('message_row_id').notNull(),
    applicationId: text('application_id').notNull(),
    webhookId: text('webhook_id').notNull(),
    /** pending | inflight | delivered | failed | cancelled */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseUntil: integer('lease_until'),
    leaseToken: text('lease_token'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    index('deliveries_ready')
      .on(table.nextAttemptAt, table.id)
      .where(sql`state = 'pending'`),
    index('deliveries_leased')
      .on(table.leaseUntil)
      .where(sql`state = 'inflight'`),
    index('deliveries_webhook').on(table.applicationId, table.webhookId, table.id),
    index('deliveries_webhook_pending')
      .on(table.applicationId, table.webhookId, table.nextAttemptAt, table.id)
      .where(sql`state = 'pending'`),
    index('deliveries_message').on(table.messageRowId),
    index('deliveries_dead')
      .on(table.applicationId, table.webhookId, table.updatedAt)
      .where(sql`state = 'failed'`),
    index('deliveries_finished')
      .on(table.updatedAt)
      .where(sql`state IN ('delivered', 'failed', 'cancelled')`),
  ],
)

/** Every attempt of every delivery: the attempt log. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    startedAt: integer('started_at').notNull(),
    url: text('url').notNull(),
    status: integer('status'),
    durationMs: real('duration_ms').notNull(),
    error: text('error'),
    /** The first bytes of the response body. */
    responseExcerpt: text('response_excerpt'),
  },
  (table) => [index('delivery_attempts_delivery').on(table.deliveryId, table.attempt)],
)

/** The downlink queue of each device, in push order. */
export const downlinkQueue = sqliteTable(
  'downlink_queue',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: text('application_id').notNull(),
    deviceId: text('device_id').notNull(),
    item: text('item').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('downlink_queue_device').on(table.applicationId, table.deviceId, table.id)],
)
