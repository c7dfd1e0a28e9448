/** Statements of the attempt log, webhook health, probes, listing and retention. */

/**
 * Held webhooks whose probe is due and that have pending work, except those the claimer has no
 * slot for: the probe slot is taken. While held, a retry's own schedule does not matter: the
 * probe interval paces the attempts.
 */
export const TAKE_PROBE_SLOTS = `
  UPDATE webhooks SET held_until = @probeLeaseUntil
  WHERE held_until IS NOT NULL AND held_until <= @now
    AND application_id || '/' || webhook_id NOT IN (SELECT value FROM json_each(@skip))
    AND EXISTS (
      SELECT 1 FROM deliveries d
      WHERE d.application_id = webhooks.application_id AND d.webhook_id = webhooks.webhook_id
        AND d.state = 'pending')
  RETURNING application_id AS applicationId, webhook_id AS webhookId`

/**
 * The probe is the oldest pending delivery, so a recovered webhook drains in accepted order.
 * The pending index is named: by id alone SQLite would walk the webhook's finished history.
 */
export const CLAIM_PROBE = `
  UPDATE deliveries
  SET state = 'inflight', lease_until = @leaseUntil, lease_token = @token,
    attempts = attempts + 1, updated_at = @now
  WHERE id = (
    SELECT id FROM deliveries INDEXED BY deliveries_webhook_pending
    WHERE application_id = @applicationId AND webhook_id = @webhookId AND state = 'pending'
    ORDER BY id LIMIT 1)
  RETURNING id`

/** Whether a claim would find a probe to take: lets an empty claim skip the write lock. */
export const PROBE_DUE = `
  SELECT 1 FROM webhooks
  WHERE held_until IS NOT NULL AND held_until <= @now
    AND application_id || '/' || webhook_id NOT IN (SELECT value FROM json_each(@skip))
    AND EXISTS (
      SELECT 1 FROM deliveries d
      WHERE d.application_id = webhooks.application_id AND d.webhook_id = webhooks.webhook_id
        AND d.state = 'pending')
  LIMIT 1`

/** Of the webhooks in @ids (a JSON array of [applicationId, webhookId]), the held ones. */
export const HELD_AMONG = `
  SELECT application_id AS applicationId, webhook_id AS webhookId FROM webhooks
  WHERE held_until IS NOT NULL
    AND (application_id, webhook_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@ids))`

/**
 * When a held webhook recovers, its backed-off retries fall due at once, ordered as they were
 * accepted (claims order by next_attempt_at, id).
 */
export const DRAIN_HELD_RETRIES = `
  UPDATE deliveries SET next_attempt_at = created_at
  WHERE application_id = @applicationId AND webhook_id = @webhookId AND state = 'pending'
    AND next_attempt_at > created_at`

/**
 * A success makes its webhook healthy: one statement for the webhooks of @ids (as HELD_AMONG),
 * writing only those where that changes something.
 */
export const WEBHOOKS_SUCCEEDED = `
  UPDATE webhooks SET health = 'healthy', failed_attempts = 0, held_until = NULL
  WHERE (application_id, webhook_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@ids))
    AND (health IS NULL OR health != 'healthy' OR failed_attempts != 0 OR held_until IS NOT NULL)`

/** `failures` consecutive failures; past the threshold the webhook is held until a probe. */
export const WEBHOOK_FAILED = `
  UPDATE webhooks SET
    health = 'unhealthy',
    failed_attempts = (CASE WHEN health = 'unhealthy' THEN failed_attempts ELSE 0 END) + @failures,
    last_failed_attempt_at = @failedAt,
    last_failed_attempt_details = @details,
    held_until = CASE
      WHEN @threshold > 0 AND
        (CASE WHEN health = 'unhealthy' THEN failed_attempts ELSE 0 END) + @failures >= @threshold
      THEN @heldUntil ELSE held_until END
  WHERE application_id = @applicationId AND webhook_id = @webhookId`

/**
 * The delivered attempts of a flush that share a lease token and status (all but a few under
 * load), at once: @ids is a JSON array of delivery ids.
 */
export const MARK_ALL_DELIVERED = `
  UPDATE deliveries
  SET state = 'delivered', lease_until = NULL, last_status = @status, last_error = NULL,
    updated_at = @now
  WHERE id IN (SELECT value FROM json_each(@ids)) AND lease_token = @leaseToken
    AND state = 'inflight'`

