/** The hot-path statements of the delivery queue, kept together so they are easy to review. */

/** Multi-row inserts (see ChunkedInsert): the VALUES follow, a row of `?` per message. */
export const INSERT_MESSAGES = `
  INSERT INTO messages (message_id, application_id, device_id, message_type, dev_eui, join_eui,
    dev_addr, body, accepted_at)`
export const MESSAGE_COLUMNS = 9

/** The webhooks a message of one type fans out to: enabled for the type and not paused. */
export const FAN_OUT_WEBHOOKS = `
  SELECT webhook_id FROM webhooks
  WHERE application_id = @applicationId AND paused = 0 AND (enabled_types & @typeBit) != 0
  ORDER BY webhook_id`

/** One delivery per message and fan-out webhook, inserted like INSERT_MESSAGES. */
export const INSERT_DELIVERIES = `
  INSERT INTO deliveries (message_row_id, application_id, webhook_id, state, attempts,
    next_attempt_at, created_at, updated_at)`
export const DELIVERY_COLUMNS = 8

/** Rows past the limit a claim looks at in the due queue before searching webhook by webhook. */
export const CLAIM_SCAN_ROWS = 512

/** The oldest due deliveries, when no webhook is held or skipped: one range of the due index. */
export const DUE = `
  SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= @now
  ORDER BY next_attempt_at, id LIMIT @limit`

/**
 * The head of the due queue without the @exclude webhooks (skipped and held, as
 * `application_id/webhook_id`). Only the first @scan due rows are looked at, so a long backlog of
 * an excluded webhook costs a bounded scan. A read: an empty answer (everything due belongs to
 * busy or held webhooks) then costs no write transaction.
 */
export const DUE_HEAD = `
  SELECT id FROM (
    SELECT id, application_id, webhook_id, next_attempt_at FROM deliveries
    WHERE state = 'pending' AND next_attempt_at <= @now
    ORDER BY next_attempt_at, id LIMIT @scan)
  WHERE application_id || '/' || webhook_id NOT IN (SELECT value FROM json_each(@exclude))
  ORDER BY next_attempt_at, id
  LIMIT @limit`

/** How many due rows there are, up to @scan: @scan means there may be more behind the head. */
export const DUE_HEAD_SIZE = `
  SELECT count(*) FROM (
    SELECT 1 FROM deliveries WHERE state = 'pending' AND next_attempt_at <= @now LIMIT @scan)`

export const HELD_WEBHOOKS = `
  SELECT application_id || '/' || webhook_id FROM webhooks WHERE held_until IS NOT NULL`

export const UNHELD_WEBHOOKS = `
  SELECT application_id AS applicationId, webhook_id AS webhookId FROM webhooks
  WHERE held_until IS NULL`

/** A webhook's due deliveries in order, after (@afterDue, @afterId): its own index, paged. */
export const DUE_OF_WEBHOOK = `
  SELECT id, next_attempt_at FROM deliveries
  WHERE application_id = @applicationId AND webhook_id = @webhookId AND state = 'pending'
    AND next_attempt_at <= @now AND (next_attempt_at, id) > (@afterDue, @afterId)
  ORDER BY next_attempt_at, id LIMIT @limit`

const CLAIM = `
  UPDATE deliveries
  SET state = 'inflight', lease_until = @leaseUntil, lease_token = @token,
    attempts = attempts + 1, updated_at = @now
  WHERE id IN (SELECT value FROM json_each(@ids)) AND state = 'pending'`

/**
 * Leases the deliveries chosen by a read just before: any another worker took meanwhile, or whose
 * webhook was held meanwhile, are left out.
 */
export const CLAIM_IDS = `${CLAIM}
    AND NOT EXISTS (
      SELECT 1 FROM webhooks w
      WHERE w.application_id = deliveries.application_id
        AND w.webhook_id = deliveries.webhook_id AND w.held_until IS NOT NULL)
  RETURNING id`

/** CLAIM_IDS when no webhook is held (checked in the same transaction): no lookup per row. */
export const CLAIM_IDS_NONE_HELD = `${CLAIM}
  RETURNING id`

export const ANY_HELD = `SELECT EXISTS (SELECT 1 FROM webhooks WHERE held_until IS NOT NULL)`

/**
 * The claimed deliveries with their messages; their webhooks are read once each (below). Read
 * raw: the column order is the ClaimedRow tuple's.
 */
export const CLAIMED_DETAILS = `
  SELECT d.id, d.attempts AS attempt, d.application_id AS applicationId,
    d.webhook_id AS webhookId, d.created_at AS createdAt, m.message_id AS messageId,
    m.message_type AS messageType, m.device_id AS deviceId, m.dev_eui AS devEui,
    m.join_eui AS joinEui, m.dev_addr AS devAddr, m.body
  FROM deliveries d
  JOIN messages m ON m.id = d.message_row_id
  WHERE d.id IN (SELECT value FROM json_each(@ids))
  ORDER BY d.next_attempt_at, d.id`

/** The webhooks of a claim, once each: @ids is a JSON array of [applicationId, webhookId]. */
export const CLAIMED_WEBHOOKS = `
  SELECT application_id || '/' || webhook_id AS key, config, updated_at AS updatedAt,
    signing_secret AS signingSecret, previous_signing_secret AS previousSigningSecret,
    previous_secret_until AS previousSecretUntil
  FROM webhooks
  WHERE (application_id, webhook_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@ids))`

export const MARK_DELIVERED = `
  UPDATE deliveries
  SET state = 'delivered', lease_until = NULL, last_status = @status, last_error = NULL,
    updated_at = @now
  WHERE id = @id AND lease_token = @leaseToken AND state = 'inflight'`

export const SCHEDULE_RETRY = `
  UPDATE deliveries
  SET state = 'pending', lease_until = NULL, next_attempt_at = @nextAttemptAt,
    last_status = @status, last_error = @error, updated_at = @now
  WHERE id = @id AND lease_token = @leaseToken AND state = 'inflight'`

export const MARK_CANCELLED = `
  UPDATE deliveries
  SET state = 'cancelled', lease_until = NULL, last_error = @error, updated_at = @now
  WHERE id = @id AND lease_token = @leaseToken AND state = 'inflight'`

export const MARK_FAILED = `
  UPDATE deliveries
  SET state = 'failed', lease_until = NULL, last_status = @status, last_error = @error,
    updated_at = @now
  WHERE id = @id AND lease_token = @leaseToken AND state = 'inflight'`

export const RELEASE_CLAIM = `
  UPDATE deliveries
  SET state = 'pending', lease_until = NULL, lease_token = NULL, attempts = attempts - 1,
    updated_at = @now
  WHERE id = @id AND lease_token = @leaseToken AND state = 'inflight'`

/**
 * One held webhook's pending deliveries accepted before @cutoff: other deliveries reach their
 * last retry by themselves (or wait for a worker that was down). Read through the webhook's
 * pending index: the history can be long, and other webhooks' backlogs are not looked at.
 */
export const EXPIRE_PENDING = `
  UPDATE deliveries
  SET state = 'failed', lease_until = NULL, lease_token = NULL, last_error = @error,
    updated_at = @now
  WHERE id IN (
    SELECT id FROM deliveries INDEXED BY deliveries_webhook_pending
    WHERE application_id = @applicationId AND webhook_id = @webhookId AND state = 'pending'
      AND created_at < @cutoff
    LIMIT @limit)`

export const HELD_WEBHOOK_IDS = `
  SELECT application_id AS applicationId, webhook_id AS webhookId FROM webhooks
  WHERE held_until IS NOT NULL`

export const RELEASE_EXPIRED = `
  UPDATE deliveries
  SET state = 'pending', lease_until = NULL, lease_token = NULL, updated_at = @now
  WHERE state = 'inflight' AND lease_until < @now`

/** The next time a pending delivery falls due after `after`; earlier ones are held or taken. */
export const NEXT_DUE = `
  SELECT min(next_attempt_at) FROM deliveries WHERE state = 'pending' AND next_attempt_at > @after`

export const CANCEL_WEBHOOK_DELIVERIES = `
  UPDATE deliveries SET state = 'cancelled', lease_until = NULL, updated_at = @now
  WHERE application_id = @applicationId AND webhook_id = @webhookId
    AND state IN ('pending', 'inflight')`

export const LIST_DELIVERIES = `
  SELECT d.id, d.application_id AS applicationId, d.webhook_id AS webhookId,
    m.message_id AS messageId, m.message_type AS messageType, m.device_id AS deviceId, d.state,
    d.attempts, d.next_attempt_at AS nextAttemptAt, d.last_status AS lastStatus,
    d.last_error AS lastError, d.created_at AS createdAt, d.updated_at AS updatedAt
  FROM deliveries d JOIN messages m ON m.id = d.message_row_id
  WHERE d.application_id = @applicationId AND d.webhook_id = @webhookId
  ORDER BY d.id DESC LIMIT @limit`