/** Inserts `rows` attempt rows in one statement (8 positional parameters each). */
/** Multi-row insert (see ChunkedInsert): the VALUES follow, a row of `?` per attempt. */
export const INSERT_ATTEMPTS = `
  INSERT INTO delivery_attempts (delivery_id, attempt, started_at, url, status, duration_ms,
    error, response_excerpt)`
export const ATTEMPT_COLUMNS = 8

export const GET_DELIVERY = `
  SELECT d.id, d.application_id AS applicationId, d.webhook_id AS webhookId,
    m.message_id AS messageId, m.message_type AS messageType, m.device_id AS deviceId, d.state,
    d.attempts, d.next_attempt_at AS nextAttemptAt, d.last_status AS lastStatus,
    d.last_error AS lastError, d.created_at AS createdAt, d.updated_at AS updatedAt
  FROM deliveries d JOIN messages m ON m.id = d.message_row_id
  WHERE d.id = @id AND d.application_id = @applicationId AND d.webhook_id = @webhookId`

export const LIST_ATTEMPTS = `
  SELECT attempt, started_at AS startedAt, url, status, duration_ms AS durationMs, error,
    response_excerpt AS responseExcerpt
  FROM delivery_attempts WHERE delivery_id = @id ORDER BY attempt, id`

export const FILTER_DELIVERIES = `
  SELECT d.id, d.application_id AS applicationId, d.webhook_id AS webhookId,
    m.message_id AS messageId, m.message_type AS messageType, m.device_id AS deviceId, d.state,
    d.attempts, d.next_attempt_at AS nextAttemptAt, d.last_status AS lastStatus,
    d.last_error AS lastError, d.created_at AS createdAt, d.updated_at AS updatedAt
  FROM deliveries d JOIN messages m ON m.id = d.message_row_id
  WHERE d.application_id = @applicationId AND d.webhook_id = @webhookId
    AND (@state IS NULL OR d.state = @state)
    AND (@deviceId IS NULL OR m.device_id = @deviceId)
    AND (@since IS NULL OR d.created_at >= @since)
    AND (@until IS NULL OR d.created_at < @until)
    AND (@before IS NULL OR d.id < @before)
  ORDER BY d.id DESC LIMIT @limit`

export const RESEND_ONE = `
  UPDATE deliveries
  SET state = 'pending', next_attempt_at = @now, lease_until = NULL, lease_token = NULL,
    updated_at = @now
  WHERE id = @id AND application_id = @applicationId AND webhook_id = @webhookId
    AND state IN ('delivered', 'failed', 'cancelled')`

export const RESEND_FAILED = `
  UPDATE deliveries
  SET state = 'pending', next_attempt_at = @now, lease_until = NULL, lease_token = NULL,
    updated_at = @now
  WHERE application_id = @applicationId AND webhook_id = @webhookId AND state = 'failed'
    AND created_at >= @since`

export const OLDEST_FINISHED = `
  SELECT id FROM deliveries
  WHERE state IN ('delivered', 'failed', 'cancelled') AND updated_at < @cutoff
  ORDER BY updated_at LIMIT @limit`

export const COUNT_FINISHED = `
  SELECT count(*) FROM deliveries WHERE state IN ('delivered', 'failed', 'cancelled')`

export const DELETE_ATTEMPTS_OF = `
  DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT value FROM json_each(@ids))`

export const DELETE_DELIVERIES = `DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(@ids))`

/** Messages whose deliveries are all gone, or that never had one, past the age limit. */
export const DELETE_ORPHAN_MESSAGES = `
  DELETE FROM messages WHERE id IN (
    SELECT m.id FROM messages m
    WHERE m.accepted_at < @cutoff
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_row_id = m.id)
    LIMIT @limit)`

export const QUEUE_STATS = `
  SELECT
    (SELECT count(*) FROM deliveries WHERE state = 'pending') AS pending,
    (SELECT count(*) FROM deliveries WHERE state = 'inflight') AS inflight,
    (SELECT count(*) FROM deliveries WHERE state = 'failed') AS failed,
    (SELECT min(created_at) FROM deliveries WHERE state = 'pending') AS oldestPendingAt,
    (SELECT count(*) FROM webhooks WHERE health = 'unhealthy') AS unhealthyWebhooks`
